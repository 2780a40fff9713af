// variant: global fetch with AbortSignal.timeout per attempt (it covers the body too), multiplicative jitter in [d, 2d] capped at maxDelayMs
export interface ResilientOptions {
  attemptTimeoutMs: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

class StatusError extends Error {
  constructor(readonly status: number) {
    super(`request failed with status ${status}`);
  }
}

async function once(url: string, ms: number): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(ms) });
  const text = await res.text();
  if (res.ok) return text;
  throw new StatusError(res.status);
}

export async function resilientGet(url: string, opts: ResilientOptions): Promise<string> {
  let lastError: unknown = new Error('no attempt made');
  for (let attempt = 0; attempt < opts.maxAttempts; attempt++) {
    if (attempt > 0) {
      const d = opts.baseDelayMs * 2 ** (attempt - 1);
      const wait = Math.min(opts.maxDelayMs, d * (1 + Math.random()));
      await new Promise((r) => setTimeout(r, wait));
    }
    try {
      return await once(url, opts.attemptTimeoutMs);
    } catch (err) {
      lastError = err;
      if (err instanceof StatusError && err.status >= 400 && err.status < 500) throw err;
    }
  }
  throw lastError;
}

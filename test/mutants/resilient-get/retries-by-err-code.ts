// mutant: fetch, retrying only when err.code is ECONNREFUSED or ETIMEDOUT or the message says "server error" — but fetch puts the errno in err.cause.code and its timeout is a TimeoutError, so only 5xx are retried
// fails: recovers-mixed, exhausts-connection-errors, backoff-waits, backoff-grows, attempt-timeout-silent, closes-before-retry, connect-timeout-retried, backoff-jittered
export interface ResilientOptions {
  attemptTimeoutMs: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

function shouldRetry(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  const msg = err instanceof Error ? err.message : '';
  if (msg.includes('server error')) return true;
  return code === 'ECONNREFUSED' || code === 'ETIMEDOUT';
}

export async function resilientGet(url: string, opts: ResilientOptions): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(opts.attemptTimeoutMs) });
      const text = await res.text();
      if (res.status >= 500) throw new Error(`server error ${res.status}`);
      if (!res.ok) throw new Error(`client error ${res.status}`);
      return text;
    } catch (err) {
      if (attempt >= opts.maxAttempts || !shouldRetry(err)) throw err;
    }
    const d = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (attempt - 1));
    await new Promise((r) => setTimeout(r, Math.random() * d));
  }
}

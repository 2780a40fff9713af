// variant: fetch with an AbortController and its own timer, multiplicative jitter in [d, 2d] capped at maxDelayMs (as p-retry's randomize), a closure over the attempt count
export interface SafeRequest {
  method: 'GET' | 'HEAD' | 'PUT' | 'DELETE' | 'POST' | 'PATCH';
  url: string;
  body?: string;
  idempotencyKey?: string;
}
export interface SafeRetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  attemptTimeoutMs: number;
}

export function requestWithRetry(req: SafeRequest, opts: SafeRetryOptions): Promise<{ status: number; body: string }> {
  let attempt = 0;
  const mayRetry = req.method === 'GET' || req.method === 'HEAD' || req.method === 'PUT' || req.method === 'DELETE' || !!req.idempotencyKey;
  const wait = () => {
    const d = opts.baseDelayMs * 2 ** (attempt - 1);
    return new Promise((r) => setTimeout(r, Math.min(opts.maxDelayMs, d * (1 + Math.random()))));
  };
  const once = async () => {
    attempt++;
    const ac = new AbortController();
    const t = setTimeout(() => ac.abort(new Error(`timeout after ${opts.attemptTimeoutMs} ms`)), opts.attemptTimeoutMs);
    try {
      const res = await fetch(req.url, {
        method: req.method,
        body: req.body,
        headers: req.idempotencyKey ? { 'Idempotency-Key': req.idempotencyKey } : undefined,
        signal: ac.signal,
      });
      return { status: res.status, body: await res.text() };
    } finally {
      clearTimeout(t);
    }
  };
  const loop = async (): Promise<{ status: number; body: string }> => {
    const last = () => !mayRetry || attempt >= opts.maxAttempts;
    try {
      const r = await once();
      if (r.status >= 500 && r.status !== 501 && r.status < 505 && !last()) {
        await wait();
        return loop();
      }
      return r;
    } catch (err) {
      if (last()) throw err;
      await wait();
      return loop();
    }
  };
  return loop();
}

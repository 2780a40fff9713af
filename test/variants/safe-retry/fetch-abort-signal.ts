// variant: global fetch with AbortSignal.timeout per attempt, equal jitter, network errors read from err.cause.code
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

const transientCodes = ['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'EPIPE', 'UND_ERR_SOCKET'];

function transient(err: unknown): boolean {
  const e = err as { name?: string; code?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return true;
  return transientCodes.includes(e?.code ?? '') || transientCodes.includes(e?.cause?.code ?? '');
}

export async function requestWithRetry(req: SafeRequest, opts: SafeRetryOptions): Promise<{ status: number; body: string }> {
  const safe = ['GET', 'HEAD', 'PUT', 'DELETE'].includes(req.method) || typeof req.idempotencyKey === 'string';
  const tries = safe ? opts.maxAttempts : 1;
  const headers: Record<string, string> = {};
  if (req.idempotencyKey !== undefined) headers['idempotency-key'] = req.idempotencyKey;
  for (let n = 1; ; n++) {
    try {
      const signal = AbortSignal.timeout(opts.attemptTimeoutMs);
      const res = await fetch(req.url, { method: req.method, headers, body: req.body, signal });
      const body = await res.text();
      if (n >= tries || ![500, 502, 503, 504].includes(res.status)) return { status: res.status, body };
    } catch (err) {
      if (n >= tries || !transient(err)) throw err;
    }
    const d = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (n - 1));
    await new Promise((r) => setTimeout(r, d / 2 + Math.random() * (d / 2)));
  }
}

// variant: node:http with req.setTimeout(attemptTimeoutMs) and req.destroy, decorrelated jitter, callbacks instead of async/await
import http from 'node:http';

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
type Result = { status: number; body: string };

export function requestWithRetry(req: SafeRequest, opts: SafeRetryOptions): Promise<Result> {
  const retryable = req.idempotencyKey !== undefined || !['POST', 'PATCH'].includes(req.method);
  let sleep = opts.baseDelayMs;
  return new Promise((resolve, reject) => {
    const go = (n: number) => {
      const retry = (fallback: () => void) => {
        if (!retryable || n >= opts.maxAttempts) return fallback();
        // Decorrelated jitter: random between base and 3× the previous sleep, capped.
        sleep = Math.min(opts.maxDelayMs, opts.baseDelayMs + Math.random() * (sleep * 3 - opts.baseDelayMs));
        setTimeout(() => go(n + 1), sleep);
      };
      let done = false;
      const r = http.request(req.url, { method: req.method, headers: req.idempotencyKey ? { 'Idempotency-Key': req.idempotencyKey } : {} }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (s: string) => (body += s));
        res.on('end', () => {
          if (done) return;
          done = true;
          const status = res.statusCode!;
          if (status >= 500 && status !== 501 && status <= 504) retry(() => resolve({ status, body }));
          else resolve({ status, body });
        });
      });
      r.setTimeout(opts.attemptTimeoutMs, () => r.destroy(Object.assign(new Error('attempt timed out'), { code: 'ETIMEDOUT' })));
      r.on('error', (err: NodeJS.ErrnoException) => {
        if (done) return;
        done = true;
        if (['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'EPIPE', 'ETIMEDOUT'].includes(err.code ?? '')) retry(() => reject(err));
        else reject(err);
      });
      if (req.body !== undefined) r.write(req.body);
      r.end();
    };
    go(1);
  });
}

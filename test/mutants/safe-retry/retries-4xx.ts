// mutant: treats every error status (4xx included) as retryable — a 4xx gets the same answer every time
// fails: client-error-not-retried
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

interface Response {
  status: number;
  body: string;
}

const idempotentMethods = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
const retryableStatus = new Set([500, 502, 503, 504]);
const retryableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'EPIPE', 'ETIMEDOUT']);

function attempt(req: SafeRequest, timeoutMs: number): Promise<Response> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {};
    if (req.idempotencyKey !== undefined) headers['Idempotency-Key'] = req.idempotencyKey;
    if (req.body !== undefined) headers['Content-Length'] = Buffer.byteLength(req.body);
    const r = http.request(req.url, { method: req.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    const timer = setTimeout(() => {
      const err = Object.assign(new Error(`attempt timeout: no complete response in ${timeoutMs} ms`), { code: 'ETIMEDOUT' });
      r.destroy(err);
    }, timeoutMs);
    r.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    r.end(req.body);
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function requestWithRetry(req: SafeRequest, opts: SafeRetryOptions): Promise<Response> {
  const retryable = idempotentMethods.has(req.method) || req.idempotencyKey !== undefined;
  const attempts = retryable ? Math.max(1, opts.maxAttempts) : 1;
  for (let k = 1; ; k++) {
    const last = k >= attempts;
    try {
      const res = await attempt(req, opts.attemptTimeoutMs);
      if (last || res.status < 400) return res;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (last || !retryableCodes.has(code ?? '')) throw err;
    }
    const cap = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (k - 1));
    await sleep(Math.random() * cap);
  }
}

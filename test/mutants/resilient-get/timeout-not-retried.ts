// mutant: treats a timed-out attempt as final — rejects instead of retrying
// fails: recovers-mixed, closes-before-retry, connect-timeout-retried
import http from 'node:http';

export interface ResilientOptions {
  attemptTimeoutMs: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** An HTTP status that ended an attempt; `retryable` for 5xx. */
class HttpStatusError extends Error {
  override name = 'HttpStatusError';
  constructor(
    readonly status: number,
    readonly retryable: boolean,
  ) {
    super(`HTTP ${status}`);
  }
}

function attempt(url: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        if (status >= 200 && status < 300) resolve(Buffer.concat(chunks).toString('utf8'));
        else reject(new HttpStatusError(status, status >= 500));
      });
      res.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    const timer = setTimeout(() => {
      const err = Object.assign(new Error(`attempt timeout after ${timeoutMs} ms`), { code: 'ETIMEDOUT' });
      req.destroy(err);
      reject(err);
    }, timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function resilientGet(url: string, opts: ResilientOptions): Promise<string> {
  let last: unknown;
  for (let k = 1; k <= opts.maxAttempts; k++) {
    try {
      return await attempt(url, opts.attemptTimeoutMs);
    } catch (err) {
      last = err;
      if (err instanceof HttpStatusError && !err.retryable) throw err;
      if ((err as { code?: string }).code === 'ETIMEDOUT') throw err;
    }
    if (k < opts.maxAttempts) {
      const d = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (k - 1));
      await sleep(Math.random() * d);
    }
  }
  throw last;
}

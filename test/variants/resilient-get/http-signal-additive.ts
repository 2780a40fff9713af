// variant: node:http with AbortSignal.timeout as the request's signal, the capped delay plus up to 30% additive jitter
import http from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';

export interface ResilientOptions {
  attemptTimeoutMs: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

const fatal = Symbol('fatal');

function getOnce(url: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { signal: AbortSignal.timeout(timeoutMs) }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (b: Buffer) => parts.push(b));
      res.on('error', reject);
      res.on('end', () => {
        const code = res.statusCode ?? 0;
        if (code >= 200 && code < 300) return resolve(Buffer.concat(parts).toString());
        const err = new Error(`status ${code}`) as Error & { [fatal]?: boolean };
        if (code < 500) err[fatal] = true;
        reject(err);
      });
    });
    req.on('error', reject);
  });
}

export async function resilientGet(url: string, opts: ResilientOptions): Promise<string> {
  let failure: unknown;
  for (let i = 1; i <= opts.maxAttempts; i++) {
    try {
      return await getOnce(url, opts.attemptTimeoutMs);
    } catch (err) {
      if ((err as { [fatal]?: boolean })[fatal]) throw err;
      failure = err;
    }
    if (i === opts.maxAttempts) break;
    const capped = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (i - 1));
    await delay(capped * (1 + 0.3 * Math.random()));
  }
  throw failure;
}

// variant: equal jitter — half the capped delay fixed, the other half random; a while loop with an attempt counter
import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  shouldRetry?: (err: unknown, attempt: number) => boolean;
}

export async function retryWithBackoff<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  let attempt = 0;
  while (true) {
    attempt++;
    try {
      return await fn();
    } catch (err) {
      if (attempt === opts.maxAttempts) throw err;
      if (opts.shouldRetry && !opts.shouldRetry(err, attempt)) throw err;
      const d = Math.min(opts.maxDelayMs, opts.baseDelayMs * Math.pow(2, attempt - 1));
      await sleep(d / 2 + Math.random() * (d / 2));
    }
  }
}

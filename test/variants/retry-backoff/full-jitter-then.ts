// variant: full jitter with integer ms (Math.floor(random × (d + 1))), written with .then chains and an AbortSignal-free timers/promises sleep
import { setTimeout as delay } from 'node:timers/promises';

export interface RetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  shouldRetry?: (err: unknown, attempt: number) => boolean;
}

export async function retryWithBackoff<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const attemptOnce = (attempt: number): Promise<T> =>
    fn().then(
      (value) => value,
      async (err: unknown) => {
        if (attempt >= opts.maxAttempts || (opts.shouldRetry !== undefined && !opts.shouldRetry(err, attempt))) throw err;
        const cap = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (attempt - 1));
        await delay(Math.floor(Math.random() * (cap + 1)));
        return attemptOnce(attempt + 1);
      },
    );
  return attemptOnce(1);
}

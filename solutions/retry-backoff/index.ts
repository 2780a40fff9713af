/**
 * Exercise: retry-backoff — Part 10, "Retries done right".
 *
 * When a service is down, clients that retry at once, or all at the same
 * pace, keep it down. Retry with exponential backoff, capped, with jitter.
 *
 * Run `npx grade retry-backoff` to grade this file. See README.md.
 */

export interface RetryOptions {
  /** How many times fn may be called in all, the first call included. */
  maxAttempts: number;
  /** The wait after the first failed attempt, before any jitter. */
  baseDelayMs: number;
  /** The wait never grows beyond this (before jitter). */
  maxDelayMs: number;
  /** Return false to stop retrying this error at once. `attempt` counts from 1. */
  shouldRetry?: (err: unknown, attempt: number) => boolean;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls fn until it succeeds and returns its result.
 * - After failed attempt n, waits about baseDelayMs × 2^(n−1), capped at
 *   maxDelayMs and randomised (jitter), then tries again.
 * - Gives up after maxAttempts calls, or as soon as shouldRetry says no,
 *   and rejects with the error of the last call.
 */
export async function retryWithBackoff<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(); // `await` here, or the try/catch never sees the rejection
    } catch (err) {
      const retryable = opts.shouldRetry ? opts.shouldRetry(err, attempt) : true;
      // The last attempt's error is the answer: rethrow it as is, with no wait first.
      if (!retryable || attempt >= opts.maxAttempts) throw err;
      const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (attempt - 1));
      // Full jitter: anywhere between 0 and the capped exponential delay,
      // so clients that failed together spread out instead of retrying together.
      await pause(Math.random() * ceiling);
    }
  }
}

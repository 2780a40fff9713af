// mutant: `return fn()` without await inside try — the rejection escapes the catch, so nothing is ever retried
// fails: returns-first-success, calls-max-attempts, respects-should-retry, should-retry-attempt-numbers, delays-grow-exponentially, delays-capped, delays-jittered, recovers-real-peer, spaced-on-the-wire
export interface RetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  shouldRetry?: (err: unknown, attempt: number) => boolean;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function retryWithBackoff<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return fn();
    } catch (err) {
      const retryable = opts.shouldRetry ? opts.shouldRetry(err, attempt) : true;
      if (!retryable || attempt >= opts.maxAttempts) throw err;
      const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (attempt - 1));
      await pause(Math.random() * ceiling);
    }
  }
}

// mutant: throws a new "gave up" error instead of the last one — the caller loses the error code
// fails: rethrows-last-error
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
      return await fn();
    } catch (err) {
      if (opts.shouldRetry && !opts.shouldRetry(err, attempt)) throw err;
      if (attempt >= opts.maxAttempts) throw new Error(`gave up after ${attempt} attempts`);
      const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (attempt - 1));
      await pause(Math.random() * ceiling);
    }
  }
}

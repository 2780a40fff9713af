// mutant: when the attempts run out it returns undefined instead of throwing — the caller takes failure for success
// fails: rethrows-last-error
export interface RetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  shouldRetry?: (err: unknown, attempt: number) => boolean;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function retryWithBackoff<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  for (let attempt = 1; attempt <= opts.maxAttempts; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (opts.shouldRetry && !opts.shouldRetry(err, attempt)) throw err;
      if (attempt === opts.maxAttempts) break;
      const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (attempt - 1));
      await pause(Math.random() * ceiling);
    }
  }
  return undefined as T;
}

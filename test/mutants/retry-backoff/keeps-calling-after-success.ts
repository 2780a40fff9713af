// mutant: forgets to return on success — keeps calling fn until the attempts run out
// fails: returns-first-success, recovers-real-peer
export interface RetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  shouldRetry?: (err: unknown, attempt: number) => boolean;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function retryWithBackoff<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  let lastErr: unknown;
  let result: T | undefined;
  let succeeded = false;
  for (let attempt = 1; attempt <= opts.maxAttempts; attempt++) {
    try {
      result = await fn();
      succeeded = true;
    } catch (err) {
      lastErr = err;
      if (opts.shouldRetry && !opts.shouldRetry(err, attempt)) throw err;
      if (attempt === opts.maxAttempts) break;
      const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (attempt - 1));
      await pause(Math.random() * ceiling);
    }
  }
  if (succeeded) return result as T;
  throw lastErr;
}

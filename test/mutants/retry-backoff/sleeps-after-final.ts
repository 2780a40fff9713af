// mutant: sleeps after the final failed attempt too, then throws — the caller waits for nothing
// fails: no-wait-after-final
export interface RetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  shouldRetry?: (err: unknown, attempt: number) => boolean;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function retryWithBackoff<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  let lastErr: unknown;
  for (let attempt = 1; attempt <= opts.maxAttempts; attempt++) {
    try {
      return await fn();
    } catch (err) {
      lastErr = err;
      if (opts.shouldRetry && !opts.shouldRetry(err, attempt)) throw err;
      const d = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (attempt - 1));
      await pause(d / 2 + Math.random() * (d / 2));
    }
  }
  throw lastErr;
}

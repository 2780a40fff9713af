// mutant: calls shouldRetry but forgets to act on its answer — a fatal error is retried anyway
// fails: respects-should-retry
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
      if (opts.shouldRetry && !opts.shouldRetry(err, attempt)) {
        console.warn(`attempt ${attempt}: not retryable`, (err as Error).message);
      }
      if (attempt >= opts.maxAttempts) throw err;
      const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (attempt - 1));
      await pause(Math.random() * ceiling);
    }
  }
}

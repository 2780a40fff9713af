// variant: additive jitter — up to 30% on top of the capped delay, floored to whole ms (as the course's helper does)
export interface RetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  shouldRetry?: (err: unknown, attempt: number) => boolean;
}

function waitFor(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

function backoff(attempt: number, base: number, cap: number): number {
  const capped = Math.min(cap, base * 2 ** (attempt - 1));
  return Math.floor(capped * (1 + 0.3 * Math.random()));
}

export async function retryWithBackoff<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  let failure: unknown;
  for (let attempt = 1; attempt <= opts.maxAttempts; attempt++) {
    try {
      return await fn();
    } catch (err) {
      failure = err;
      if (opts.shouldRetry && !opts.shouldRetry(err, attempt)) throw err;
      if (attempt < opts.maxAttempts) await waitFor(backoff(attempt, opts.baseDelayMs, opts.maxDelayMs));
    }
  }
  throw failure;
}

// variant: multiplicative jitter in [d, 2d] capped at the max (p-retry's randomize), recursive, rounded to whole ms
export interface RetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  shouldRetry?: (err: unknown, attempt: number) => boolean;
}

function delayFor(attempt: number, o: RetryOptions): number {
  const random = 1 + Math.random(); // in [1, 2)
  return Math.min(o.maxDelayMs, Math.round(random * o.baseDelayMs * 2 ** (attempt - 1)));
}

export function retryWithBackoff<T>(fn: () => Promise<T>, opts: RetryOptions, attempt = 1): Promise<T> {
  return fn().catch((err: unknown) => {
    const more = attempt < opts.maxAttempts && (opts.shouldRetry?.(err, attempt) ?? true);
    if (!more) throw err;
    return new Promise<void>((r) => setTimeout(r, delayFor(attempt, opts))).then(() => retryWithBackoff(fn, opts, attempt + 1));
  });
}

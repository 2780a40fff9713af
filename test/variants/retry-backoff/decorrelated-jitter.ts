// variant: decorrelated jitter (AWS) — each wait random between base and 3× the previous wait, capped; never asks shouldRetry after the last attempt
export interface RetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  shouldRetry?: (err: unknown, attempt: number) => boolean;
}

function randomBetween(lo: number, hi: number): number {
  return lo + Math.random() * (hi - lo);
}

export async function retryWithBackoff<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const { maxAttempts, baseDelayMs, maxDelayMs, shouldRetry } = opts;
  let sleep = baseDelayMs;
  let lastError: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    try {
      return await fn();
    } catch (err) {
      lastError = err;
      if (attempt === maxAttempts) break;
      if (shouldRetry?.(err, attempt) === false) throw err;
      sleep = Math.min(maxDelayMs, randomBetween(baseDelayMs, sleep * 3));
      await new Promise((r) => setTimeout(r, sleep));
    }
  }
  throw lastError;
}

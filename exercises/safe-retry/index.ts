/**
 * Exercise: safe-retry — Part 10, "Only retry idempotent operations".
 *
 * Retrying is only safe when doing the request twice has the same effect as
 * doing it once. A POST that charged a card and then lost its connection must
 * not be sent again — unless it carries an idempotency key the server can use
 * to recognise the repeat.
 *
 * Run `npx grade safe-retry` to grade this file. See README.md.
 */

export interface SafeRequest {
  method: 'GET' | 'HEAD' | 'PUT' | 'DELETE' | 'POST' | 'PATCH';
  /** http://<IPv4>:<port><path> */
  url: string;
  body?: string;
  /** When set: send it as the `Idempotency-Key` header on every attempt, and the request may be retried. */
  idempotencyKey?: string;
}

export interface SafeRetryOptions {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** The delay before retry k is min(maxDelayMs, baseDelayMs * 2 ** (k - 1)), with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** An attempt with no complete response by then is abandoned (and its connection closed). */
  attemptTimeoutMs: number;
}

/**
 * Sends `req` over HTTP/1.1, retrying only what is safe to repeat.
 * - Retryable: GET, HEAD, PUT, DELETE, and any request with an idempotencyKey —
 *   on connection errors, timed-out attempts and 500/502/503/504.
 * - POST and PATCH without a key: sent exactly once.
 * - A 4xx resolves at once. When attempts run out, a 5xx resolves; an error rejects.
 */
export function requestWithRetry(req: SafeRequest, opts: SafeRetryOptions): Promise<{ status: number; body: string }> {
  // TODO: one attempt = one request with its own timeout; decide after each whether to retry, and back off.
  throw new Error('not implemented yet');
}

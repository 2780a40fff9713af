/**
 * Exercise: resilient-get — Part 10, "Putting it together".
 *
 * One GET that survives a flaky service: each attempt has its own timeout,
 * failures worth retrying are retried with capped exponential backoff and
 * jitter, and a 4xx gives up at once.
 *
 * Run `npx grade resilient-get` to grade this file. See README.md.
 */

export interface ResilientOptions {
  /** One attempt — connect, headers and the whole body — must be done this long after it starts. */
  attemptTimeoutMs: number;
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** The delay before retry k is min(maxDelayMs, baseDelayMs * 2 ** (k - 1)), with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * GETs `url` (http://<IPv4>:<port><path>) over HTTP/1.1.
 * - Resolves with the body of the first 2xx response.
 * - Retries 5xx responses, refused, reset or unreachable connections, and
 *   attempts that time out (closing the timed-out connection first).
 * - A 4xx rejects at once, with the status code in the error's message.
 * - Out of attempts: rejects with the last error.
 */
export function resilientGet(url: string, opts: ResilientOptions): Promise<string> {
  // TODO: one attempt with its own timer; a loop of attempts with backoff between them.
  throw new Error('not implemented yet');
}

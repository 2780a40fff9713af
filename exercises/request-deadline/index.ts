/**
 * Exercise: request-deadline — Part 10, "Timeouts at every layer".
 *
 * One GET, three deadlines: the connect, the silence between bytes, and the
 * whole request. Each phase fails in its own way, and each needs its own timer.
 *
 * Run `npx grade request-deadline` to grade this file. See README.md.
 */

export interface Deadlines {
  /** The TCP handshake must be done this long after the call. */
  connectMs: number;
  /** Once connected: at most this long without a byte of the response. */
  idleMs: number;
  /** The whole response must be in this long after the call. */
  totalMs: number;
}

/**
 * GETs `url` (http://<IPv4>:<port><path>) over HTTP/1.1.
 * - Resolves with the status and the whole body of any complete response (a 404 too).
 * - Rejects with a timeout error when any of the three deadlines passes,
 *   and closes the connection when it does.
 */
export function getWithDeadlines(url: string, d: Deadlines): Promise<{ status: number; body: string }> {
  // TODO: start the request, bound each phase with a timer, destroy the request when one fires.
  throw new Error('not implemented yet');
}

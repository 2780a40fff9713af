/**
 * Exercise: error-handlers — Part 10, "Always attach an error handler".
 *
 * In Node an 'error' event that nobody listens for is thrown: one client that
 * resets its connection takes the whole server down with it. Write an echo
 * server that survives its clients and says what went wrong.
 *
 * Run `npx grade error-handlers` to grade this file. See README.md.
 */
import type { Server } from 'node:net';

/**
 * Starts a TCP echo server on port (and host, when given).
 * - Resolves with the server once it is listening.
 * - Rejects with the listen error itself (e.g. EADDRINUSE), code intact.
 * - Survives clients that reset or vanish, and reports each socket error
 *   with its code on stderr.
 */
export function startEchoServer(port: number, host?: string): Promise<Server> {
  // TODO: create the server, echo every byte, attach 'error' listeners to the
  // server and to every accepted socket, and settle the promise on
  // 'listening' or on the listen error.
  throw new Error('not implemented yet');
}

/**
 * Exercise: idle-timeout — Part 10, "Idle / socket timeout".
 *
 * A connection whose peer vanished (a crashed host, a firewall that lost its
 * state) raises no error: it is simply quiet, forever. Give the socket an
 * idle timeout so that a dead connection is noticed and closed.
 *
 * Run `npx grade idle-timeout` to grade this file. See README.md.
 */
import type { Socket } from 'node:net';

/**
 * Opens a TCP connection to host:port and resolves with the connected socket.
 * - Once nothing has crossed the socket (either way) for idleMs, destroys it.
 * - Any traffic, read or written, starts the idleMs count again.
 * - Leaves no timer behind that keeps the process alive once the socket closes.
 */
export function connectWithIdleTimeout(host: string, port: number, idleMs: number): Promise<Socket> {
  // TODO: connect, resolve on 'connect', and close the socket once it has been idle for idleMs.
  throw new Error('not implemented yet');
}

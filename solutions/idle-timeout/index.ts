/**
 * Exercise: idle-timeout — Part 10, "Idle / socket timeout".
 *
 * A connection whose peer vanished (a crashed host, a firewall that lost its
 * state) raises no error: it is simply quiet, forever. Give the socket an
 * idle timeout so that a dead connection is noticed and closed.
 *
 * Run `npx grade idle-timeout` to grade this file. See README.md.
 */
import { Socket } from 'node:net';

/**
 * Opens a TCP connection to host:port and resolves with the connected socket.
 * - Once nothing has crossed the socket (either way) for idleMs, destroys it.
 * - Any traffic, read or written, starts the idleMs count again.
 * - Leaves no timer behind that keeps the process alive once the socket closes.
 */
export function connectWithIdleTimeout(host: string, port: number, idleMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      // Node's inactivity timer: every read and every write restarts it, and it
      // never keeps the event loop alive by itself.
      socket.setTimeout(idleMs);
      socket.on('timeout', () => {
        // 'timeout' only tells us; closing is our job. destroy(), not end():
        // end() waits for the peer's FIN, which a dead peer never sends.
        const err = new Error(`socket idle for ${idleMs} ms (${host}:${port}), closing it`) as NodeJS.ErrnoException;
        err.code = 'ETIMEDOUT';
        socket.destroy(err);
      });
      resolve(socket);
    });
    socket.connect(port, host);
  });
}

/**
 * Exercise: connect-timeout — Part 10, "Timeouts at every layer".
 *
 * node:net will wait for a TCP handshake for as long as the kernel keeps
 * retrying — over two minutes on Linux. Write the connect timeout yourself.
 *
 * Run `npx grade connect-timeout` to grade this file. See README.md.
 */
import type { Socket } from 'node:net';

/**
 * Opens a TCP connection to host:port.
 * - Resolves with the connected socket.
 * - Rejects with a timeout error if the connection is not made within connectMs.
 * - Rejects with the socket's own error if the connection fails sooner.
 */
export function connectWithTimeout(host: string, port: number, connectMs: number): Promise<Socket> {
  // TODO: connect, race the handshake against a timer, and clean up whichever loses.
  throw new Error('not implemented yet');
}

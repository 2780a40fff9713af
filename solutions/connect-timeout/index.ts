/**
 * Exercise: connect-timeout — Part 10, "Timeouts at every layer".
 *
 * node:net will wait for a TCP handshake for as long as the kernel keeps
 * retrying — over two minutes on Linux. Write the connect timeout yourself.
 *
 * Run `npx grade connect-timeout` to grade this file. See README.md.
 */
import { Socket } from 'node:net';

/**
 * Opens a TCP connection to host:port.
 * - Resolves with the connected socket.
 * - Rejects with a timeout error if the connection is not made within connectMs.
 * - Rejects with the socket's own error if the connection fails sooner.
 */
export function connectWithTimeout(host: string, port: number, connectMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const onError = (err: Error): void => {
      clearTimeout(timer);
      reject(err); // the socket's own error: ECONNREFUSED, EHOSTUNREACH, … with its code intact
    };
    const timer = setTimeout(() => {
      socket.off('connect', onConnect);
      // Destroy, or the kernel keeps retransmitting the SYN long after we gave up.
      socket.destroy();
      const err = new Error(`connect to ${host}:${port} timed out after ${connectMs} ms`) as NodeJS.ErrnoException;
      err.code = 'ETIMEDOUT';
      reject(err);
    }, connectMs);
    const onConnect = (): void => {
      clearTimeout(timer); // a pending timer would keep the process alive, then kill a healthy socket
      socket.off('error', onError);
      resolve(socket);
    };
    socket.once('connect', onConnect);
    socket.once('error', onError);
    socket.connect(port, host);
  });
}

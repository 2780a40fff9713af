/**
 * Exercise: error-handlers — Part 10, "Always attach an error handler".
 *
 * In Node an 'error' event that nobody listens for is thrown: one client that
 * resets its connection takes the whole server down with it. Write an echo
 * server that survives its clients and says what went wrong.
 *
 * Run `npx grade error-handlers` to grade this file. See README.md.
 */
import net from 'node:net';

/**
 * Starts a TCP echo server on port (and host, when given).
 * - Resolves with the server once it is listening.
 * - Rejects with the listen error itself (e.g. EADDRINUSE), code intact.
 * - Survives clients that reset or vanish, and reports each socket error
 *   with its code on stderr.
 */
export function startEchoServer(port: number, host?: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => {
      const who = `${socket.remoteAddress}:${socket.remotePort}`;
      // Without this listener, a client's RST (ECONNRESET) or a write to a
      // vanished client (EPIPE) is an uncaught exception that ends the process.
      socket.on('error', (err: NodeJS.ErrnoException) => {
        console.error(`[echo] client ${who}: ${err.code ?? err.message}`);
      });
      // pipe() echoes every chunk and respects backpressure.
      socket.pipe(socket);
    });
    const onListenError = (err: Error): void => {
      reject(err); // Node's own error: err.code === 'EADDRINUSE' survives
    };
    server.once('error', onListenError);
    server.listen(port, host, () => {
      server.off('error', onListenError);
      // Errors after listening (e.g. EMFILE on accept) must not crash the process either.
      server.on('error', (err: NodeJS.ErrnoException) => console.error(`[echo] server: ${err.code ?? err.message}`));
      resolve(server);
    });
  });
}

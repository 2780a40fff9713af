// mutant: rejects with a new Error wrapping the listen error's message — err.code ('EADDRINUSE') is lost
// fails: port-in-use-rejects
import net from 'node:net';

export function startEchoServer(port: number, host?: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => {
      socket.on('error', (err: NodeJS.ErrnoException) => console.error('socket error:', err.code));
      socket.pipe(socket);
    });
    const onError = (err: Error): void => reject(new Error(`could not start the echo server: ${err.message}`));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server);
    });
  });
}

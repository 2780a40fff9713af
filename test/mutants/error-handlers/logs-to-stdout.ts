// mutant: reports socket errors with console.log — they go to stdout, mixed with normal output, not to stderr
// fails: reports-socket-errors
import net from 'node:net';

export function startEchoServer(port: number, host?: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => {
      socket.on('error', (err: NodeJS.ErrnoException) => console.log('socket error:', err.code));
      socket.pipe(socket);
    });
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

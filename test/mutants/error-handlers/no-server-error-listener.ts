// mutant: no 'error' listener on the server — EADDRINUSE from listen() is thrown and crashes the process instead of rejecting
// fails: port-in-use-rejects
import net from 'node:net';

export function startEchoServer(port: number, host?: string): Promise<net.Server> {
  return new Promise((resolve) => {
    const server = net.createServer((socket) => {
      socket.on('error', (err: NodeJS.ErrnoException) => console.error('socket error:', err.code));
      socket.pipe(socket);
    });
    server.listen(port, host, () => resolve(server));
  });
}

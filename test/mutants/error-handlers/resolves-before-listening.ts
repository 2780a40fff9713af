// mutant: resolves right after calling listen(), before the server is listening — a busy port can no longer reject
// fails: resolves-when-listening, port-in-use-rejects
import net from 'node:net';

export function startEchoServer(port: number, host?: string): Promise<net.Server> {
  const server = net.createServer((socket) => {
    socket.on('error', (err: NodeJS.ErrnoException) => console.error('socket error:', err.code));
    socket.pipe(socket);
  });
  server.on('error', (err: NodeJS.ErrnoException) => console.error('server error:', err.code));
  server.listen(port, host);
  return Promise.resolve(server);
}

// mutant: closes the listening server when one client's socket fails — the process stays up but new clients are refused
// fails: survives-client-reset, survives-vanished-client
import net from 'node:net';

export function startEchoServer(port: number, host?: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => {
      socket.on('error', (err: NodeJS.ErrnoException) => {
        console.error('socket error, shutting the server down:', err.code);
        server.close();
      });
      socket.pipe(socket);
    });
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

// mutant: no 'error' listener on accepted sockets — one client's reset is an uncaught ECONNRESET that kills the process
// fails: survives-client-reset, survives-vanished-client, reports-socket-errors
import net from 'node:net';

export function startEchoServer(port: number, host?: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => {
      socket.pipe(socket);
    });
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

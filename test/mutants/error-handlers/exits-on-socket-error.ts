// mutant: logs a client's socket error and then exits the process — one bad client still takes the server down
// fails: survives-client-reset, survives-vanished-client
import net from 'node:net';

export function startEchoServer(port: number, host?: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => {
      socket.on('error', (err: NodeJS.ErrnoException) => {
        console.error('fatal socket error:', err.code);
        process.exit(1);
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

// mutant: logs a fixed message on socket errors that drops the error itself — no code, no way to tell a reset from a broken pipe
// fails: reports-socket-errors
import net from 'node:net';

export function startEchoServer(port: number, host?: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => {
      socket.on('error', () => console.error('a client went away'));
      socket.pipe(socket);
    });
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

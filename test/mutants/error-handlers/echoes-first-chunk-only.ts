// mutant: echoes only the first 'data' chunk (once instead of on) — a stream arrives in many chunks
// fails: echoes-every-byte
import net from 'node:net';

export function startEchoServer(port: number, host?: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => {
      socket.on('error', (err: NodeJS.ErrnoException) => console.error('socket error:', err.code));
      socket.once('data', (chunk) => socket.write(chunk));
    });
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

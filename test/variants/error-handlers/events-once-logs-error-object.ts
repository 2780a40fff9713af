// variant: awaits events.once(server, 'listening') (which rejects on 'error'); logs the whole error object with console.warn; stream.pipeline echo
import { once } from 'node:events';
import net from 'node:net';
import { pipeline } from 'node:stream';

export async function startEchoServer(port: number, host?: string): Promise<net.Server> {
  const server = net.createServer((socket) => {
    // pipeline attaches its own error handling and destroys the socket on failure; the callback reports.
    pipeline(socket, socket, (err) => {
      if (err) console.warn('echo connection failed:', err);
    });
  });
  server.listen({ port, host });
  await once(server, 'listening');
  server.on('error', (err) => console.warn('server error:', err));
  return server;
}

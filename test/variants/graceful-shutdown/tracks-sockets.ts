// variant: tracks connections by hand (busy or idle), ends each as soon as it is idle during the drain, exits when the last one is gone
import * as http from 'node:http';
import type { Socket } from 'node:net';

const port = Number(process.env.PORT || 8080);
const timeoutMs = Number(process.env.SHUTDOWN_TIMEOUT_MS || 10000);

/** Every open connection, with how many responses it still owes. */
const connections = new Map<Socket, number>();
let draining = false;

const server = http.createServer((req, res) => {
  const socket = req.socket;
  connections.set(socket, (connections.get(socket) ?? 0) + 1);
  res.on('finish', () => {
    const left = (connections.get(socket) ?? 1) - 1;
    connections.set(socket, left);
  });
  if (draining) {
    res.statusCode = 503;
    res.setHeader('Connection', 'close');
    res.end('draining');
    return;
  }
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  if (url.pathname === '/work') {
    setTimeout(() => {
      if (draining) res.setHeader('Connection', 'close');
      res.end('done');
    }, Number(url.searchParams.get('ms') ?? '0'));
  } else res.end('ok');
});

server.on('connection', (socket: Socket) => {
  connections.set(socket, 0);
  socket.on('close', () => {
    connections.delete(socket);
    if (draining && connections.size === 0) process.exit(0);
  });
});

function beginDrain(): void {
  if (draining) return;
  draining = true;
  // Stop accepting. (Node 19+ would close idle connections here too; do it by hand anyway.)
  server.close();
  for (const [socket, owed] of connections) if (owed === 0) socket.end();
  if (connections.size === 0) process.exit(0);
  setTimeout(() => process.exit(1), timeoutMs).unref();
}

process.once('SIGTERM', beginDrain);
process.once('SIGINT', beginDrain);
server.listen(port);

/**
 * resilient-get's peer: a scripted HTTP/1.1 server on several ports at once.
 * Each port has its own script: the n-th request that reaches that port
 * (counted from 1) meets `actions[n - 1]` (the last action repeats):
 *  - respond: `status` and `body` (Content-Length), then our side ends;
 *  - reset: headers announcing `body`, half of it, then a TCP reset;
 *  - silent: reads the request and answers nothing;
 *  - trickle: 200 headers (chunked), then one body byte every `everyMs`, forever.
 * Every response says `Connection: close`, so each attempt is a connection of
 * its own. Events (all with port and the connection's id): listening, accept
 * (remotePort), request (n, method, path), headers, chunk, reset, end (the
 * client's FIN), error (ECONNRESET: the client's RST), close.
 */
import net from 'node:net';
import { config, emit } from '../../../harness/agent.ts';

export type PeerAction =
  | { kind: 'respond'; status: number; body: string }
  | { kind: 'reset'; body: string }
  | { kind: 'silent' }
  | { kind: 'trickle'; everyMs: number };

export interface PeerConfig {
  services: Array<{ port: number; actions: PeerAction[] }>;
}

const reasons: Record<number, string> = {
  200: 'OK', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 410: 'Gone',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

const cfg = config<PeerConfig>();
let nextId = 0;
let listening = 0;

function serve(port: number, actions: PeerAction[]): void {
  let requests = 0;
  const server = net.createServer((socket) => {
    const id = nextId++;
    socket.setNoDelay(true);
    emit('accept', { port, id, remotePort: socket.remotePort });
    const timers = new Set<NodeJS.Timeout>();
    let head = '';
    let answered = false;
    socket.on('data', (d) => {
      if (answered) return;
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      answered = true;
      const n = ++requests;
      const [method, path] = head.slice(0, head.indexOf('\r\n')).split(' ');
      emit('request', { port, id, n, method, path });
      const action = actions[Math.min(n, actions.length) - 1]!;
      const line = (status: number) => `HTTP/1.1 ${status} ${reasons[status] ?? 'Status'}\r\n`;
      switch (action.kind) {
        case 'silent':
          return;
        case 'respond': {
          emit('headers', { port, id, status: action.status });
          socket.end(`${line(action.status)}Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(action.body)}\r\nConnection: close\r\n\r\n${action.body}`);
          return;
        }
        case 'reset': {
          emit('headers', { port, id, status: 200 });
          const half = action.body.slice(0, Math.floor(action.body.length / 2));
          socket.write(`${line(200)}Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(action.body)}\r\nConnection: close\r\n\r\n${half}`);
          const t = setTimeout(() => {
            timers.delete(t);
            emit('reset', { port, id });
            socket.resetAndDestroy();
          }, 30);
          timers.add(t);
          return;
        }
        case 'trickle': {
          emit('headers', { port, id, status: 200 });
          socket.write(`${line(200)}Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`);
          let k = 0;
          const drip = () => {
            if (socket.destroyed || !socket.writable) return;
            emit('chunk', { port, id, k: ++k });
            socket.write('1\r\nx\r\n');
            const t = setTimeout(() => {
              timers.delete(t);
              drip();
            }, action.everyMs);
            timers.add(t);
          };
          drip();
          return;
        }
      }
    });
    socket.on('end', () => emit('end', { port, id }));
    socket.on('error', (err: NodeJS.ErrnoException) => emit('error', { port, id, code: err.code }));
    socket.on('close', () => {
      for (const t of timers) clearTimeout(t);
      emit('close', { port, id });
    });
  });
  server.on('error', (err: NodeJS.ErrnoException) => {
    emit('listen-error', { port, code: err.code });
    process.exit(1);
  });
  server.listen(port, '0.0.0.0', () => {
    if (++listening === cfg.services.length) emit('listening', { ports: cfg.services.map((s) => s.port) });
  });
}

for (const s of cfg.services) serve(s.port, s.actions);

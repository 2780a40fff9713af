/**
 * Peer: a minimal HTTP/1.1 server that answers every request the same way,
 * recording its own timestamps. Each answer is `status`, then the body's
 * `chunks`, written `everyMs` apart (the first one with the headers), after
 * waiting `headersAfterMs` from the request. Modes:
 *  - respond: the whole response (Content-Length), then the connection stays open (keep-alive);
 *  - trickle: headers (chunked), then one byte every `everyMs`, forever;
 *  - silent: reads the request and answers nothing.
 * Events: listening, accept, request (method, path; when the head was complete),
 * headers, chunk (n, bytes; recorded before the write), end (the client's FIN),
 * error (code: ECONNRESET means the client's RST), close.
 */
import net from 'node:net';
import { config, emit } from '../agent.ts';

interface Config {
  port: number;
  host?: string;
  mode: 'respond' | 'trickle' | 'silent';
  status?: number;
  chunks?: string[];
  everyMs?: number;
  headersAfterMs?: number;
}

const cfg = config<Config>();
const reasons: Record<number, string> = { 200: 'OK', 404: 'Not Found' };
let nextId = 0;

const server = net.createServer((socket) => {
  const id = nextId++;
  socket.setNoDelay(true);
  emit('accept', { id, remote: socket.remoteAddress, remotePort: socket.remotePort });
  let head = '';
  let answered = false;
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!socket.destroyed && socket.writable) fn();
    }, ms);
    timers.add(t);
  };
  const answer = () => {
    const status = cfg.status ?? 200;
    const line = `HTTP/1.1 ${status} ${reasons[status] ?? 'Status'}\r\n`;
    if (cfg.mode === 'trickle') {
      emit('headers', { id });
      socket.write(`${line}Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n`);
      let n = 0;
      const drip = () => {
        emit('chunk', { id, n: ++n, bytes: 1 });
        socket.write('1\r\nx\r\n');
        later(cfg.everyMs ?? 100, drip);
      };
      later(cfg.everyMs ?? 100, drip);
      return;
    }
    const chunks = cfg.chunks ?? [];
    const length = chunks.reduce((a, c) => a + Buffer.byteLength(c), 0);
    emit('headers', { id });
    socket.write(`${line}Content-Type: text/plain\r\nContent-Length: ${length}\r\n\r\n`);
    chunks.forEach((c, i) => {
      const write = () => {
        emit('chunk', { id, n: i + 1, bytes: Buffer.byteLength(c) });
        socket.write(c);
      };
      if (i === 0) write();
      else later(i * (cfg.everyMs ?? 0), write);
    });
  };
  socket.on('data', (d) => {
    if (answered) return;
    head += d.toString('latin1');
    const endOfHead = head.indexOf('\r\n\r\n');
    if (endOfHead < 0) return;
    answered = true;
    const [method, path, version] = head.slice(0, head.indexOf('\r\n')).split(' ');
    emit('request', { id, method, path, version });
    if (cfg.mode === 'silent') return;
    if (cfg.headersAfterMs) later(cfg.headersAfterMs, answer);
    else answer();
  });
  socket.on('end', () => {
    emit('end', { id });
    socket.end();
  });
  socket.on('error', (err: NodeJS.ErrnoException) => emit('error', { id, code: err.code }));
  socket.on('close', (hadError) => {
    for (const t of timers) clearTimeout(t);
    emit('close', { id, hadError });
  });
});
server.on('error', (err: NodeJS.ErrnoException) => {
  emit('listen-error', { code: err.code });
  process.exit(1);
});
server.listen(cfg.port, cfg.host ?? '0.0.0.0', () => emit('listening', { port: cfg.port }));

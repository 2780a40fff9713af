/**
 * safe-retry's peer: a scripted HTTP/1.1 server that counts side effects.
 * Every route (a path, query included) has a script: request n on that route
 * (1-based, counted over every connection) meets `script[n - 1]`, or
 * `otherwise` once the script is used up. Actions:
 *  - respond: the whole response (Content-Length), then the connection stays
 *    open for keep-alive (closed after it when the request asked for
 *    `Connection: close`);
 *  - reset: the request has been read and processed (its side effect is
 *    done), then the connection is reset (RST) before any response;
 *  - hang: the request is read and processed, and nothing is ever answered.
 * Request bodies are read by Content-Length or chunked encoding.
 * Events: listening, accept { conn }, request { conn, route, n, method, path,
 * key (the Idempotency-Key header, null when absent), body, action, status }
 * (recorded when the whole request was in, just before the answer, the
 * reset or the silence), end { conn } (the client's FIN), error { conn,
 * code } (ECONNRESET: the client's RST), close { conn }.
 */
import net from 'node:net';
import { config, emit } from '../../../harness/agent.ts';

export type Action = { kind: 'respond'; status: number; body: string } | { kind: 'reset' } | { kind: 'hang' };

export interface Route {
  script: Action[];
  otherwise: Action;
}

export interface SafePeerConfig {
  port: number;
  routes: Record<string, Route>;
}

const cfg = config<SafePeerConfig>();
const reasons: Record<number, string> = {
  200: 'OK', 201: 'Created', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 422: 'Unprocessable Entity',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};
const counts = new Map<string, number>();
let nextConn = 0;

/** The most a request head or body may take: a learner's request is small; anything larger is cut off. */
const maxBytes = 256 * 1024;

interface Parsed {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  rest: Buffer;
}

/** One complete request from the front of `buf`, or undefined when more bytes are needed; 'bad' when it cannot be one. */
function parse(buf: Buffer): Parsed | undefined | 'bad' {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return buf.length > maxBytes ? 'bad' : undefined;
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const [method = '', path = ''] = lines[0]!.split(' ');
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i <= 0) continue;
    const k = l.slice(0, i).trim().toLowerCase();
    const v = l.slice(i + 1).trim();
    headers[k] = headers[k] !== undefined ? `${headers[k]}, ${v}` : v;
  }
  let at = end + 4;
  if (/\bchunked\b/i.test(headers['transfer-encoding'] ?? '')) {
    const parts: Buffer[] = [];
    for (;;) {
      const eol = buf.indexOf('\r\n', at);
      if (eol < 0) return buf.length > maxBytes ? 'bad' : undefined;
      const size = parseInt(buf.subarray(at, eol).toString('latin1').split(';')[0]!.trim(), 16);
      if (!Number.isFinite(size)) return 'bad';
      if (size === 0) {
        // Trailers, up to the empty line.
        let t = eol + 2;
        for (;;) {
          const e2 = buf.indexOf('\r\n', t);
          if (e2 < 0) return undefined;
          if (e2 === t) {
            at = e2 + 2;
            break;
          }
          t = e2 + 2;
        }
        break;
      }
      if (buf.length < eol + 2 + size + 2) return buf.length > maxBytes ? 'bad' : undefined;
      parts.push(buf.subarray(eol + 2, eol + 2 + size));
      at = eol + 2 + size + 2;
    }
    return { method, path, headers, body: Buffer.concat(parts).toString('utf8'), rest: buf.subarray(at) };
  }
  const length = Number(headers['content-length'] ?? 0) || 0;
  if (buf.length < at + length) return length > maxBytes ? 'bad' : undefined;
  return { method, path, headers, body: buf.subarray(at, at + length).toString('utf8'), rest: buf.subarray(at + length) };
}

const server = net.createServer((socket) => {
  const conn = nextConn++;
  socket.setNoDelay(true);
  emit('accept', { conn, remotePort: socket.remotePort });
  let buf: Buffer = Buffer.alloc(0);
  /** A hung or reset request: nothing more is read on this connection. */
  let stopped = false;
  socket.on('data', (d: Buffer) => {
    if (stopped) return;
    buf = buf.length ? Buffer.concat([buf, d]) : d;
    for (;;) {
      const r = parse(buf);
      if (r === undefined) return;
      if (r === 'bad') {
        stopped = true;
        emit('bad-request', { conn, bytes: buf.length });
        socket.destroy();
        return;
      }
      buf = r.rest;
      const route = cfg.routes[r.path];
      const n = (counts.get(r.path) ?? 0) + 1;
      counts.set(r.path, n);
      const action: Action = route ? (route.script[n - 1] ?? route.otherwise) : { kind: 'respond', status: 404, body: 'no such route\n' };
      emit('request', {
        conn,
        route: route ? r.path : null,
        n,
        method: r.method,
        path: r.path,
        key: r.headers['idempotency-key'] ?? null,
        body: r.body.slice(0, 4000),
        action: action.kind,
        status: action.kind === 'respond' ? action.status : null,
      });
      if (action.kind === 'reset') {
        stopped = true;
        socket.resetAndDestroy();
        return;
      }
      if (action.kind === 'hang') {
        stopped = true;
        return;
      }
      const body = Buffer.from(action.body, 'utf8');
      const close = /\bclose\b/i.test(r.headers['connection'] ?? '');
      socket.write(
        `HTTP/1.1 ${action.status} ${reasons[action.status] ?? 'Status'}\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n` +
          `${close ? 'Connection: close\r\n' : ''}\r\n`,
      );
      // A response to HEAD has no body, whatever its Content-Length says.
      if (r.method !== 'HEAD') socket.write(body);
      if (close) {
        stopped = true;
        socket.end();
        return;
      }
    }
  });
  socket.on('end', () => {
    emit('end', { conn });
    socket.end();
  });
  socket.on('error', (err: NodeJS.ErrnoException) => emit('error', { conn, code: err.code }));
  socket.on('close', () => emit('close', { conn }));
});
server.on('error', (err: NodeJS.ErrnoException) => {
  emit('listen-error', { code: err.code });
  process.exit(1);
});
server.listen(cfg.port, '0.0.0.0', () => emit('listening', { port: cfg.port }));

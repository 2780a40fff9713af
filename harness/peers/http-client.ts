/**
 * Peer: an HTTP/1.1 client on raw TCP sockets, driven by JSON commands on
 * stdin, that reports exactly what it saw on each connection: when it
 * connected or was refused, every response (status, Connection header, body),
 * and when the server closed the connection. Raw sockets, not node:http, so
 * nothing between us and the wire retries, pools or hides a close.
 *
 * Config (argv[2]): { host, port }.
 * Commands:
 *  - { cmd: 'probe', timeoutMs }: connects again and again until `GET /` is
 *    answered; emits `ready` (with the response) or `not-ready`.
 *  - { cmd: 'open', id }: opens a keep-alive connection named `id`;
 *    emits `connected` or `connect-error`.
 *  - { cmd: 'request', id, path, follow?, closeAfter? }: sends `GET path` on
 *    connection `id`. When the answer does not say `Connection: close` and
 *    `follow` is set, sends `GET follow` on the same connection at once.
 *    With `closeAfter`, ends the connection after the (last) response.
 * Events: connected, connect-error, sent, response, unanswered, fin, sock-error,
 * closed — each with the connection id; requests carry a `seq` per connection.
 */
import net from 'node:net';
import { config, emit, onCommand } from '../agent.ts';
import { nowMs, sleep } from '../clock.ts';

interface Config {
  host: string;
  port: number;
}

export interface ParsedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Incremental HTTP/1.1 response parser: Content-Length, chunked, or (with
 * neither) a body that runs to the end of the connection.
 */
export class ResponseParser {
  private buf = Buffer.alloc(0);
  private head: { status: number; headers: Record<string, string> } | undefined;
  private body: Buffer[] = [];
  private remaining: number | 'chunked' | 'eof' = 0;
  private chunkLeft = -1;

  /** Feeds bytes; returns the responses they completed. */
  push(data: Buffer): ParsedResponse[] {
    this.buf = Buffer.concat([this.buf, data]);
    const done: ParsedResponse[] = [];
    for (;;) {
      const r = this.step();
      if (!r) break;
      done.push(r);
    }
    return done;
  }

  /** The connection ended: a body delimited by the close is complete now. */
  end(): ParsedResponse | undefined {
    if (this.head && this.remaining === 'eof') {
      this.body.push(this.buf);
      this.buf = Buffer.alloc(0);
      return this.finish();
    }
    return undefined;
  }

  /** Part of a response has arrived. */
  get partial(): boolean {
    return this.head !== undefined || this.buf.length > 0;
  }

  private finish(): ParsedResponse {
    const r = { ...this.head!, body: Buffer.concat(this.body).toString('utf8').slice(0, 500) };
    this.head = undefined;
    this.body = [];
    return r;
  }

  private step(): ParsedResponse | undefined {
    if (!this.head) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return undefined;
      const lines = this.buf.subarray(0, end).toString('latin1').split('\r\n');
      this.buf = this.buf.subarray(end + 4);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
      const headers: Record<string, string> = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) {
          const k = l.slice(0, i).trim().toLowerCase();
          const v = l.slice(i + 1).trim();
          headers[k] = headers[k] !== undefined ? `${headers[k]}, ${v}` : v;
        }
      }
      this.head = { status, headers };
      if (/\bchunked\b/i.test(headers['transfer-encoding'] ?? '')) {
        this.remaining = 'chunked';
        this.chunkLeft = -1;
      } else if (headers['content-length'] !== undefined) this.remaining = Number(headers['content-length']);
      else if (status === 204 || status === 304 || (status >= 100 && status < 200)) this.remaining = 0;
      else this.remaining = 'eof';
    }
    if (typeof this.remaining === 'number') {
      if (this.buf.length < this.remaining) return undefined;
      this.body.push(this.buf.subarray(0, this.remaining));
      this.buf = this.buf.subarray(this.remaining);
      return this.finish();
    }
    if (this.remaining === 'eof') return undefined;
    // chunked
    for (;;) {
      if (this.chunkLeft < 0) {
        const eol = this.buf.indexOf('\r\n');
        if (eol < 0) return undefined;
        const size = parseInt(this.buf.subarray(0, eol).toString('latin1').split(';')[0]!.trim(), 16);
        this.buf = this.buf.subarray(eol + 2);
        if (!Number.isFinite(size) || size === 0) {
          // Last chunk: skip trailers up to the empty line.
          const endTrailers = this.buf.indexOf('\r\n');
          if (endTrailers < 0) {
            this.chunkLeft = -2;
            return undefined;
          }
          this.buf = this.buf.subarray(endTrailers + 2);
          this.chunkLeft = -1;
          return this.finish();
        }
        this.chunkLeft = size;
      }
      if (this.chunkLeft === -2) return undefined;
      if (this.buf.length < this.chunkLeft + 2) return undefined;
      this.body.push(this.buf.subarray(0, this.chunkLeft));
      this.buf = this.buf.subarray(this.chunkLeft + 2);
      this.chunkLeft = -1;
    }
  }
}

const cfg = config<Config>();

interface Conn {
  socket: net.Socket;
  parser: ResponseParser;
  pending: Array<{ seq: number; path: string; t: number; follow?: string; closeAfter?: boolean }>;
  seq: number;
  closed: boolean;
}

const conns = new Map<string, Conn>();

function request(id: string, conn: Conn, path: string, follow?: string, closeAfter?: boolean): void {
  const seq = conn.seq++;
  conn.pending.push({ seq, path, t: nowMs(), follow, closeAfter });
  conn.socket.write(`GET ${path} HTTP/1.1\r\nHost: ${cfg.host}:${cfg.port}\r\nConnection: keep-alive\r\n\r\n`);
  emit('sent', { id, seq, path });
}

function answered(id: string, conn: Conn, r: ParsedResponse): void {
  const req = conn.pending.shift();
  const connection = r.headers['connection']?.toLowerCase();
  emit('response', {
    id,
    seq: req?.seq,
    path: req?.path,
    sentAt: req?.t,
    status: r.status,
    connection: connection ?? null,
    body: r.body,
  });
  const closing = connection !== undefined && /\bclose\b/.test(connection);
  // A client that honours Connection: close does not reuse the connection.
  if (req?.follow && !closing && !conn.closed) request(id, conn, req.follow, undefined, req.closeAfter);
  else if (req?.closeAfter && conn.pending.length === 0) conn.socket.end();
}

function open(id: string): Promise<Conn | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: cfg.host, port: cfg.port });
    const conn: Conn = { socket, parser: new ResponseParser(), pending: [], seq: 0, closed: false };
    let connected = false;
    socket.on('connect', () => {
      connected = true;
      conns.set(id, conn);
      emit('connected', { id, localPort: socket.localPort });
      resolve(conn);
    });
    socket.on('data', (d: Buffer) => {
      for (const r of conn.parser.push(d)) answered(id, conn, r);
    });
    socket.on('end', () => {
      const last = conn.parser.end();
      if (last) answered(id, conn, last);
      emit('fin', { id });
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (!connected) {
        emit('connect-error', { id, code: err.code ?? null, message: err.message });
        resolve(undefined);
      } else emit('sock-error', { id, code: err.code ?? null });
    });
    socket.on('close', (hadError) => {
      conn.closed = true;
      for (const p of conn.pending.splice(0)) emit('unanswered', { id, seq: p.seq, path: p.path, partial: conn.parser.partial });
      if (connected) emit('closed', { id, hadError });
    });
  });
}

/** One readiness attempt: a fresh connection, `GET /`, the answer or null. */
async function probeOnce(): Promise<{ status: number; body: string; connection: string | null } | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: cfg.host, port: cfg.port });
    const parser = new ResponseParser();
    const timer = setTimeout(() => finish(null), 1500);
    const finish = (r: ParsedResponse | null | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(r ? { status: r.status, body: r.body, connection: r.headers['connection'] ?? null } : null);
    };
    socket.on('connect', () => socket.write(`GET / HTTP/1.1\r\nHost: ${cfg.host}:${cfg.port}\r\nConnection: close\r\n\r\n`));
    socket.on('data', (d: Buffer) => {
      const [r] = parser.push(d);
      if (r) finish(r);
    });
    socket.on('end', () => finish(parser.end()));
    socket.on('error', () => finish(null));
    socket.on('close', () => finish(null));
  });
}

onCommand(async (c) => {
  if (c.cmd === 'probe') {
    const until = nowMs() + Number(c.timeoutMs ?? 5000);
    let attempts = 0;
    while (nowMs() < until) {
      attempts++;
      const r = await probeOnce();
      if (r) {
        emit('ready', { ...r, attempts });
        return;
      }
      await sleep(20);
    }
    emit('not-ready', { attempts });
  } else if (c.cmd === 'open') {
    await open(String(c.id));
  } else if (c.cmd === 'request') {
    const id = String(c.id);
    const conn = conns.get(id);
    if (!conn || conn.closed) {
      emit('request-error', { id, reason: conn ? 'connection already closed' : 'no such connection' });
      return;
    }
    request(id, conn, String(c.path), c.follow === undefined ? undefined : String(c.follow), Boolean(c.closeAfter));
  }
});

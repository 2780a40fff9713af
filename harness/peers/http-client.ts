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
import { ResponseParser, type ParsedResponse } from './http-parser.ts';

interface Config {
  host: string;
  port: number;
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

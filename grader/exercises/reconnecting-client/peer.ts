/**
 * reconnecting-client's peer: a line-protocol server (SUB/PING from the
 * client, MSG/PONG to it) that records every connection and every line it
 * received, with its own clock.
 *
 * Config: { port, pong } — pong false: PINGs are recorded but never answered
 * and nothing else is sent unless commanded (a connection that looks dead).
 * Commands (JSON lines on stdin):
 *  - publish {parts: string[], gapMs}: writes each part, gapMs apart, to every
 *    open connection (a line may be split across parts, several lines may share one);
 *  - drop {}: ends every open connection normally (FIN), the listener stays.
 * Events: listening, accept {id, remote, remotePort}, line {id, text},
 * pong {id} (recorded just before the write; a PING that comes while a publish
 * is in the middle of a line is answered when that line is complete, never inside it), wrote {id, part}, dropping {id},
 * end {id}, close {id, hadError}, error {id, code}.
 */
import net from 'node:net';
import { config, emit, onCommand } from '../../../harness/agent.ts';

export interface ReconnectPeerConfig {
  port: number;
  pong: boolean;
}

const cfg = config<ReconnectPeerConfig>();
const open = new Map<number, net.Socket>();
/** Connections a publish has left in the middle of a line, and the PONGs owed to them: a PONG waits for the line's end. */
const midLine = new Set<number>();
const owedPongs = new Map<number, number>();
let nextId = 0;

function pong(id: number, socket: net.Socket): void {
  if (!socket.writable) return;
  emit('pong', { id });
  socket.write('PONG\n');
}

/** The line a publish split has ended: answer the PINGs that came meanwhile. */
function payOwedPongs(id: number, socket: net.Socket): void {
  midLine.delete(id);
  for (let n = owedPongs.get(id) ?? 0; n > 0; n--) pong(id, socket);
  owedPongs.delete(id);
}

const server = net.createServer((socket) => {
  const id = nextId++;
  open.set(id, socket);
  socket.setNoDelay(true);
  emit('accept', { id, remote: socket.remoteAddress, remotePort: socket.remotePort });
  let buf = '';
  socket.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    if (buf.length > 65536) buf = buf.slice(-65536);
    for (;;) {
      const nl = buf.indexOf('\n');
      if (nl < 0) break;
      const text = buf.slice(0, nl).replace(/\r$/, '');
      buf = buf.slice(nl + 1);
      emit('line', { id, text: text.slice(0, 512) });
      if (text === 'PING' && cfg.pong && socket.writable) {
        if (midLine.has(id)) owedPongs.set(id, (owedPongs.get(id) ?? 0) + 1);
        else pong(id, socket);
      }
    }
  });
  socket.on('end', () => {
    emit('end', { id });
    socket.end();
  });
  socket.on('error', (err: NodeJS.ErrnoException) => emit('error', { id, code: err.code }));
  socket.on('close', (hadError) => {
    open.delete(id);
    midLine.delete(id);
    owedPongs.delete(id);
    emit('close', { id, hadError });
  });
});

onCommand(async (c) => {
  if (c.cmd === 'publish') {
    const parts = c.parts as string[];
    const gapMs = Number(c.gapMs ?? 0);
    const targets = [...open.entries()];
    for (let i = 0; i < parts.length; i++) {
      if (i > 0 && gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
      for (const [id, s] of targets) {
        if (!s.writable) continue;
        const part = parts[i]!;
        emit('wrote', { id, part: i });
        s.write(part);
        if (part === '') continue;
        if (part.endsWith('\n')) payOwedPongs(id, s);
        else midLine.add(id);
      }
    }
    // A publish that ends mid-line (none does) would owe its PONGs forever: pay them now.
    for (const [id, s] of targets) if (midLine.has(id)) payOwedPongs(id, s);
    emit('published', { to: targets.map(([id]) => id) });
  } else if (c.cmd === 'drop') {
    for (const [id, s] of open) {
      emit('dropping', { id });
      s.end();
    }
  }
});

server.on('error', (err: NodeJS.ErrnoException) => {
  emit('listen-error', { code: err.code });
  process.exit(1);
});
server.listen(cfg.port, '0.0.0.0', () => emit('listening', { port: cfg.port }));

/**
 * Peer: a TCP server that records every connection. Modes:
 *  - echo: sends back what it receives;
 *  - sink: reads and discards;
 *  - greet: writes `greeting` on accept, then echoes.
 * With any mode, `heartbeat` writes `text` every `everyMs`, `count` times,
 * from the accept on (each a segment of its own: no Nagle), and `endAfterMs`
 * ends our side that long after the first data arrived (a normal close).
 * Events: listening, accept, data (byte counts, and the chunk's first 256
 * bytes as latin1: what crossed the wire, for checks that must not take the
 * learner's side of the story), end, close, error.
 */
import net from 'node:net';
import { config, emit } from '../agent.ts';

interface Config {
  port: number;
  host?: string;
  mode?: 'echo' | 'sink' | 'greet';
  greeting?: string;
  heartbeat?: { everyMs: number; count: number; text: string };
  endAfterMs?: number;
}

const cfg = config<Config>();
let nextId = 0;
const server = net.createServer((socket) => {
  const id = nextId++;
  emit('accept', { id, remote: socket.remoteAddress, remotePort: socket.remotePort });
  let bytes = 0;
  if (cfg.mode === 'greet') socket.write(cfg.greeting ?? 'hello\n');
  let beats: NodeJS.Timeout | undefined;
  if (cfg.heartbeat) {
    const hb = cfg.heartbeat;
    socket.setNoDelay(true);
    let n = 0;
    beats = setInterval(() => {
      if (socket.destroyed || !socket.writable) return clearInterval(beats);
      // Recorded before the write: its time is a lower bound of the segment's.
      emit('heartbeat', { id, n: ++n });
      socket.write(hb.text);
      if (n >= hb.count) clearInterval(beats);
    }, hb.everyMs);
  }
  let ending: NodeJS.Timeout | undefined;
  socket.on('data', (d) => {
    if (cfg.endAfterMs !== undefined && ending === undefined) {
      ending = setTimeout(() => {
        emit('ending', { id });
        socket.end();
      }, cfg.endAfterMs);
    }
    bytes += d.length;
    emit('data', { id, bytes: d.length, total: bytes, text: d.subarray(0, 256).toString('latin1') });
    if (cfg.mode !== 'sink') socket.write(d);
  });
  socket.on('end', () => {
    emit('end', { id });
    socket.end();
  });
  socket.on('error', (err: NodeJS.ErrnoException) => emit('error', { id, code: err.code }));
  socket.on('close', (hadError) => {
    clearInterval(beats);
    clearTimeout(ending);
    emit('close', { id, hadError, total: bytes });
  });
});
server.on('error', (err: NodeJS.ErrnoException) => {
  emit('listen-error', { code: err.code });
  process.exit(1);
});
server.listen(cfg.port, cfg.host ?? '0.0.0.0', () => emit('listening', { port: cfg.port }));

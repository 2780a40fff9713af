/**
 * idle-timeout's peer: a TCP server that records every connection. Every
 * connection starts the same way: the first `echoBytes` bytes received are
 * echoed (one round trip), so no scenario can be told from another by its
 * first exchange. Then, by `after`:
 *  - echo: goes on echoing everything;
 *  - sink: reads and discards;
 * and `heartbeat` writes `text` every `everyMs`, `count` times, from the end of
 * the echo on (each a segment of its own: no Nagle); `endAfterMs` ends our side
 * that long after the first data arrived (a normal close).
 * Events: listening, accept, data (byte counts, how many of them were echoed,
 * and the chunk's first 256 bytes as latin1), heartbeat, ending, end, close, error.
 */
import net from 'node:net';
import { config, emit } from '../../../harness/agent.ts';

export interface IdlePeerConfig {
  port: number;
  echoBytes: number;
  after: 'echo' | 'sink';
  heartbeat?: { everyMs: number; count: number; text: string };
  endAfterMs?: number;
}

const cfg = config<IdlePeerConfig>();
let nextId = 0;
const server = net.createServer((socket) => {
  const id = nextId++;
  emit('accept', { id, remote: socket.remoteAddress, remotePort: socket.remotePort });
  socket.setNoDelay(true);
  let bytes = 0;
  let beats: NodeJS.Timeout | undefined;
  const startBeats = () => {
    const hb = cfg.heartbeat;
    if (!hb || beats) return;
    let n = 0;
    beats = setInterval(() => {
      if (socket.destroyed || !socket.writable) return clearInterval(beats);
      // Recorded before the write: its time is a lower bound of the segment's.
      emit('heartbeat', { id, n: ++n });
      socket.write(hb.text);
      if (n >= hb.count) clearInterval(beats);
    }, hb.everyMs);
  };
  let ending: NodeJS.Timeout | undefined;
  socket.on('data', (d) => {
    if (cfg.endAfterMs !== undefined && ending === undefined) {
      ending = setTimeout(() => {
        emit('ending', { id });
        socket.end();
      }, cfg.endAfterMs);
    }
    const echoed = cfg.after === 'echo' ? d.length : Math.max(0, Math.min(d.length, cfg.echoBytes - bytes));
    bytes += d.length;
    // Recorded before the echo: its time is a lower bound of the echo's.
    emit('data', { id, bytes: d.length, total: bytes, echoed, text: d.subarray(0, 256).toString('latin1') });
    if (echoed > 0) socket.write(d.subarray(0, echoed));
    if (bytes >= cfg.echoBytes) startBeats();
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
server.listen(cfg.port, '0.0.0.0', () => emit('listening', { port: cfg.port }));

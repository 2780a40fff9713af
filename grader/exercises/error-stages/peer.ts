/**
 * error-stages' peer: a TCP server that plays one way of failing (or not) per
 * scenario, and records its own times. Every mode knows the request it should
 * receive by its length and SHA-256 (never its text), so what arrived is judged
 * here, on the peer's side of the wire. Modes:
 *  - reply-and-end: reads the whole request, writes `reply` in a few writes, ends its side;
 *  - read-then-reset-midreply: reads the whole request, writes `partial`, resets `resetAfterMs` later;
 *  - no-read-then-reset: reads nothing, resets `resetAfterMs` after the accept (the client is still writing);
 *  - silent: reads nothing for `holdMs`, then reads the whole request and answers nothing, ever.
 * Events: listening, accept, request (the whole request is in: bytes, match), reply-sent, reset,
 * end (the client's FIN), error (a reset: code), close (with bytes read).
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import { config, emit } from '../../../harness/agent.ts';

export type PeerMode = 'reply-and-end' | 'read-then-reset-midreply' | 'no-read-then-reset' | 'silent';

export interface StagesPeerConfig {
  port: number;
  mode: PeerMode;
  /** The request as it should arrive: its length and the hex SHA-256 of its bytes. */
  requestBytes: number;
  requestSha: string;
  reply?: string[];
  partial?: string;
  resetAfterMs?: number;
  holdMs?: number;
}

const cfg = config<StagesPeerConfig>();
let nextId = 0;

// Half-open allowed: a client may end its side once the request is written and still read the reply.
const server = net.createServer({ allowHalfOpen: true }, (socket) => {
  const id = nextId++;
  emit('accept', { id, remote: socket.remoteAddress, remotePort: socket.remotePort });
  socket.setNoDelay(true);
  let bytes = 0;
  let complete = false;
  let resetTimer: NodeJS.Timeout | undefined;
  let holdTimer: NodeJS.Timeout | undefined;
  const hash = createHash('sha256');
  const reset = () => {
    if (socket.destroyed) return;
    emit('reset', { id, bytes });
    socket.resetAndDestroy();
  };
  const whole = () => {
    complete = true;
    emit('request', { id, bytes, match: bytes === cfg.requestBytes && hash.digest('hex') === cfg.requestSha });
    if (cfg.mode === 'reply-and-end') {
      const parts = cfg.reply ?? [];
      let i = 0;
      const next = () => {
        if (socket.destroyed) return;
        if (i < parts.length) {
          socket.write(parts[i++]!);
          setTimeout(next, 20);
        } else {
          emit('reply-sent', { id });
          socket.end();
        }
      };
      next();
    } else if (cfg.mode === 'read-then-reset-midreply') {
      socket.write(cfg.partial ?? '', () => emit('reply-sent', { id, partial: true }));
      resetTimer = setTimeout(reset, cfg.resetAfterMs ?? 100);
    }
  };
  socket.on('data', (d: Buffer) => {
    if (complete) {
      bytes += d.length;
      return;
    }
    const room = cfg.requestBytes - bytes;
    hash.update(d.length > room ? d.subarray(0, room) : d);
    bytes += d.length;
    if (bytes >= cfg.requestBytes) whole();
  });
  if (cfg.mode === 'no-read-then-reset') {
    socket.pause();
    resetTimer = setTimeout(reset, cfg.resetAfterMs ?? 300);
  } else if (cfg.mode === 'silent' && cfg.holdMs) {
    socket.pause();
    holdTimer = setTimeout(() => {
      emit('resume', { id });
      socket.resume();
    }, cfg.holdMs);
  }
  // A client may half-close once its request is written: that ends nothing on our side (a silent peer stays silent).
  socket.on('end', () => emit('end', { id, bytes }));
  socket.on('error', (err: NodeJS.ErrnoException) => emit('error', { id, code: err.code }));
  socket.on('close', (hadError) => {
    clearTimeout(resetTimer);
    clearTimeout(holdTimer);
    emit('close', { id, hadError, bytes });
  });
});
server.on('error', (err: NodeJS.ErrnoException) => {
  emit('listen-error', { code: err.code });
  process.exit(1);
});
server.listen(cfg.port, '0.0.0.0', () => emit('listening', { port: cfg.port }));

/**
 * Peer: a TCP client driven by commands on stdin, one connection per tag.
 * It checks echoes byte for byte and can misbehave on purpose (reset a
 * connection mid-stream, flood a server while refusing to read).
 *
 * Commands (JSON lines):
 *  - open      {tag, host, port, retryRefusedMs?}          → open {tag, ok: true, localPort} | open {tag, ok: false, code}
 *  - echo      {tag, id, chunks, gapMs?, timeoutMs, seed?} → echo {tag, id, ok, sent, received, mismatchAt?, reason?, ms}
 *              sends chunks (byte counts) of a seeded pattern on an open connection and
 *              waits for every byte to come back unchanged.
 *  - reset     {tag, preBytes?, waitEchoMs?}               → reset {tag, echoed}: writes preBytes (if any); once the
 *              first byte of their echo is back (or waitEchoMs passed) sends an RST
 *  - flood     {tag, bytes, untilFlushed, stallMs}         → flooded {tag, flushed, queued, why}
 *              stops reading and writes `bytes`; reports once `untilFlushed` bytes have left
 *              the process, or nothing moved for stallMs, or everything was written.
 *  - resume    {tag}                                       starts reading again (discarding), after a flood
 *  - end       {tag}                                       → FIN; the connection is forgotten
 *  - destroy   {tag}
 * Also emitted: error {tag, code}, close {tag, hadError}.
 */
import net from 'node:net';
import { emit, onCommand } from '../agent.ts';

interface Conn {
  socket: net.Socket;
  /** Set while an echo is in progress: checks each arriving byte. */
  onData?: (d: Buffer) => void;
}

const conns = new Map<string, Conn>();

/** The byte at `i` of the pattern for `seed`: every byte value occurs, and shifted data does not match. */
export function patternByte(seed: number, i: number): number {
  return (i * 131 + (i >>> 8) * 7 + seed * 29) & 0xff;
}

function pattern(seed: number, from: number, length: number): Buffer {
  const b = Buffer.allocUnsafe(length);
  for (let k = 0; k < length; k++) b[k] = patternByte(seed, from + k);
  return b;
}

function code(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e?.code ?? e?.message ?? String(err);
}

function connect(host: string, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port });
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

async function open(c: { tag: string; host: string; port: number; retryRefusedMs?: number }): Promise<void> {
  const until = Date.now() + (c.retryRefusedMs ?? 0);
  for (;;) {
    try {
      const socket = await connect(c.host, c.port);
      const conn: Conn = { socket };
      conns.set(c.tag, conn);
      socket.on('data', (d) => conn.onData?.(d));
      socket.on('error', (err) => emit('error', { tag: c.tag, code: code(err) }));
      socket.on('close', (hadError) => emit('close', { tag: c.tag, hadError }));
      emit('open', { tag: c.tag, ok: true, localPort: socket.localPort });
      return;
    } catch (err) {
      if (code(err) === 'ECONNREFUSED' && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      emit('open', { tag: c.tag, ok: false, code: code(err) });
      return;
    }
  }
}

function echo(c: { tag: string; id: string; chunks: number[]; gapMs?: number; timeoutMs: number; seed?: number }): void {
  const conn = conns.get(c.tag);
  const total = c.chunks.reduce((a, b) => a + b, 0);
  if (!conn || conn.socket.destroyed) {
    emit('echo', { tag: c.tag, id: c.id, ok: false, sent: 0, received: 0, expected: total, reason: 'not connected' });
    return;
  }
  const seed = c.seed ?? 1;
  const started = Date.now();
  let received = 0;
  let sent = 0;
  let finished = false;
  const { socket } = conn;
  const finish = (ok: boolean, extra: Record<string, unknown> = {}): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    conn.onData = undefined;
    socket.off('close', onClose);
    emit('echo', { tag: c.tag, id: c.id, ok, sent, received, expected: total, ms: Date.now() - started, ...extra });
  };
  conn.onData = (d) => {
    for (let k = 0; k < d.length; k++) {
      if (received + k >= total) return finish(false, { reason: 'more bytes came back than were sent', mismatchAt: received + k });
      if (d[k] !== patternByte(seed, received + k)) return finish(false, { reason: 'bytes came back changed', mismatchAt: received + k });
    }
    received += d.length;
    if (received === total) finish(true);
  };
  const onClose = (): void => finish(false, { reason: 'the connection closed' });
  socket.once('close', onClose);
  const timer = setTimeout(() => finish(false, { reason: 'timeout' }), c.timeoutMs);
  void (async () => {
    for (const [i, n] of c.chunks.entries()) {
      if (finished) return;
      if (i > 0 && c.gapMs) await new Promise((r) => setTimeout(r, c.gapMs));
      if (finished || socket.destroyed) return;
      socket.write(pattern(seed, sent, n));
      sent += n;
    }
  })();
}

function reset(c: { tag: string; preBytes?: number; waitEchoMs?: number }): void {
  const conn = conns.get(c.tag);
  if (!conn) return emit('reset', { tag: c.tag, missing: true });
  conns.delete(c.tag);
  let echoed = 0;
  let timer: NodeJS.Timeout | undefined;
  const fire = (): void => {
    clearTimeout(timer);
    conn.onData = undefined;
    // SO_LINGER 0 and close: the kernel sends RST instead of FIN, as a crashed or killed client would.
    conn.socket.resetAndDestroy();
    emit('reset', { tag: c.tag, echoed });
  };
  if (!c.preBytes) return fire();
  conn.socket.write(pattern(7, 0, c.preBytes));
  // Reset while the server is busy echoing; a server that echoes nothing gets the reset after
  // waitEchoMs, once the kernel has delivered (and so acknowledged) every byte in flight.
  conn.onData = (d) => {
    echoed += d.length;
    fire();
  };
  timer = setTimeout(fire, c.waitEchoMs ?? 0);
}

function flood(c: { tag: string; bytes: number; untilFlushed: number; stallMs: number }): void {
  const conn = conns.get(c.tag);
  if (!conn) return emit('flooded', { tag: c.tag, missing: true, flushed: 0 });
  const { socket } = conn;
  // Refuse to read: the server's echo piles up in our receive window, then in its send buffers.
  socket.pause();
  const chunk = 64 * 1024;
  for (let sent = 0; sent < c.bytes; sent += chunk) socket.write(pattern(3, sent, Math.min(chunk, c.bytes - sent)));
  let last = -1;
  let still = 0;
  const step = 25;
  const poll = setInterval(() => {
    const flushed = socket.bytesWritten - socket.writableLength;
    const report = (why: string): void => {
      clearInterval(poll);
      emit('flooded', { tag: c.tag, flushed, queued: socket.writableLength, why });
    };
    if (socket.destroyed) return report('closed');
    if (flushed >= c.untilFlushed) return report('flushed');
    if (socket.writableLength === 0) return report('all written');
    still = flushed === last ? still + step : 0;
    last = flushed;
    if (still >= c.stallMs) report('stalled');
  }, step);
}

onCommand(async (c) => {
  const tag = String(c.tag);
  switch (c.cmd) {
    case 'open':
      return open({ tag, host: String(c.host), port: Number(c.port), retryRefusedMs: c.retryRefusedMs as number | undefined });
    case 'echo':
      return echo({ tag, id: String(c.id ?? tag), chunks: c.chunks as number[], gapMs: c.gapMs as number | undefined, timeoutMs: Number(c.timeoutMs), seed: c.seed as number | undefined });
    case 'reset':
      return reset({ tag, preBytes: c.preBytes as number | undefined, waitEchoMs: c.waitEchoMs as number | undefined });
    case 'flood':
      return flood({ tag, bytes: Number(c.bytes), untilFlushed: Number(c.untilFlushed), stallMs: Number(c.stallMs) });
    case 'resume':
      conns.get(tag)?.socket.resume();
      return;
    case 'end':
      conns.get(tag)?.socket.end();
      conns.delete(tag);
      return;
    case 'destroy':
      conns.get(tag)?.socket.destroy();
      conns.delete(tag);
      return;
    default:
      emit('agent-error', { cmd: c.cmd, message: 'unknown command' });
  }
});
emit('ready');

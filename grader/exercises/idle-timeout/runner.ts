/**
 * Runs inside the learner's sandbox and loads the learner's module
 * (harness/runner-kit.ts): calls connectWithIdleTimeout once, makes the
 * scenario's traffic on the socket it resolved, then holds nothing, so the
 * process lives exactly as long as the learner's socket and timers do (so no
 * doneThenExit: when it exits is the evidence). It holds no expectations; the
 * grader judges, from the wire and the process's exit.
 */
import { config, describeError, emit, after, sleep } from '../../../harness/runner-kit.ts';
import { learnerFunction, reportCrashes } from '../../kit/runner.ts';
import net from 'node:net';

export interface RunnerConfig {
  host: string;
  port: number;
  idleMs: number;
  /** Wait this long after the promise resolved before the first write. */
  firstWriteAfterMs: number;
  /** The first write: drawn bytes the peer must receive. */
  payload: string;
  /** Wait for the payload to come back (the peer echoes). */
  awaitEcho: boolean;
  /** Writes after the first one: `text` every `everyMs`, `count` times. */
  writes?: { everyMs: number; count: number; text: string };
}

const cfg = config<RunnerConfig>();
const NetSocket = net.Socket;

function waitForEcho(socket: net.Socket, received: () => string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      timer.cancel();
      socket.off('data', onData);
      socket.off('close', onClose);
      resolve(ok);
    };
    // Our own 'data' listener (below) has already counted the chunk when this one runs.
    const onData = () => {
      if (received().includes(cfg.payload)) done(true);
    };
    const onClose = () => done(false);
    const timer = after(timeoutMs, () => done(false));
    socket.on('data', onData);
    socket.once('close', onClose);
    onData();
  });
}

async function main(): Promise<void> {
  const fn = await learnerFunction<(h: string, p: number, ms: number) => Promise<unknown>>('connectWithIdleTimeout');
  if (!fn) return;
  emit('call');
  let socket: unknown;
  try {
    socket = await fn(cfg.host, cfg.port, cfg.idleMs);
  } catch (err) {
    emit('rejected', { error: describeError(err) });
    return;
  }
  const isSocket = socket instanceof NetSocket;
  emit('resolved', { isSocket, connecting: isSocket ? (socket as net.Socket).connecting : undefined });
  if (!isSocket) return;
  const s = socket as net.Socket;
  // The learner may destroy with an error: a caller that listens is what the contract assumes.
  s.on('error', (err) => emit('socket-error', { error: describeError(err) }));
  s.once('end', () => emit('socket-end'));
  s.once('close', () => emit('socket-close'));
  let text = '';
  // Reading keeps the socket flowing: heartbeats must reach the learner's code to count as activity.
  s.on('data', (d: Buffer) => {
    if (text.length < 65536) text += d.toString('latin1');
  });
  if (cfg.firstWriteAfterMs > 0) await sleep(cfg.firstWriteAfterMs);
  if (s.destroyed || !s.writable) {
    emit('closed-before-write');
    return;
  }
  s.write(cfg.payload);
  emit('wrote', { n: 0 });
  if (cfg.awaitEcho) {
    const ok = await waitForEcho(s, () => text, 3000);
    emit(ok ? 'echoed' : 'no-echo');
  }
  if (cfg.writes) {
    for (let n = 1; n <= cfg.writes.count; n++) {
      await sleep(cfg.writes.everyMs);
      if (s.destroyed || !s.writable) break;
      s.write(cfg.writes.text);
      emit('wrote', { n });
    }
    emit('writes-done');
  }
  // From here nothing of ours holds the event loop: the process stays up only while the learner's code does.
  emit('done');
}

reportCrashes();
void main();

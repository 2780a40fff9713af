/**
 * Runs inside the learner's sandbox and loads the learner's module
 * (harness/runner-kit.ts): calls connectWithTimeout once and reports what the
 * promise did. It holds no expectations; the grader judges.
 */
import { config, describeError, emit, emitSync, exitNow, after, sleep } from '../../../harness/runner-kit.ts';
import { learnerFunction, reportCrashes } from '../../kit/runner.ts';
import net from 'node:net';

export interface RunnerConfig {
  host: string;
  port: number;
  connectMs: number;
  /** How long to keep the process alive after a rejection, so the wire shows what the socket still does. */
  observeMs: number;
  /** Gaps between echo round trips after a successful connect. */
  pingGapsMs: number[];
  /** The bytes of each round trip (drawn per run). */
  payloads: string[];
}

const cfg = config<RunnerConfig>();
const NetSocket = net.Socket;

function roundTrip(socket: net.Socket, payload: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let got = '';
    const done = (ok: boolean) => {
      timer.cancel();
      socket.off('data', onData);
      socket.off('close', onClose);
      resolve(ok);
    };
    const onData = (d: Buffer) => {
      got += d.toString();
      if (got.includes(payload)) done(true);
    };
    const onClose = () => done(false);
    const timer = after(timeoutMs, () => done(false));
    socket.on('data', onData);
    socket.once('close', onClose);
    if (socket.destroyed || !socket.writable) return done(false);
    socket.write(payload, (err) => {
      if (err) done(false);
    });
  });
}

async function main(): Promise<void> {
  const fn = await learnerFunction<(h: string, p: number, ms: number) => Promise<unknown>>('connectWithTimeout');
  if (!fn) return;
  let settled = false;
  const observe = after(cfg.observeMs, () => {
    if (!settled) emitSync('pending');
    exitNow(0);
  });
  emit('call');
  let socket: unknown;
  try {
    socket = await fn(cfg.host, cfg.port, cfg.connectMs);
  } catch (err) {
    settled = true;
    emit('rejected', { error: describeError(err) });
    // Stay alive until the observation window ends: a socket left connecting keeps sending SYNs.
    return;
  }
  settled = true;
  observe.cancel();
  const isSocket = socket instanceof NetSocket;
  emit('resolved', { isSocket, connecting: isSocket ? (socket as net.Socket).connecting : undefined });
  if (!isSocket) return;
  const s = socket as net.Socket;
  s.on('error', () => {});
  const echoes: boolean[] = [];
  for (const [i, gap] of cfg.pingGapsMs.entries()) {
    if (gap > 0) await sleep(gap);
    echoes.push(await roundTrip(s, `${cfg.payloads[i] ?? `ping-${i}`}\n`, 2000));
  }
  emit('echoes', { echoes });
  s.destroy();
  // From here nothing of ours holds the event loop: if the process stays up, the learner's code does.
  emit('done');
}

reportCrashes();
void main();

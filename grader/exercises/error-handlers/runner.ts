/**
 * Runs inside the learner's sandbox and loads the learner's module
 * (harness/runner-kit.ts):
 * calls startEchoServer once and reports how the promise settled, then stays
 * alive so the grader can throw clients at the server. It attaches no
 * listener to the learner's server or sockets (that is what is graded) and
 * holds no expectations; the grader judges.
 */
import { config, describeError, emit, emitSync, exitNow, importLearner } from '../../../harness/runner-kit.ts';
import net from 'node:net';

export interface RunnerConfig {
  port: number;
  /** Passed as startEchoServer's second argument; omitted when null. */
  host: string | null;
  /** Take the port with a server of our own first, so the learner's listen() meets EADDRINUSE. */
  occupy?: boolean;
}

const cfg = config<RunnerConfig>();
const NetServer = net.Server;

// A crash is evidence, not noise: report it and exit the way an uncaught error would.
// (Reporting here also keeps Node's own stack trace off stderr: stderr is the learner's log.)
process.on('uncaughtException', (err) => {
  emitSync('crash', { error: describeError(err) });
  exitNow(70);
});

// Nothing of ours may end the process early: the grader decides when it stops.
setInterval(() => {}, 1 << 30);

function listen(server: net.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function main(): Promise<void> {
  const fn = (await importLearner()).startEchoServer;
  if (typeof fn !== 'function') {
    emit('settled', { outcome: 'missing-export' });
    return;
  }
  if (cfg.occupy) {
    const squatter = net.createServer((s) => s.destroy());
    squatter.on('error', () => {});
    try {
      await listen(squatter, cfg.port, cfg.host ?? '0.0.0.0');
      emit('occupied', { port: cfg.port });
    } catch (err) {
      emit('occupy-failed', { error: describeError(err) });
      return;
    }
  }
  const args: unknown[] = cfg.host === null ? [cfg.port] : [cfg.port, cfg.host];
  emit('call');
  let result: unknown;
  try {
    result = await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
  } catch (err) {
    emit('settled', { outcome: 'rejected', error: describeError(err) });
    return;
  }
  const isServer = result instanceof NetServer;
  const server = result as net.Server;
  const address = isServer ? server.address() : null;
  emit('settled', {
    outcome: 'resolved',
    isServer,
    listening: isServer ? server.listening : undefined,
    port: address && typeof address === 'object' ? address.port : undefined,
  });
}

void main();

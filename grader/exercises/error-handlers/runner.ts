/**
 * Runs inside the learner's sandbox and loads the learner's module
 * (harness/runner-kit.ts):
 * calls startEchoServer once and reports how the promise settled, then stays
 * alive so the grader can throw clients at the server. It attaches no
 * listener to the learner's server or sockets (that is what is graded) and
 * holds no expectations; the grader judges.
 */
import { config, describeError, emit } from '../../../harness/runner-kit.ts';
import { learnerFunction, reportCrashes } from '../../kit/runner.ts';
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

reportCrashes();

// Nothing of ours may end the process early: the grader decides when it stops.
const keepAlive = setInterval(() => {}, 1 << 30);

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
  const fn = await learnerFunction<(...a: unknown[]) => Promise<unknown>>('startEchoServer');
  // Nothing to serve: the process may end.
  if (!fn) return clearInterval(keepAlive);
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
    result = await fn(...args);
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

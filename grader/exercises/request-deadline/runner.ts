/**
 * Runs inside the learner's sandbox: calls getWithDeadlines once and reports
 * what the promise did, then stays up until observeMs so the peer and the
 * router see what the connection does after it. It holds no expectations.
 */
import { config, describeError, emit, emitSync, exitNow, after } from '../../../harness/runner-kit.ts';
import { learnerFunction, reportCrashes } from '../../kit/runner.ts';

export interface RunnerConfig {
  url: string;
  deadlines: { connectMs: number; idleMs: number; totalMs: number };
  /** How long the process lives, at most: after a rejection it stays up this long, so the wire shows what the connection does. */
  observeMs: number;
  /** Exit as soon as the promise resolves (nothing left to watch). */
  exitOnResolve?: boolean;
}

const cfg = config<RunnerConfig>();

async function main(): Promise<void> {
  const fn = await learnerFunction<(url: string, d: RunnerConfig['deadlines']) => Promise<unknown>>('getWithDeadlines');
  if (!fn) return;
  let settled = false;
  after(cfg.observeMs, () => {
    if (!settled) emitSync('pending');
    exitNow(0);
  });
  emit('call');
  try {
    const res = (await fn(cfg.url, { ...cfg.deadlines })) as { status?: unknown; body?: unknown } | null | undefined;
    settled = true;
    emit('resolved', {
      status: typeof res?.status === 'number' ? res.status : null,
      body: typeof res?.body === 'string' ? res.body.slice(0, 8000) : null,
    });
    if (cfg.exitOnResolve) exitNow(0);
  } catch (err) {
    settled = true;
    emit('rejected', { error: describeError(err) });
  }
}

reportCrashes();
void main();

/**
 * Runs inside the learner's sandbox: starts every case's requestWithRetry at
 * the same moment (independent requests of one client process), records how
 * each promise settled and when, then stays up `watchMs` longer so the peer
 * and the router see what the connections do afterwards. It holds no
 * expectations; the grader judges from the peer's records and the wire.
 */
import { after, config, describeError, emit, emitSync, now, sleep } from '../../../harness/runner-kit.ts';
import { doneThenExit, learnerFunction, reportCrashes } from '../../kit/runner.ts';

export interface SafeRequest {
  method: 'GET' | 'HEAD' | 'PUT' | 'DELETE' | 'POST' | 'PATCH';
  url: string;
  body?: string;
  idempotencyKey?: string;
}

export interface SafeRetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  attemptTimeoutMs: number;
}

export interface CaseConfig {
  id: string;
  req: SafeRequest;
  opts: SafeRetryOptions;
}

export interface RunnerConfig {
  cases: CaseConfig[];
  /** Stop waiting for unsettled promises after this long. */
  limitMs: number;
  /** Keep the process up this long after every promise settled. */
  watchMs: number;
}

export interface CaseResult {
  id: string;
  kind: 'resolved' | 'rejected' | 'threw' | 'pending';
  /** When requestWithRetry was called, and when its promise settled (monotonic ms). */
  start: number;
  t: number;
  status?: number | null;
  body?: string | null;
  error?: Record<string, unknown>;
}

type Fn = (req: SafeRequest, opts: SafeRetryOptions) => unknown;

const cfg = config<RunnerConfig>();
const results: CaseResult[] = [];
let finished = false;

function finish(): void {
  if (finished) return;
  finished = true;
  for (const r of results) emitSync('case', { result: r });
  doneThenExit(0);
}

async function one(fn: Fn, c: CaseConfig): Promise<void> {
  const rec: CaseResult = { id: c.id, kind: 'pending', start: now(), t: 0 };
  results.push(rec);
  // The learner gets copies: nothing it changes in them reaches the record.
  const req: SafeRequest = { ...c.req };
  let pending: unknown;
  try {
    pending = fn(req, { ...c.opts });
  } catch (err) {
    Object.assign(rec, { kind: 'threw', t: now(), error: describeError(err) });
    return;
  }
  try {
    const res = (await pending) as { status?: unknown; body?: unknown } | null | undefined;
    Object.assign(rec, {
      kind: 'resolved',
      t: now(),
      status: typeof res?.status === 'number' ? res.status : null,
      body: typeof res?.body === 'string' ? res.body.slice(0, 4000) : null,
    });
  } catch (err) {
    Object.assign(rec, { kind: 'rejected', t: now(), error: describeError(err) });
  }
}

async function main(): Promise<void> {
  const fn = await learnerFunction<Fn>('requestWithRetry');
  if (!fn) {
    finish();
    return;
  }
  // Let the process settle (module loading, first compilations) before the clock starts to matter.
  for (let i = 0; i < 3; i++) await sleep(20);
  const limit = after(cfg.limitMs, () => finish());
  emit('start');
  await Promise.all(cfg.cases.map((c) => one(fn, c)));
  limit.cancel();
  if (cfg.watchMs > 0) await sleep(cfg.watchMs);
  finish();
}

reportCrashes(() => finish());
// A rejection nobody handles is the learner's bug, but it must not end the run before the cases are recorded.
process.on('unhandledRejection', (err) => emit('unhandled-rejection', { error: describeError(err) }));
void main();

/**
 * Runs inside the learner's sandbox: starts every case's resilientGet at the
 * same moment, records how each promise settled and when, then stays up
 * `watchMs` longer so the peer and the router see what the connections do
 * afterwards. It holds no expectations: the grader judges from the peer's
 * records and the wire.
 */
import { after, config, describeError, emitSync, now } from '../../../harness/runner-kit.ts';
import { doneThenExit, learnerFunction, reportCrashes } from '../../kit/runner.ts';

export interface ResilientOptions {
  attemptTimeoutMs: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface CaseConfig {
  id: string;
  url: string;
  opts: ResilientOptions;
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
  /** When resilientGet was called, and when its promise settled (monotonic ms). */
  start: number;
  t: number;
  body?: string | null;
  error?: Record<string, unknown>;
}

type Fn = (url: string, opts: ResilientOptions) => unknown;

const cfg = config<RunnerConfig>();
const results = new Map<string, CaseResult>();
let finished = false;

function finish(): void {
  if (finished) return;
  finished = true;
  for (const c of cfg.cases) {
    const r = results.get(c.id) ?? { id: c.id, kind: 'pending', start: 0, t: now() };
    emitSync('case', { result: r });
  }
  doneThenExit(0);
}

async function main(): Promise<void> {
  const fn = await learnerFunction<Fn>('resilientGet');
  if (!fn) {
    doneThenExit(0);
    return;
  }
  after(cfg.limitMs, finish);
  let open = cfg.cases.length;
  const settle = (r: CaseResult) => {
    results.set(r.id, r);
    if (--open === 0) after(cfg.watchMs, finish);
  };
  for (const c of cfg.cases) {
    const start = now();
    let p: unknown;
    try {
      p = fn(c.url, { ...c.opts });
    } catch (err) {
      settle({ id: c.id, kind: 'threw', start, t: now(), error: describeError(err) });
      continue;
    }
    Promise.resolve(p).then(
      (v) => settle({ id: c.id, kind: 'resolved', start, t: now(), body: typeof v === 'string' ? v.slice(0, 8000) : null }),
      (err) => settle({ id: c.id, kind: 'rejected', start, t: now(), error: describeError(err) }),
    );
  }
}

reportCrashes();
void main();

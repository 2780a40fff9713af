/**
 * Runs inside the learner's sandbox and loads the learner's module
 * (harness/runner-kit.ts): builds `fn` — one real TCP connection to the port
 * the current step names, resolving on the peer's "ok" and rejecting with
 * Node's own error (ECONNREFUSED when the router refuses, ECONNRESET when the
 * peer resets) — wraps it in one createBreaker, and drives a fixed timeline of
 * call()s: closed, open, half-open (probe fails), open again, half-open (probe
 * succeeds), closed. Every call and every invocation of fn is reported with
 * its time. It holds no expectations; the grader judges.
 */
import { config, describeError, emit, emitSync, now as nowMs, sleep } from '../../../harness/runner-kit.ts';
import { doneThenExit, learnerFunction, reportCrashes } from '../../kit/runner.ts';
import net from 'node:net';

export interface Ports {
  /** Peer answers at once (closed-phase successes). */
  ok: number;
  /** Refused by the router (closed-phase failures). */
  fail: number;
  /** Refused by the router: the calls made while the breaker should be open the first time. */
  open: number;
  /** Peer resets after a while: the first half-open probe fails. */
  slowFail: number;
  /** Refused by the router: the calls made while the breaker should be open again. */
  open2: number;
  /** Peer answers after a while: the second probe succeeds. */
  slowOk: number;
  /** Refused by the router: failures after the breaker closed again. */
  fail2: number;
  /** Peer answers at once: the success that ends the run. */
  ok2: number;
}

export interface RunnerConfig {
  host: string;
  ports: Ports;
  failureThreshold: number;
  cooldownMs: number;
  /** Between the failures of the streak that opens the breaker. */
  gapMs: number;
  /** After opening: calls at these fractions of cooldownMs (before it ends). */
  earlyAt: number[];
  /** The probe is called this long after cooldownMs has passed since the opening. */
  probeLateMs: number;
  /** Calls made this long after the probe was called, while it is in flight. */
  duringMs: number[];
  /** Calls made at once after the breaker opened. */
  openCalls: number;
  /** Successes before the first failures (drawn: the pattern of calls is not the same every run). */
  leadingOks: number;
  /** How long to wait for one call to settle before going on without it. */
  settleCapMs: number;
}

export interface CallRecord {
  label: string;
  port: number;
  tCall: number;
  tEnd: number | null;
  kind: 'resolved' | 'rejected' | 'threw' | 'pending';
  error?: Record<string, unknown>;
  /** Which invocation of fn (1-based) made the value or the error, by identity; null: none of them. */
  fromFn: number | null;
}

export interface FnRecord {
  n: number;
  t: number;
  port: number;
  /** The label of the call most recently made when fn was invoked. */
  during: string;
  end?: number;
  ok?: boolean;
}

type Breaker = { call: () => unknown };
type Create = (fn: () => Promise<unknown>, opts: { failureThreshold: number; cooldownMs: number }) => unknown;

const cfg = config<RunnerConfig>();
const calls: CallRecord[] = [];
const fnCalls: FnRecord[] = [];
const madeBy = new Map<unknown, number>();
let target = cfg.ports.ok;
let current = '';

function connectOnce(port: number): Promise<{ port: number; reply: string }> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: cfg.host, port });
    let done = false;
    const timer = setTimeout(() => finish(Object.assign(new Error(`no reply from port ${port}`), { code: 'ETIMEDOUT' })), 3000);
    const finish = (err: Error | null, value?: { port: number; reply: string }): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      if (err) reject(err);
      else resolve(value!);
    };
    s.setEncoding('utf8');
    s.on('data', (d: string) => finish(null, { port, reply: d }));
    s.on('error', (err) => finish(err));
    s.on('close', () => finish(Object.assign(new Error(`port ${port} closed without a reply`), { code: 'ECONNRESET' })));
  });
}

const fn = async (): Promise<unknown> => {
  const rec: FnRecord = { n: fnCalls.length + 1, t: nowMs(), port: target, during: current };
  fnCalls.push(rec);
  try {
    const value = await connectOnce(rec.port);
    madeBy.set(value, rec.n);
    rec.end = nowMs();
    rec.ok = true;
    return value;
  } catch (err) {
    madeBy.set(err, rec.n);
    rec.end = nowMs();
    rec.ok = false;
    throw err;
  }
};

const fromFn = (x: unknown): number | null => (x !== null && typeof x === 'object' ? (madeBy.get(x) ?? null) : null);

/** Makes one call(); the returned promise settles when it does, or after settleCapMs (then 'pending'). */
function call(breaker: Breaker, label: string, port: number): Promise<CallRecord> {
  target = port;
  current = label;
  const rec: CallRecord = { label, port, tCall: nowMs(), tEnd: null, kind: 'pending', fromFn: null };
  calls.push(rec);
  let p: unknown;
  try {
    p = breaker.call();
  } catch (err) {
    rec.kind = 'threw';
    rec.tEnd = nowMs();
    rec.error = describeError(err);
    return Promise.resolve(rec);
  }
  const settled = Promise.resolve(p).then(
    (value) => {
      rec.tEnd = nowMs();
      rec.kind = 'resolved';
      rec.fromFn = fromFn(value);
    },
    (err) => {
      rec.tEnd = nowMs();
      rec.kind = 'rejected';
      rec.error = describeError(err);
      rec.fromFn = fromFn(err);
    },
  );
  return Promise.race([settled, sleep(cfg.settleCapMs)]).then(() => rec);
}

async function sleepUntil(t: number): Promise<void> {
  const wait = t - nowMs();
  if (wait > 0) await sleep(wait);
}

async function timeline(breaker: Breaker): Promise<void> {
  const { ports: P, failureThreshold: th, cooldownMs: cd } = cfg;
  // Closed: a success or a few, th-1 failures, a success (the count starts again), then th failures, spread out.
  for (let i = 1; i <= cfg.leadingOks; i++) await call(breaker, `closed-lead${i}`, P.ok);
  for (let i = 1; i < th; i++) await call(breaker, `closed-fail-a${i}`, P.fail);
  await call(breaker, 'closed-ok-2', P.ok);
  let last: CallRecord | undefined;
  for (let i = 1; i <= th; i++) {
    if (i > 1) await sleep(cfg.gapMs);
    last = await call(breaker, `closed-fail-b${i}`, P.fail);
  }
  const t0 = last!.tEnd ?? nowMs();
  emit('phase', { phase: 'opened', t: t0 });
  // Open: calls at once, then two before cooldownMs has passed.
  for (let i = 1; i <= cfg.openCalls; i++) await call(breaker, `open-now${i}`, P.open);
  for (const [i, f] of cfg.earlyAt.entries()) {
    await sleepUntil(t0 + f * cd);
    await call(breaker, `open-early${i + 1}`, P.open);
  }
  // Half-open: the probe (slow, then reset), and calls while it is in flight.
  const t1 = await halfOpen(breaker, 'probe1', t0 + cd + cfg.probeLateMs, P.slowFail);
  emit('phase', { phase: 'probe1-settled', t: t1 });
  for (const [i, f] of cfg.earlyAt.entries()) {
    await sleepUntil(t1 + f * cd);
    await call(breaker, `reopen-early${i + 1}`, P.open2);
  }
  await halfOpen(breaker, 'probe2', t1 + cd + cfg.probeLateMs, P.slowOk);
  // Closed again, counting from zero: th-1 failures, then a success.
  for (let i = 1; i < th; i++) await call(breaker, `after-fail${i}`, P.fail2);
  await call(breaker, 'after-ok', P.ok2);
}

/** The probe at `at`, and calls during it; returns when the probe settled (or now, if it did not). */
async function halfOpen(breaker: Breaker, name: string, at: number, port: number): Promise<number> {
  await sleepUntil(at);
  const probe = call(breaker, name, port);
  const probeRec = calls[calls.length - 1]!;
  const during = cfg.duringMs.map(async (d, i) => {
    await sleepUntil(probeRec.tCall + d);
    // Only while the probe is in flight; a probe that settled at once leaves nothing to be during.
    if (probeRec.tEnd !== null) return;
    return call(breaker, `${name}-during${i + 1}`, port);
  });
  await probe;
  const t = probeRec.tEnd ?? nowMs();
  await Promise.all(during);
  return t;
}

let finished = false;
function finish(code = 0): void {
  if (finished) return;
  finished = true;
  emitSync('record', { calls, fnCalls });
  doneThenExit(code);
}

async function main(): Promise<void> {
  const create = await learnerFunction<Create>('createBreaker');
  if (!create) return finish();
  for (let i = 0; i < 5; i++) await sleep(20);
  let breaker: unknown;
  try {
    breaker = create(fn, { failureThreshold: cfg.failureThreshold, cooldownMs: cfg.cooldownMs });
  } catch (err) {
    emit('create-threw', { error: describeError(err) });
    return finish();
  }
  if (!breaker || typeof (breaker as Breaker).call !== 'function') {
    emit('no-call-method');
    return finish();
  }
  emit('start');
  await timeline(breaker as Breaker);
  // Anything the breaker does by itself afterwards (a late fn) shows up in the record.
  await sleep(200);
  finish();
}

reportCrashes(() => finish(70));
process.on('unhandledRejection', (err) => emit('unhandled-rejection', { error: describeError(err) }));
void main();

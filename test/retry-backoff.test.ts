/**
 * retry-backoff's judging logic, without a lab: the statistics, and every
 * check fed simulated clients. Each standard jitter, with timer noise worse
 * than a loaded two-core machine gives, must pass on every one of many
 * seeds; each known mistake must fail exactly its checks on every seed.
 */
import t from 'tap';
import exercise, { drawPlan, type Plan, type RunEvidence, type WireEvidence } from '../grader/exercises/retry-backoff/index.ts';
import { Draws } from '../grader/draws.ts';
import {
  capOk,
  gapsOf,
  growthOk,
  iqr,
  measureCap,
  measureGrowth,
  measureSpread,
  measureWire,
  median,
  nominal,
  quantile,
  settleLags,
  spreadOk,
  step,
  wireOk,
  type ClientRecord,
  type RetryOpts,
} from '../grader/exercises/retry-backoff/stats.ts';
import type { EvidenceSet } from '../grader/types.ts';
import { textIn } from '../grader/i18n.ts';

/**
 * The cases at one end of their drawn ranges: RETRY_PLAN=low (the default) takes the smallest
 * value of every draw (the shortest delays, where timer noise weighs most), =high the largest
 * (test/retry-backoff-high.test.ts). Every draw of a real run lies between the two.
 */
class EndDraws extends Draws {
  constructor(private readonly high: boolean) {
    super(1);
  }
  override next(): number {
    return this.high ? 0.999999 : 0;
  }
  override distinct(key: string, count: number, lo: number, hi: number): number[] {
    return Array.from({ length: count }, (_, i) => (this.high ? hi - i : lo + i));
  }
}
const plan: Plan = drawPlan(new EndDraws(process.env.RETRY_PLAN === 'high'));
t.comment(`plan ${process.env.RETRY_PLAN ?? 'low'}: ${JSON.stringify(plan)}`);
const { storm: stormCase, capped: cappedCase, recovers: recoversCase, shouldRetry: shouldRetryCase } = plan;
const { ports: wirePorts, refusals: wireRefusals, opts: wireOpts } = plan.wire;
const cases = { storm: stormCase, capped: cappedCase, recovers: recoversCase, 'should-retry': shouldRetryCase };

/** mulberry32: a small seeded PRNG, so every run of this test sees the same samples. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

type Strategy = (opts: RetryOpts, rnd: () => number) => (attempt: number) => number;

const exp = (o: RetryOpts, k: number): number => Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (k - 1));
const lin = (o: RetryOpts, k: number): number => Math.min(o.maxDelayMs, o.baseDelayMs * k);

/** The jitters the contract accepts. */
const correct: Record<string, Strategy> = {
  full: (o, r) => (k) => r() * exp(o, k),
  equal: (o, r) => (k) => exp(o, k) / 2 + (r() * exp(o, k)) / 2,
  decorrelated: (o, r) => {
    let prev = o.baseDelayMs;
    return () => (prev = Math.min(o.maxDelayMs, o.baseDelayMs + r() * (prev * 3 - o.baseDelayMs)));
  },
  multiplicative: (o, r) => (k) => Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (k - 1) * (1 + r())),
  additive: (o, r) => (k) => Math.floor(exp(o, k) * (1 + 0.3 * r())),
};

/** Known mistakes, with the backoff checks each must fail (and no other backoff check). */
const wrong: Record<string, { strategy: Strategy; fails: string[] }> = {
  'linear, full jitter': { strategy: (o, r) => (k) => r() * lin(o, k), fails: ['growth'] },
  'linear, equal jitter': { strategy: (o, r) => (k) => lin(o, k) / 2 + (r() * lin(o, k)) / 2, fails: ['growth'] },
  'linear, multiplicative': { strategy: (o, r) => (k) => Math.min(o.maxDelayMs, o.baseDelayMs * k * (1 + r())), fails: ['growth'] },
  'linear, additive': { strategy: (o, r) => (k) => lin(o, k) * (1 + 0.3 * r()), fails: ['growth'] },
  'no jitter': { strategy: (o) => (k) => exp(o, k), fails: ['spread'] },
  'no cap, full jitter': { strategy: (o, r) => (k) => r() * o.baseDelayMs * 2 ** (k - 1), fails: ['cap'] },
  'no cap, equal jitter': { strategy: (o, r) => (k) => o.baseDelayMs * 2 ** (k - 1) * (0.5 + r() / 2), fails: ['cap'] },
  'no cap, additive': { strategy: (o, r) => (k) => o.baseDelayMs * 2 ** (k - 1) * (1 + 0.3 * r()), fails: ['cap'] },
  'no wait (sleep not awaited)': { strategy: () => () => 0, fails: ['growth', 'spread', 'wire'] },
  'random up to the cap, no growth': { strategy: (o, r) => () => r() * o.maxDelayMs, fails: ['growth'] },
};

/**
 * Timer lateness, harsher than measured: usually 0.2–1.5 ms, and in `stallP`
 * of the waits a stall of up to 60 ms (another lab, the grader, a busy core).
 */
function lateness(r: () => number, stallP = 0.15): number {
  return 0.2 + r() * 1.3 + (r() < stallP ? r() * 60 : 0);
}

/** One client whose every call fails, waiting as `strategy` says. */
function failingClient(
  id: string,
  index: number,
  opts: RetryOpts,
  strategy: Strategy,
  r: () => number,
  lockstep: number[] | undefined,
  stallP: number,
): ClientRecord {
  const delay = strategy(opts, r);
  const calls: ClientRecord['calls'] = [];
  let now = 1000;
  for (let n = 1; n <= opts.maxAttempts; n++) {
    calls.push({ t: now, end: now + 0.05, ok: false });
    now += 0.05;
    // Clients without jitter wake in the same timer tick: they share the lateness.
    if (n < opts.maxAttempts) now += delay(n) + (lockstep ? lockstep[n]! : lateness(r, stallP));
  }
  return { case: id, client: index, calls, result: { kind: 'rejected', t: now + 0.1, fromCall: opts.maxAttempts }, asked: [] };
}

function stormRun(strategy: Strategy, r: () => number, lockstep: boolean, stallP: number): RunEvidence {
  const shared = lockstep ? Array.from({ length: 10 }, () => lateness(r)) : undefined;
  const clients = [stormCase, cappedCase].flatMap((c) =>
    Array.from({ length: c.clients }, (_, i) => failingClient(c.id, i, c.opts, strategy, r, shared, stallP)),
  );
  return { clients, problem: null, cases };
}

/**
 * Real connections: each attempt takes a connect round trip plus scheduling
 * (0.5–20 ms) to be refused; the router's trace reports each SYN a little
 * later, or, in a lab whose trace lags (as on a loaded machine), up to 400 ms later.
 */
function wireRun(strategy: Strategy, r: () => number): WireEvidence {
  const lagging = r() < 0.3;
  const clients = wirePorts.map((_, i): ClientRecord => {
    const delay = strategy(wireOpts, r);
    const calls: ClientRecord['calls'] = [];
    let now = 1000;
    for (let n = 1; n <= wireRefusals + 1; n++) {
      const end = now + 0.5 + r() * 20;
      calls.push({ t: now, end, ok: n === wireRefusals + 1 });
      now = end + (n <= wireRefusals ? delay(n) + lateness(r) : 0);
    }
    return { case: 'wire', client: i, calls, result: { kind: 'resolved', t: now + 0.1, fromCall: calls.length }, asked: [] };
  });
  const syns = clients.map((c) => c.calls.map((x) => x.t + (lagging ? r() * 400 : 0.3 + r() * 5)).sort((a, b) => a - b));
  return { clients, problem: null, cases, ports: wirePorts, refusals: wireRefusals, opts: wireOpts, syns, accepts: wirePorts.map(() => 1) };
}

/** The four backoff verdicts for one simulated grading. */
function verdicts(strategy: Strategy, seed: number, lockstep = false, stallP = 0.15): Record<string, boolean> {
  const r = prng(seed);
  const runs = [0, 1, 2].map(() => stormRun(strategy, r, lockstep, stallP));
  const wires = [0, 1].map(() => wireRun(strategy, r));
  const of = (id: string) => runs.flatMap((x) => x.clients.filter((c) => c.case === id));
  return {
    growth: growthOk(measureGrowth(runs.map((x) => x.clients.filter((c) => c.case === 'storm')), stormCase.opts)),
    cap: capOk(measureCap(of('capped'), cappedCase.opts)),
    spread: spreadOk(measureSpread(runs.map((x) => x.clients.filter((c) => c.case === 'storm')), stormCase.opts)),
    wire: wireOk(measureWire(wires, wireOpts, wireRefusals)),
  };
}

const seeds = Array.from({ length: 300 }, (_, i) => 1 + i * 7919);

t.test('statistics', async (t) => {
  t.equal(quantile([3, 1, 2], 0.5), 2);
  t.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  t.equal(quantile([0, 10], 0.9), 9);
  t.ok(Number.isNaN(quantile([], 0.5)));
  t.equal(iqr([1, 2, 3, 4, 5]), 2);
  t.equal(nominal(stormCase.opts, 1), stormCase.opts.baseDelayMs);
  t.equal(nominal(stormCase.opts, stormCase.opts.maxAttempts - 1), stormCase.opts.maxDelayMs, "the storm's cap is its last nominal delay");
  const m = cappedCase.opts.maxAttempts;
  t.equal(nominal(cappedCase.opts, m - 1), cappedCase.opts.maxDelayMs, 'capped at the last wait');
  t.equal(cappedCase.opts.baseDelayMs * 2 ** (m - 3), 4 * cappedCase.opts.maxDelayMs, 'the last two uncapped delays are 4× and 8× the cap');
  const c: ClientRecord = {
    case: 'x',
    client: 0,
    calls: [
      { t: 0, end: 1 },
      { t: 11, end: 12 },
      { t: 32, end: 33 },
    ],
    result: { kind: 'rejected', t: 33.5, fromCall: 3 },
    asked: [],
  };
  t.same(gapsOf(c), [10, 20]);
  t.same(step([c, c], 2), [20, 20]);
  t.same(settleLags([c]), [0.5]);
  t.same(settleLags([{ ...c, result: { kind: 'pending', t: 0, fromCall: null } }]), []);
});

t.test('every standard jitter passes every backoff check, on every seed', async (t) => {
  for (const [name, strategy] of Object.entries(correct)) {
    const failed = new Map<string, number>();
    for (const seed of seeds) {
      for (const [check, ok] of Object.entries(verdicts(strategy, seed))) if (!ok) failed.set(check, (failed.get(check) ?? 0) + 1);
    }
    t.same(Object.fromEntries(failed), {}, `${name} jitter: failures per check over ${seeds.length} seeds`);
  }
});

t.test('each known mistake fails exactly its backoff checks, on every seed', async (t) => {
  for (const [name, { strategy, fails }] of Object.entries(wrong)) {
    const lockstep = name === 'no jitter';
    const off = new Map<string, number>();
    for (const seed of seeds) {
      for (const [check, ok] of Object.entries(verdicts(strategy, seed, lockstep))) {
        if (ok === fails.includes(check)) off.set(check, (off.get(check) ?? 0) + 1);
      }
    }
    t.same(Object.fromEntries(off), {}, `${name}: seeds where a check disagreed (should fail: ${fails.join(', ')})`);
  }
});

t.test('no jitter is caught even when its timers are late independently', async (t) => {
  // Real clients without jitter wake in the same tick (measured spread 0.000–0.002); here each
  // is late on its own, one in twenty by a stall of up to 60 ms.
  for (const seed of seeds) t.notOk(verdicts(wrong['no jitter']!.strategy, seed, false, 0.05).spread);
});

t.test('a process stalled at its start (two trials of three) does not fail growth', async (t) => {
  for (const [name, strategy] of Object.entries(correct)) {
    let failed = 0;
    for (const seed of seeds.slice(0, 100)) {
      const r = prng(seed);
      const runs = [0, 1, 2].map(() => stormRun(strategy, r, false, 0.15).clients.filter((c) => c.case === 'storm'));
      for (const clients of runs.slice(0, 2)) {
        // Every client's first wait stretched by the same 300 ms stall.
        for (const c of clients) for (const [i, call] of c.calls.entries()) if (i > 0) call.t += 300;
        for (const c of clients) for (const call of c.calls.slice(1)) call.end = call.t + 0.05;
      }
      if (!growthOk(measureGrowth(runs, stormCase.opts))) failed++;
    }
    t.equal(failed, 0, name);
  }
});

// ── Whole checks on hand-made evidence ──────────────────────────────────────

function judge(id: string, e: EvidenceSet): { pass: boolean; message: string } {
  const v = judgeText(id, e);
  return { pass: v.pass, message: textIn(v.message, 'en') };
}

function judgeText(id: string, e: EvidenceSet) {
  const check = exercise.checks.find((c) => c.id === id);
  if (!check) throw new Error(`no check ${id}`);
  return check.judge(e);
}

function client(caseId: string, i: number, calls: number, result: ClientRecord['result'], asked: ClientRecord['asked'] = []): ClientRecord {
  return {
    case: caseId,
    client: i,
    calls: Array.from({ length: calls }, (_, n) => ({ t: n * 50, end: n * 50 + 1, ok: result.kind === 'resolved' && n === calls - 1 })),
    result,
    asked,
  };
}

function outcomes(recovers: (i: number) => ClientRecord, should: (i: number) => ClientRecord): EvidenceSet {
  return {
    outcomes: [
      {
        clients: [...Array.from({ length: recoversCase.clients }, (_, i) => recovers(i)), ...Array.from({ length: shouldRetryCase.clients }, (_, i) => should(i))],
        problem: null,
        cases,
      },
    ],
  };
}

const S = recoversCase.succeedFrom!;
const F = shouldRetryCase.fatalCall!;
const M = shouldRetryCase.opts.maxAttempts;
/** When call n (1-based) of a hand-made client ends. */
const endOf = (n: number): number => (n - 1) * 50 + 1;
const upTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
const goodRecover = (i: number) => client('recovers', i, S, { kind: 'resolved', t: endOf(S) + 1, fromCall: S });
const askedToF = upTo(F).map((n) => ({ attempt: n, fromCall: n }));
const goodShould = (i: number) => client('should-retry', i, F, { kind: 'rejected', t: endOf(F) + 0.2, fromCall: F }, askedToF);

t.test('outcome checks', async (t) => {
  const good = outcomes(goodRecover, goodShould);
  for (const id of ['returns-first-success', 'respects-should-retry', 'should-retry-attempt-numbers']) t.ok(judge(id, good).pass, id);

  const extra = outcomes((i) => client('recovers', i, S + 2, { kind: 'resolved', t: endOf(S + 2) + 1, fromCall: S + 2 }), goodShould);
  const v = judge('returns-first-success', extra);
  t.notOk(v.pass);
  t.match(v.message, new RegExp(`called ${S + 2} times`));

  const ignored = outcomes(goodRecover, (i) =>
    client('should-retry', i, M, { kind: 'rejected', t: endOf(M) + 1, fromCall: M }, upTo(M).map((n) => ({ attempt: n, fromCall: n }))),
  );
  t.notOk(judge('respects-should-retry', ignored).pass);
  t.ok(judge('should-retry-attempt-numbers', ignored).pass, 'asking and then ignoring is the other check’s business');

  const late = outcomes(goodRecover, (i) => client('should-retry', i, F, { kind: 'rejected', t: endOf(F) + 200, fromCall: F }, askedToF));
  t.notOk(judge('respects-should-retry', late).pass, 'a wait before giving up on a fatal error');

  const zero = outcomes(goodRecover, (i) =>
    client('should-retry', i, F, { kind: 'rejected', t: endOf(F) + 0.2, fromCall: F }, upTo(F).map((n) => ({ attempt: n - 1, fromCall: n }))),
  );
  const z = judge('should-retry-attempt-numbers', zero);
  t.notOk(z.pass);
  t.match(z.message, /start at 1/);
  t.ok(judge('respects-should-retry', zero).pass);

  const never = outcomes(goodRecover, (i) => client('should-retry', i, M, { kind: 'rejected', t: endOf(M) + 1, fromCall: M }));
  t.notOk(judge('should-retry-attempt-numbers', never).pass);
});

function storm(make: (caseId: string, i: number, max: number) => ClientRecord): EvidenceSet {
  return {
    storm: [0, 1, 2].map(() => ({
      clients: [stormCase, cappedCase].flatMap((c) => Array.from({ length: c.clients }, (_, i) => make(c.id, i, c.opts.maxAttempts))),
      problem: null,
      cases,
    })),
  };
}

t.test('attempt count and the last error', async (t) => {
  const good = storm((id, i, max) => client(id, i, max, { kind: 'rejected', t: (max - 1) * 50 + 1.1, fromCall: max }));
  t.ok(judge('calls-max-attempts', good).pass);
  t.ok(judge('rethrows-last-error', good).pass);
  t.ok(judge('no-wait-after-final', good).pass);

  const more = storm((id, i, max) => client(id, i, max + 1, { kind: 'rejected', t: max * 50 + 1.1, fromCall: max + 1 }));
  t.match(judge('calls-max-attempts', more).message, /1 call plus/);
  t.ok(judge('rethrows-last-error', more).pass);

  const swallowed = storm((id, i, max) => client(id, i, max, { kind: 'resolved', t: (max - 1) * 50 + 1.1, fromCall: null }));
  t.notOk(judge('rethrows-last-error', swallowed).pass);
  const wrapped = storm((id, i, max) =>
    client(id, i, max, { kind: 'rejected', t: (max - 1) * 50 + 1.1, fromCall: null, error: { isError: true, message: 'gave up' } }),
  );
  t.match(judge('rethrows-last-error', wrapped).message, /not an error fn threw/);
  const first = storm((id, i, max) => client(id, i, max, { kind: 'rejected', t: (max - 1) * 50 + 1.1, fromCall: 1 }));
  t.notOk(judge('rethrows-last-error', first).pass);

  const slept = storm((id, i, max) => client(id, i, max, { kind: 'rejected', t: (max - 1) * 50 + 200, fromCall: max }));
  t.notOk(judge('no-wait-after-final', slept).pass);
});

t.test('nothing ran: every check fails with the reason, none throws', async (t) => {
  const stub = (id: string, i: number) => client(id, i, 0, { kind: 'rejected', t: 0, fromCall: null, error: { isError: true, message: 'not implemented yet' } });
  const e: EvidenceSet = {
    ...storm((id, i) => stub(id, i)),
    ...outcomes((i) => stub('recovers', i), (i) => stub('should-retry', i)),
    wire: [0, 1].map(() => ({
      clients: wirePorts.map((_, i) => stub('wire', i)),
      problem: null,
      cases,
      ports: wirePorts,
      refusals: wireRefusals,
      opts: wireOpts,
      syns: wirePorts.map(() => []),
      accepts: wirePorts.map(() => 0),
    })),
  };
  for (const c of exercise.checks) {
    const v = c.judge(e);
    t.notOk(v.pass, c.id);
    t.match(v.message, /not implemented yet|never called|never saw/, `${c.id} says why`);
  }
  const missing: EvidenceSet = Object.fromEntries(
    ['storm', 'outcomes', 'wire'].map((id) => [id, [{ clients: [], problem: 'the module does not export a function named retryWithBackoff' }]]),
  );
  for (const c of exercise.checks) t.match(c.judge(missing).message, /does not export/, c.id);
});

t.test('the wire: a refused connection retried through, and the trace missing a SYN is not held against the learner', async (t) => {
  const r = prng(7);
  const runs = [wireRun(correct.full!, r), wireRun(correct.full!, r)];
  t.ok(judge('recovers-real-peer', { wire: runs }).pass);
  t.ok(judge('spaced-on-the-wire', { wire: runs }).pass);
  const lost = runs.map((w) => ({ ...w, syns: w.syns.map((s, i) => (i === 0 ? s.slice(1) : s)) }));
  t.ok(judge('recovers-real-peer', { wire: lost }).pass);
  const twice = runs.map((w) => ({ ...w, accepts: w.accepts.map((a, i) => (i === 0 ? 2 : a)) }));
  t.notOk(judge('recovers-real-peer', { wire: twice }).pass);
  t.ok(median([1, 2, 3]) === 2);
});

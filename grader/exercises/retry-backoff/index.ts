/**
 * retry-backoff (Part 10, "Retries done right"): retryWithBackoff with
 * capped exponential backoff and jitter. Many clients start at once against
 * a failing `fn`; the waits between their calls are judged per attempt
 * number, pooled over clients and trials, so every standard jitter passes
 * (full, equal, decorrelated, multiplicative [d, 2d], additive up to +30%).
 * A last scenario retries real connections that the router refuses a few
 * times, and reads the attempts from the SYNs on the wire.
 */
import { synsFrom } from '../../../harness/wire.ts';
import type { Fault } from '../../../harness/faults.ts';
import { errorSummaryText, ms } from '../../evidence.ts';
import { describeProcessText, eventOf, exerciseKit, fail, letExit, observe, pass, runProgram, startPeer, waitUntil, type Evidence as KitEvidence, type ProcessRecord } from '../../kit/index.ts';
import { join, type Localized, type Text } from '../../i18n.ts';
import { m } from './messages.ts';
import type { ExerciseDef, Scenario, ScenarioContext } from '../../types.ts';
import type { Draws } from '../../draws.ts';
import type { CaseConfig, RunnerConfig } from './runner.ts';
import {
  capOk,
  finalLagMs,
  stopLagMs,
  growthOk,
  measureCap,
  measureGrowth,
  measureSpread,
  measureWire,
  median,
  minLevel,
  mediansByStep,
  msList,
  nominal,
  settleLags,
  spreadOk,
  wireOk,
  type ClientRecord,
  type RetryOpts,
} from './stats.ts';

const runnerFile = new URL('./runner.ts', import.meta.url).pathname;
const peerFile = new URL('../../../harness/peers/retry-ports.ts', import.meta.url).pathname;

// ── What the scenarios ask of retryWithBackoff ──────────────────────────────
//
// Every number a file could special-case is drawn per run (grader/draws.ts):
// maxAttempts, baseDelayMs and maxDelayMs of each case, the call that starts
// succeeding, the call whose error shouldRetry refuses, the error codes, the
// ports and how many connections the router refuses. The shapes the checks
// rely on hold for every draw: the storm's cap is its last nominal delay, the
// capped case's last two uncapped delays are 4× and 8× its cap (the storm
// reaches attempt 7 or 8, so a delay that grows linearly stays far below the
// doubling one at the last wait), the refused
// error comes at a delay of at least 400 ms nominal.

export const ranges = {
  storm: { maxAttempts: [7, 8], baseDelayMs: [20, 28] },
  capped: { maxAttempts: [7, 8], baseDelayMs: [40, 60] },
  recovers: { succeedFrom: [2, 4], extraAttempts: [1, 3], baseDelayMs: [15, 25] },
  shouldRetry: { fatalCall: [3, 4], extraAttempts: [2, 3], baseDelayMs: [100, 140] },
  wire: { refusals: [3, 4], baseDelayMs: [80, 120], port: [20000, 60000] },
} as const;
const transientCodes = ['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED'] as const;
const fatalCodes = ['EACCES', 'EPERM', 'ENOTFOUND'] as const;

export interface Plan {
  storm: CaseConfig;
  capped: CaseConfig;
  recovers: CaseConfig;
  shouldRetry: CaseConfig;
  wire: { ports: number[]; refusals: number; opts: RetryOpts };
}

export function drawPlan(draws: Draws): Plan {
  const errors = { transient: draws.pick('transientCode', transientCodes), fatal: draws.pick('fatalCode', fatalCodes) };
  const stormN = draws.int('storm.maxAttempts', ...ranges.storm.maxAttempts);
  const stormBase = draws.int('storm.baseDelayMs', ...ranges.storm.baseDelayMs);
  const cappedN = draws.int('capped.maxAttempts', ...ranges.capped.maxAttempts);
  const cappedBase = draws.int('capped.baseDelayMs', ...ranges.capped.baseDelayMs);
  const succeedFrom = draws.int('recovers.succeedFrom', ...ranges.recovers.succeedFrom);
  const recoversBase = draws.int('recovers.baseDelayMs', ...ranges.recovers.baseDelayMs);
  const recoversN = succeedFrom + draws.int('recovers.extraAttempts', ...ranges.recovers.extraAttempts);
  const fatalCall = draws.pick('should-retry.fatalCall', [3, 4]);
  const srBase = draws.int('should-retry.baseDelayMs', ...ranges.shouldRetry.baseDelayMs);
  const srN = fatalCall + draws.int('should-retry.extraAttempts', ...ranges.shouldRetry.extraAttempts);
  const refusals = draws.pick('wire.refusals', [3, 4]);
  const wireBase = draws.int('wire.baseDelayMs', ...ranges.wire.baseDelayMs);
  const ports = draws.distinct('wire.ports', 8, ...ranges.wire.port);
  return {
    // Growth and spread: the cap out of the way until the last wait.
    storm: { id: 'storm', clients: 24, errors, opts: { maxAttempts: stormN, baseDelayMs: stormBase, maxDelayMs: stormBase * 2 ** (stormN - 2) } },
    // The cap: the last two waits would be 4× and 8× maxDelayMs uncapped.
    capped: { id: 'capped', clients: 16, errors, opts: { maxAttempts: cappedN, baseDelayMs: cappedBase, maxDelayMs: cappedBase * 2 ** (cappedN - 5) } },
    recovers: { id: 'recovers', clients: 4, errors, succeedFrom, opts: { maxAttempts: recoversN, baseDelayMs: recoversBase, maxDelayMs: recoversBase * 4 } },
    // Delays big enough that sleeping before asking shouldRetry stands far above scheduling noise.
    shouldRetry: { id: 'should-retry', clients: 8, errors, fatalCall, opts: { maxAttempts: srN, baseDelayMs: srBase, maxDelayMs: srBase * 4 } },
    wire: { ports, refusals, opts: { maxAttempts: refusals + 2, baseDelayMs: wireBase, maxDelayMs: wireBase * 8 } },
  };
}

/** Sum of the nominal waits of a client that fails every call, jitter aside. */
const nominalTotal = (opts: RetryOpts): number => Array.from({ length: opts.maxAttempts - 1 }, (_, i) => nominal(opts, i + 1)).reduce((a, b) => a + b, 0);

// ── Evidence ────────────────────────────────────────────────────────────────

export interface RunEvidence {
  clients: ClientRecord[];
  /** The cases as drawn for this run, by id. */
  cases: Record<string, CaseConfig>;
  /** Why the run told us nothing or less than it should (missing export, crash, …); null when it ran through. */
  problem: Text | null;
}

export interface WireEvidence extends RunEvidence {
  ports: number[];
  refusals: number;
  opts: RetryOpts;
  /** SYN times on the router, per client (= per port). */
  syns: number[][];
  /** Connections the peer accepted, per port. */
  accepts: number[];
}

/** The runner reports 'done' also after a missing export or a crash: only then does the process say what went wrong. */
function describeProblem(rec: ProcessRecord): Localized | null {
  const ranThrough = eventOf(rec, 'done') && !eventOf(rec, 'missing-export') && !eventOf(rec, 'crash');
  return ranThrough ? null : describeProcessText(rec);
}

async function runLearner(ctx: ScenarioContext, cfg: RunnerConfig): Promise<RunEvidence> {
  const proc = await runProgram(ctx, { config: cfg }, { wallMs: cfg.limitMs + 5000 });
  // Every record comes before 'done'.
  await letExit(proc, cfg.limitMs + 4000);
  const learner = await observe(ctx.lab, proc, { exitWithinMs: 3000 });
  return {
    clients: learner.events.filter((e) => e.type === 'client').map((e) => e.record as ClientRecord),
    cases: Object.fromEntries(cfg.cases.map((c) => [c.id, c])),
    problem: describeProblem(learner),
  };
}

async function runWire(ctx: ScenarioContext, plan: Plan['wire']): Promise<WireEvidence> {
  const { lab } = ctx;
  const { ports: wirePorts, refusals: wireRefusals, opts: wireOpts } = plan;
  const peer = await startPeer(ctx, 'server', { config: { ports: wirePorts }, ready: 'listening' });
  const cfg: RunnerConfig = {
    cases: [{ id: 'wire', clients: wirePorts.length, opts: wireOpts, connect: { host: lab.addresses.peers.server!, ports: wirePorts } }],
    limitMs: 8000,
    watchMs: 300,
  };
  const run = await runLearner(ctx, cfg);
  const synsOf = (port: number): number[] => synsFrom(lab.wire(), lab.addresses.learner, port).map((s) => s.t);
  // The router's trace and the peer's events can lag behind on a loaded machine: give them time to
  // show every attempt the runner made and every connection that got through.
  const caughtUp = (): boolean =>
    run.clients.every((c) => {
      const port = wirePorts[c.client]!;
      const accepted = c.result.kind !== 'resolved' || peer.eventsOf('accept').some((a) => a.port === port);
      return accepted && synsOf(port).length >= c.calls.length;
    });
  await waitUntil(caughtUp, 3000, 50);
  return {
    ...run,
    ports: wirePorts,
    refusals: wireRefusals,
    opts: wireOpts,
    syns: wirePorts.map(synsOf),
    accepts: wirePorts.map((p) => peer.eventsOf('accept').filter((a) => a.port === p).length),
  };
}

const refuseFirst = (refusals: number) => (port: number, i: number): Fault => ({
  id: `refuse-${i}`,
  kind: 'reject-tcp-reset',
  match: { proto: 'tcp', port, synOnly: true, firstPackets: refusals },
});

type Evidence = { storm: RunEvidence; outcomes: RunEvidence; wire: WireEvidence };
type Judged = KitEvidence<Evidence>;
const kit = exerciseKit<Evidence>();

function scenarios(draws: Draws): Scenario<RunEvidence>[] {
  const plan = drawPlan(draws);
  // The slowest client waits about the sum of the nominal delays, up to twice that with jitter.
  const stormWait = Math.max(nominalTotal(plan.storm.opts), nominalTotal(plan.capped.opts));
  const wireWait = nominalTotal({ ...plan.wire.opts, maxAttempts: plan.wire.refusals + 1 });
  return [
    kit.scenario({
      id: 'storm',
      title: m.scStorm(plan.storm.clients + plan.capped.clients),
      lab: { peers: [] },
      trials: 3,
      inherentWaitMs: stormWait,
      deadlineMs: 20_000,
      run: (ctx) => runLearner(ctx, { cases: [plan.storm, plan.capped], limitMs: Math.max(9000, 2 * stormWait + 2000), watchMs: 0 }),
    }),
    kit.scenario({
      id: 'outcomes',
      title: m.scOutcomes(plan.recovers.succeedFrom!),
      lab: { peers: [] },
      inherentWaitMs: nominalTotal({ ...plan.shouldRetry.opts, maxAttempts: plan.shouldRetry.fatalCall! }),
      deadlineMs: 15_000,
      run: (ctx) => runLearner(ctx, { cases: [plan.recovers, plan.shouldRetry], limitMs: 6000, watchMs: 300 }),
    }),
    kit.scenario({
      id: 'wire',
      title: m.scWire(plan.wire.refusals),
      lab: { peers: ['server'], faults: plan.wire.ports.map(refuseFirst(plan.wire.refusals)) },
      trials: 2,
      inherentWaitMs: wireWait,
      deadlineMs: 30_000,
      run: (ctx) => runWire(ctx, plan.wire),
    }),
  ];
}

// ── Reading the evidence ────────────────────────────────────────────────────

const runs = <K extends keyof Evidence>(e: Judged, scenario: K): Evidence[K][] => e.trials(scenario);

/** A case as this run drew it, read back from the evidence. */
function caseOf(e: Judged, scenario: keyof Evidence, caseId: string): CaseConfig {
  const c = runs(e, scenario).find((r) => r.cases?.[caseId])?.cases[caseId];
  if (!c) throw new Error(`no case ${caseId} in the evidence of ${scenario}`);
  return c;
}

const callList = (n: number): Localized => (n === 1 ? m.call1 : n === 2 ? m.calls1and2 : m.callsTo(n));

function clientsOf(e: Judged, scenario: keyof Evidence, caseId: string): ClientRecord[] {
  return runs(e, scenario).flatMap((r) => r.clients.filter((c) => c.case === caseId));
}

function times(n: number): Localized {
  return n === 1 ? m.once : n === 2 ? m.twice : m.nTimes(n);
}

/** What one retryWithBackoff call did, in a phrase. */
export function outcome(c: ClientRecord): Localized {
  const r = c.result;
  if (r.kind === 'threw') return m.threw(errorSummaryText(r.error));
  const calls = c.calls.length === 0 ? m.fnNeverCalled : m.fnCalled(times(c.calls.length));
  if (r.kind === 'pending') return m.outPending(calls);
  if (r.kind === 'resolved') return m.outResolved({ calls, how: r.fromCall ? m.withValueOf(r.fromCall) : m.notAValue });
  return m.outRejected({ calls, error: errorSummaryText(r.error), from: r.fromCall ? m.errorOfCallSuffix(r.fromCall) : '' });
}

/** When a run of the scenario recorded no clients (a missing export, a process that never finished), why. */
function nothingRan(e: Judged, scenario: keyof Evidence): Text | null {
  const empty = runs(e, scenario).find((r) => r.clients.length === 0);
  if (!empty) return null;
  return empty.problem ?? m.noCalls;
}

/** The first client that fails `ok`, with how many of how many failed. */
function firstBad(clients: ClientRecord[], ok: (c: ClientRecord) => boolean): { bad: ClientRecord; count: number } | null {
  const bad = clients.filter((c) => !ok(c));
  return bad.length ? { bad: bad[0]!, count: bad.length } : null;
}

const ofAll = (count: number, total: number): Localized => (count === total ? m.allClients(total) : m.someClients({ count, total }));

// ── Checks ──────────────────────────────────────────────────────────────────

const checks = [
  kit.check({
    id: 'returns-first-success',
    category: 'correctness',
    title: m.tFirstSuccess,
    points: 2,
    needs: ['outcomes'],
    judge(e) {
      const none = nothingRan(e, 'outcomes');
      if (none) return fail(m.nothingRan(none));
      const recovers = caseOf(e, 'outcomes', 'recovers');
      const clients = clientsOf(e, 'outcomes', recovers.id);
      const n = recovers.succeedFrom!;
      const b = firstBad(clients, (c) => c.result.kind === 'resolved' && c.result.fromCall === n && c.calls.length === n);
      if (!b) return pass(m.firstSuccessOk({ failed: times(n - 1), n }));
      const { bad } = b;
      const head = m.firstSuccessHead({ calls: callList(n - 1), n, max: recovers.opts.maxAttempts, clients: ofAll(b.count, clients.length), outcome: outcome(bad) });
      if (bad.calls.length > n) {
        return fail(m.calledAgain(head));
      }
      if (bad.result.kind === 'resolved') return fail(m.resolveExactly(head));
      return fail(m.retryUntilSuccess(head));
    },
  }),
  kit.check({
    id: 'calls-max-attempts',
    category: 'correctness',
    title: m.tMaxAttempts,
    points: 2,
    needs: ['storm'],
    judge(e) {
      const none = nothingRan(e, 'storm');
      if (none) return fail(m.nothingRan(none));
      const clients = [...clientsOf(e, 'storm', 'storm'), ...clientsOf(e, 'storm', 'capped')];
      const maxOf = (c: ClientRecord): number => caseOf(e, 'storm', c.case).opts.maxAttempts;
      const b = firstBad(clients, (c) => c.calls.length === maxOf(c) && c.result.kind !== 'pending');
      if (!b) {
        const both = [...new Set(clients.map(maxOf))];
        return pass(m.maxAttemptsOk(both));
      }
      const { bad } = b;
      const max = maxOf(bad);
      const head = m.maxHead({ max, clients: ofAll(b.count, clients.length), outcome: outcome(bad) });
      if (bad.calls.length > max) {
        return fail(m.tooManyCalls({ head, max, retries: max - 1 }));
      }
      if (bad.result.kind === 'pending') return fail(m.stopAfterMax(head));
      return fail(m.keepRetrying({ head, max }));
    },
  }),
  kit.check({
    id: 'rethrows-last-error',
    category: 'error-handling',
    title: m.tLastError,
    points: 2,
    needs: ['storm'],
    judge(e) {
      const none = nothingRan(e, 'storm');
      if (none) return fail(m.nothingRan(none));
      const clients = [...clientsOf(e, 'storm', 'storm'), ...clientsOf(e, 'storm', 'capped')];
      const b = firstBad(clients, (c) => c.calls.length > 0 && c.result.kind === 'rejected' && c.result.fromCall === c.calls.length);
      if (!b) return pass(m.lastErrorOk);
      const { bad } = b;
      const head = m.lastHead({ clients: ofAll(b.count, clients.length), outcome: outcome(bad) });
      if (bad.calls.length === 0) return fail(m.callFnThenThrow(head));
      if (bad.result.kind === 'resolved') return fail(m.looksLikeSuccess(head));
      if (bad.result.kind === 'rejected' && bad.result.fromCall === null) return fail(m.notFnError(head));
      if (bad.result.kind === 'rejected') return fail(m.rethrowLast({ head, last: bad.calls.length }));
      return fail(m.throwLast(head));
    },
  }),
  kit.check({
    id: 'respects-should-retry',
    category: 'error-handling',
    title: m.tShouldRetry,
    points: 2,
    needs: ['outcomes'],
    judge(e) {
      const none = nothingRan(e, 'outcomes');
      if (none) return fail(m.nothingRan(none));
      const sr = caseOf(e, 'outcomes', 'should-retry');
      const clients = clientsOf(e, 'outcomes', sr.id);
      const n = sr.fatalCall!;
      const b = firstBad(clients, (c) => c.calls.length === n && c.result.kind === 'rejected' && c.result.fromCall === n);
      const head = (bad: ClientRecord, count: number) =>
        m.srHead({ calls: callList(n - 1), n, code: sr.errors?.fatal ?? 'EACCES', clients: ofAll(count, clients.length), outcome: outcome(bad) });
      if (b) {
        const { bad, count } = b;
        if (bad.calls.length > n) return fail(m.srKeptGoing(head(bad, count)));
        if (bad.calls.length < n && bad.calls.length > 0) return fail(m.srRetryWhileYes(head(bad, count)));
        return fail(m.srAsk(head(bad, count)));
      }
      const lag = median(settleLags(clients));
      if (lag > stopLagMs) return fail(m.srSlept({ n, lag: ms(lag) }));
      return pass(m.srOk({ n, lag: lag < 1 ? m.underOneMs : ms(lag) }));
    },
  }),
  kit.check({
    id: 'should-retry-attempt-numbers',
    category: 'error-handling',
    title: m.tAttemptNumbers,
    points: 1,
    needs: ['outcomes'],
    judge(e) {
      const none = nothingRan(e, 'outcomes');
      if (none) return fail(m.nothingRan(none));
      const sr = caseOf(e, 'outcomes', 'should-retry');
      const clients = clientsOf(e, 'outcomes', sr.id);
      const n = sr.fatalCall!;
      const describe = (c: ClientRecord): Localized =>
        join(...c.asked.flatMap((a, i) => [...(i ? [', '] : []), m.asked({ error: a.fromCall ? m.errorOfCall(a.fromCall) : m.notThrownByFn, attempt: JSON.stringify(a.attempt) })]));
      for (const c of clients) {
        if (c.asked.length === 0) return fail(m.srNeverCalled(outcome(c)));
        const wrong = c.asked.find((a) => a.fromCall === null || a.attempt !== a.fromCall);
        if (wrong) {
          const offByOne = c.asked.every((a) => typeof a.attempt === 'number' && a.fromCall !== null && a.attempt === a.fromCall - 1);
          return fail(offByOne ? m.srFromZero(describe(c)) : m.srWrongArgs(describe(c)));
        }
        const seen = new Set(c.asked.map((a) => a.attempt));
        const missing = Array.from({ length: n }, (_, i) => i + 1).filter((k) => !seen.has(k));
        if (missing.length) return fail(m.srMissing({ asked: describe(c), missing: missing.join(', ') }));
      }
      return pass(m.srCalledAs(clients[0] ? describe(clients[0]) : m.nobodyAsked));
    },
  }),
  kit.check({
    id: 'no-wait-after-final',
    category: 'backoff',
    title: m.tNoWaitAfterFinal,
    points: 1,
    needs: ['storm'],
    judge(e) {
      const none = nothingRan(e, 'storm');
      if (none) return fail(m.nothingRan(none));
      const clients = [...clientsOf(e, 'storm', 'storm'), ...clientsOf(e, 'storm', 'capped')];
      const lags = settleLags(clients);
      if (lags.length === 0) return fail(m.noneSettled(outcome(clients[0]!)));
      const lag = median(lags);
      if (lag > finalLagMs) return fail(m.sleptAfterFinal({ lag: ms(lag), clients: lags.length }));
      return pass(m.finalOk({ lag: lag < 1 ? m.underOneMs : ms(lag), clients: lags.length }));
    },
  }),
  kit.check({
    id: 'delays-grow-exponentially',
    category: 'backoff',
    title: m.tGrow,
    points: 2,
    needs: ['storm'],
    judge(e) {
      const none = nothingRan(e, 'storm');
      if (none) return fail(m.nothingRan(none));
      const clients = clientsOf(e, 'storm', 'storm');
      const { opts } = caseOf(e, 'storm', 'storm');
      const last = opts.maxAttempts - 1;
      const g = measureGrowth(
        runs(e, 'storm').map((r) => r.clients.filter((c) => c.case === 'storm')),
        opts,
      );
      if (g.reached < clients.length / 2) return fail(m.tooFewGrow({ last, outcome: outcome(clients[0]!) }));
      const shape = m.shape({ last, medians: msList(g.medians) });
      if (growthOk(g)) return pass(shape);
      if (g.typical < 2) return fail(m.noWaitAtAll(ms(g.typical)));
      if (g.late < g.envelope) {
        return fail(m.growTooSlow({ shape, base: opts.baseDelayMs, nominal: nominal(opts, last), next: last + 1, late: ms(g.late) }));
      }
      return fail(m.noGrowth({ shape, next: last + 1 }));
    },
  }),
  kit.check({
    id: 'delays-capped',
    category: 'backoff',
    title: m.tCapped,
    points: 2,
    needs: ['storm'],
    judge(e) {
      const none = nothingRan(e, 'storm');
      if (none) return fail(m.nothingRan(none));
      const clients = clientsOf(e, 'storm', 'capped');
      const { opts } = caseOf(e, 'storm', 'capped');
      const cap = measureCap(clients, opts);
      const lastStep = cap.steps[cap.steps.length - 1]!;
      if (!cap.enough) return fail(m.tooFewCap({ step: lastStep, outcome: outcome(clients[0]!) }));
      const shape = m.shape({ last: lastStep, medians: msList(mediansByStep(clients, lastStep)) });
      if (!capOk(cap)) return fail(m.pastCap({ base: opts.baseDelayMs, max: opts.maxDelayMs, shape }));
      return pass(m.capOk({ max: opts.maxDelayMs, shape }));
    },
  }),
  kit.check({
    id: 'delays-jittered',
    category: 'backoff',
    title: m.tJittered,
    points: 2,
    needs: ['storm'],
    judge(e) {
      const none = nothingRan(e, 'storm');
      if (none) return fail(m.nothingRan(none));
      const storm = caseOf(e, 'storm', 'storm');
      const trials = runs(e, 'storm').map((r) => r.clients.filter((c) => c.case === 'storm'));
      const sp = measureSpread(trials, storm.opts);
      const example = sp.example;
      if (!example) {
        const clients = clientsOf(e, 'storm', 'storm');
        return fail(m.tooFewSpread(outcome(clients[0]!)));
      }
      const sorted = [...example.waits].sort((a, b) => a - b);
      const mid = sorted.slice(Math.floor(sorted.length / 4), Math.ceil((sorted.length * 3) / 4));
      const middle = m.range({ from: ms(mid[0]!), to: ms(mid[mid.length - 1]!) });
      if (!spreadOk(sp) && sp.level < minLevel) return fail(m.nothingToRandomise({ next: example.k + 1, middle }));
      if (!spreadOk(sp)) return fail(m.lockstep({ clients: storm.clients, next: example.k + 1, middle }));
      return pass(m.spreadOk({ next: example.k + 1, count: example.waits.length, middle }));
    },
  }),
  kit.check({
    id: 'recovers-real-peer',
    category: 'correctness',
    title: m.tRealPeer,
    points: 2,
    needs: ['wire'],
    judge(e) {
      const none = nothingRan(e, 'wire');
      if (none) return fail(m.nothingRan(none));
      const K = runs(e, 'wire')[0]!.refusals;
      for (const run of runs(e, 'wire')) {
        for (const c of run.clients) {
          const port = run.ports[c.client]!;
          const syns = run.syns[c.client]!.length;
          const accepts = run.accepts[c.client]!;
          const head = m.wireHead({ refusals: K, port, outcome: outcome(c) });
          if (c.result.kind !== 'resolved' || c.result.fromCall !== c.calls.length || c.calls.length !== K + 1) {
            if (c.calls.length > K + 1 && accepts > 0) return fail(m.keptRetrying({ head, accepts }));
            return fail(m.retryRefused(head));
          }
          // The router's trace may miss a packet now and then, never invent one: more SYNs than calls
          // would be connections nobody asked for; fewer is the trace's loss, not the learner's.
          if (accepts !== 1 || syns > K + 1) return fail(m.wrongCounts({ head, syns, accepts, expected: K + 1 }));
        }
      }
      return pass(m.realPeerOk({ attempt: K + 1, refusals: K }));
    },
  }),
  kit.check({
    id: 'spaced-on-the-wire',
    category: 'backoff',
    title: m.tSpaced,
    points: 1,
    needs: ['wire'],
    judge(e) {
      const none = nothingRan(e, 'wire');
      if (none) return fail(m.nothingRan(none));
      const all = runs(e, 'wire');
      const { opts: wireOpts, refusals } = all[0]!;
      const w = measureWire(all, wireOpts, refusals);
      if (w.clients === 0) {
        const c = all.flatMap((r) => r.clients)[0];
        return fail(c ? m.noSecondBecause(outcome(c)) : m.noSecond);
      }
      if (!wireOk(w)) return fail(m.burst({ waited: ms(w.waited), clients: w.clients, base: wireOpts.baseDelayMs, expected: ms(w.expected) }));
      const source = w.fromWire === w.clients ? m.onTheWire : m.onTheWireLagged(w.clients - w.fromWire);
      return pass(m.spacedOk({ waited: ms(w.waited), source, gaps: msList(w.gaps) }));
    },
  }),
];

const exercise: ExerciseDef = {
  id: 'retry-backoff',
  title: m.title.en,
  part: m.part.en,
  vi: { title: m.title.vi, part: m.part.vi },
  kind: 'module',
  runner: runnerFile,
  peers: { server: peerFile },
  scenarios,
  checks,
};

export default exercise;

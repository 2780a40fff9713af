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
import { errorSummary, ms } from '../../evidence.ts';
import { describeProcess, eventOf, exerciseKit, fail, letExit, observe, pass, runProgram, startPeer, waitUntil, type Evidence as KitEvidence, type ProcessRecord } from '../../kit/index.ts';
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
  problem: string | null;
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
function describeProblem(rec: ProcessRecord): string | null {
  const ranThrough = eventOf(rec, 'done') && !eventOf(rec, 'missing-export') && !eventOf(rec, 'crash');
  return ranThrough ? null : describeProcess(rec);
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
      title: `${plan.storm.clients + plan.capped.clients} clients, every call fails`,
      lab: { peers: [] },
      trials: 3,
      inherentWaitMs: stormWait,
      deadlineMs: 20_000,
      run: (ctx) => runLearner(ctx, { cases: [plan.storm, plan.capped], limitMs: Math.max(9000, 2 * stormWait + 2000), watchMs: 0 }),
    }),
    kit.scenario({
      id: 'outcomes',
      title: `a call that succeeds on try ${plan.recovers.succeedFrom}; an error shouldRetry refuses`,
      lab: { peers: [] },
      inherentWaitMs: nominalTotal({ ...plan.shouldRetry.opts, maxAttempts: plan.shouldRetry.fatalCall! }),
      deadlineMs: 15_000,
      run: (ctx) => runLearner(ctx, { cases: [plan.recovers, plan.shouldRetry], limitMs: 6000, watchMs: 300 }),
    }),
    kit.scenario({
      id: 'wire',
      title: `real connections, the first ${plan.wire.refusals} refused with a TCP reset`,
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

const callList = (n: number): string => (n === 1 ? 'call 1' : n === 2 ? 'calls 1 and 2' : `calls 1 to ${n}`);

function clientsOf(e: Judged, scenario: keyof Evidence, caseId: string): ClientRecord[] {
  return runs(e, scenario).flatMap((r) => r.clients.filter((c) => c.case === caseId));
}

function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}

/** What one retryWithBackoff call did, in a phrase. */
export function outcome(c: ClientRecord): string {
  const r = c.result;
  if (r.kind === 'threw') return `retryWithBackoff threw instead of returning a promise (${errorSummary(r.error)})`;
  const calls = c.calls.length === 0 ? 'fn was never called' : `fn was called ${times(c.calls.length)}`;
  if (r.kind === 'pending') return `${calls} and the promise had not settled when we stopped waiting`;
  if (r.kind === 'resolved') return `${calls} and the promise resolved${r.fromCall ? ` with the value of call ${r.fromCall}` : ' (not with a value fn returned)'}`;
  return `${calls} and the promise rejected with ${errorSummary(r.error)}${r.fromCall ? ` — the error of call ${r.fromCall}` : ''}`;
}

/** When a run of the scenario recorded no clients (a missing export, a process that never finished), why. */
function nothingRan(e: Judged, scenario: keyof Evidence): string | null {
  const empty = runs(e, scenario).find((r) => r.clients.length === 0);
  if (!empty) return null;
  return empty.problem ?? 'the runner recorded no calls';
}

/** The first client that fails `ok`, with how many of how many failed. */
function firstBad(clients: ClientRecord[], ok: (c: ClientRecord) => boolean): { bad: ClientRecord; count: number } | null {
  const bad = clients.filter((c) => !ok(c));
  return bad.length ? { bad: bad[0]!, count: bad.length } : null;
}

const ofAll = (count: number, total: number): string => (count === total ? `all ${total} clients` : `${count} of ${total} clients`);

// ── Checks ──────────────────────────────────────────────────────────────────

const checks = [
  kit.check({
    id: 'returns-first-success',
    category: 'correctness',
    title: 'returns the value of the first call that succeeds, and calls fn no more',
    points: 2,
    needs: ['outcomes'],
    judge(e) {
      const none = nothingRan(e, 'outcomes');
      if (none) return fail(`${none}.`);
      const recovers = caseOf(e, 'outcomes', 'recovers');
      const clients = clientsOf(e, 'outcomes', recovers.id);
      const n = recovers.succeedFrom!;
      const b = firstBad(clients, (c) => c.result.kind === 'resolved' && c.result.fromCall === n && c.calls.length === n);
      if (!b) return pass(`fn failed ${times(n - 1)}, succeeded on call ${n}: the promise resolved with that value and fn was not called again`);
      const { bad } = b;
      const head = `fn failed on ${callList(n - 1)} and succeeded from call ${n} on (maxAttempts ${recovers.opts.maxAttempts}); in ${ofAll(b.count, clients.length)}, ${outcome(bad)}.`;
      if (bad.calls.length > n) {
        return fail(`${head} Once a call succeeds the job is done: return its result at once instead of calling fn again.`);
      }
      if (bad.result.kind === 'resolved') return fail(`${head} Resolve with exactly what the successful call returned.`);
      return fail(`${head} Retry failed calls until one succeeds (or the attempts run out), then return its result.`);
    },
  }),
  kit.check({
    id: 'calls-max-attempts',
    category: 'correctness',
    title: 'when every call fails, calls fn exactly maxAttempts times',
    points: 2,
    needs: ['storm'],
    judge(e) {
      const none = nothingRan(e, 'storm');
      if (none) return fail(`${none}.`);
      const clients = [...clientsOf(e, 'storm', 'storm'), ...clientsOf(e, 'storm', 'capped')];
      const maxOf = (c: ClientRecord): number => caseOf(e, 'storm', c.case).opts.maxAttempts;
      const b = firstBad(clients, (c) => c.calls.length === maxOf(c) && c.result.kind !== 'pending');
      if (!b) {
        const both = [...new Set(clients.map(maxOf))].join(' and ');
        return pass(`every client called fn exactly maxAttempts (${both}) times, then gave up`);
      }
      const { bad } = b;
      const max = maxOf(bad);
      const head = `every call failed and maxAttempts was ${max}; in ${ofAll(b.count, clients.length)}, ${outcome(bad)}.`;
      if (bad.calls.length > max) {
        return fail(`${head} maxAttempts counts every call of fn, the first one included: ${max} attempts are 1 call plus ${max - 1} retries.`);
      }
      if (bad.result.kind === 'pending') return fail(`${head} Stop after maxAttempts calls and throw.`);
      return fail(`${head} Keep retrying until fn has been called maxAttempts times (attempts 1 to ${max}).`);
    },
  }),
  kit.check({
    id: 'rethrows-last-error',
    category: 'error-handling',
    title: 'when every call fails, rejects with the error of the last call',
    points: 2,
    needs: ['storm'],
    judge(e) {
      const none = nothingRan(e, 'storm');
      if (none) return fail(`${none}.`);
      const clients = [...clientsOf(e, 'storm', 'storm'), ...clientsOf(e, 'storm', 'capped')];
      const b = firstBad(clients, (c) => c.calls.length > 0 && c.result.kind === 'rejected' && c.result.fromCall === c.calls.length);
      if (!b) return pass('every client rejected with the very error object its last call threw');
      const { bad } = b;
      const head = `with every call failing, in ${ofAll(b.count, clients.length)}, ${outcome(bad)}.`;
      if (bad.calls.length === 0) return fail(`${head} Call fn, and when the attempts run out, throw the error of the last call.`);
      if (bad.result.kind === 'resolved') {
        return fail(`${head} A caller cannot tell that from success: when the attempts run out, throw the last error.`);
      }
      if (bad.result.kind === 'rejected' && bad.result.fromCall === null) {
        return fail(
          `${head} That is not an error fn threw: rethrow the last error object itself, so callers can still read its code (ECONNRESET, ETIMEDOUT, …).`,
        );
      }
      if (bad.result.kind === 'rejected') {
        return fail(`${head} Rethrow the error of the last attempt (call ${bad.calls.length}): it is the freshest news about the service.`);
      }
      return fail(`${head} When the attempts run out, throw the last error.`);
    },
  }),
  kit.check({
    id: 'respects-should-retry',
    category: 'error-handling',
    title: 'stops at once and rethrows when shouldRetry says no',
    points: 2,
    needs: ['outcomes'],
    judge(e) {
      const none = nothingRan(e, 'outcomes');
      if (none) return fail(`${none}.`);
      const sr = caseOf(e, 'outcomes', 'should-retry');
      const clients = clientsOf(e, 'outcomes', sr.id);
      const n = sr.fatalCall!;
      const b = firstBad(clients, (c) => c.calls.length === n && c.result.kind === 'rejected' && c.result.fromCall === n);
      const head = (bad: ClientRecord, count: number) =>
        `shouldRetry said yes to the errors of ${callList(n - 1)} and no to the error of call ${n} (${sr.errors?.fatal ?? 'EACCES'}); in ${ofAll(count, clients.length)}, ${outcome(bad)}.`;
      if (b) {
        const { bad, count } = b;
        if (bad.calls.length > n) {
          return fail(`${head(bad, count)} When shouldRetry returns false, throw that error at once: more attempts cannot help.`);
        }
        if (bad.calls.length < n && bad.calls.length > 0) return fail(`${head(bad, count)} Retry while shouldRetry says yes.`);
        return fail(`${head(bad, count)} Ask shouldRetry(err, attempt) after each failure; when it says no, throw that error.`);
      }
      const lag = median(settleLags(clients));
      if (lag > stopLagMs) {
        return fail(
          `shouldRetry said no to the error of call ${n}, and the promise rejected ${ms(lag)} later (median): ask shouldRetry before sleeping, and throw at once when it says no.`,
        );
      }
      return pass(`stopped after call ${n} and rejected with its error ${lag < 1 ? 'under 1 ms' : ms(lag)} later (median)`);
    },
  }),
  kit.check({
    id: 'should-retry-attempt-numbers',
    category: 'error-handling',
    title: 'shouldRetry gets each error with its attempt number, counted from 1',
    points: 1,
    needs: ['outcomes'],
    judge(e) {
      const none = nothingRan(e, 'outcomes');
      if (none) return fail(`${none}.`);
      const sr = caseOf(e, 'outcomes', 'should-retry');
      const clients = clientsOf(e, 'outcomes', sr.id);
      const n = sr.fatalCall!;
      const describe = (c: ClientRecord): string =>
        c.asked.map((a) => `(${a.fromCall ? `error of call ${a.fromCall}` : 'an error fn did not throw'}, ${JSON.stringify(a.attempt)})`).join(', ');
      for (const c of clients) {
        if (c.asked.length === 0) {
          return fail(`shouldRetry was never called (${outcome(c)}). Call shouldRetry(err, attempt) after every failed attempt.`);
        }
        const wrong = c.asked.find((a) => a.fromCall === null || a.attempt !== a.fromCall);
        if (wrong) {
          const offByOne = c.asked.every((a) => typeof a.attempt === 'number' && a.fromCall !== null && a.attempt === a.fromCall - 1);
          return fail(
            `shouldRetry was called as ${describe(c)}. ` +
              (offByOne
                ? 'Attempt numbers start at 1: the first call of fn is attempt 1, so shouldRetry(err, 1) judges its error.'
                : 'Pass the error of the attempt that just failed, and that attempt’s number (counted from 1).'),
          );
        }
        const seen = new Set(c.asked.map((a) => a.attempt));
        const missing = Array.from({ length: n }, (_, i) => i + 1).filter((k) => !seen.has(k));
        if (missing.length) {
          return fail(`shouldRetry was called as ${describe(c)}, never for attempt ${missing.join(', ')}: ask it after every failed attempt.`);
        }
      }
      return pass(`shouldRetry was called as ${clients[0] ? describe(clients[0]) : '—'}`);
    },
  }),
  kit.check({
    id: 'no-wait-after-final',
    category: 'backoff',
    title: 'does not sleep after the final failed attempt',
    points: 1,
    needs: ['storm'],
    judge(e) {
      const none = nothingRan(e, 'storm');
      if (none) return fail(`${none}.`);
      const clients = [...clientsOf(e, 'storm', 'storm'), ...clientsOf(e, 'storm', 'capped')];
      const lags = settleLags(clients);
      if (lags.length === 0) return fail(`no client got as far as settling after a failed call: ${outcome(clients[0]!)}.`);
      const lag = median(lags);
      if (lag > finalLagMs) {
        return fail(
          `after the last attempt failed, the promise took ${ms(lag)} (median over ${lags.length} clients) to reject: ` +
            'a wait after the final attempt only delays the bad news. Throw as soon as the last attempt fails.',
        );
      }
      return pass(`rejected ${lag < 1 ? 'under 1 ms' : ms(lag)} after the last failure (median over ${lags.length} clients)`);
    },
  }),
  kit.check({
    id: 'delays-grow-exponentially',
    category: 'backoff',
    title: 'the waits double from baseDelayMs with every failed attempt',
    points: 2,
    needs: ['storm'],
    judge(e) {
      const none = nothingRan(e, 'storm');
      if (none) return fail(`${none}.`);
      const clients = clientsOf(e, 'storm', 'storm');
      const { opts } = caseOf(e, 'storm', 'storm');
      const last = opts.maxAttempts - 1;
      const g = measureGrowth(
        runs(e, 'storm').map((r) => r.clients.filter((c) => c.case === 'storm')),
        opts,
      );
      if (g.reached < clients.length / 2) {
        return fail(`too few clients retried ${last} times to see the waits grow: ${outcome(clients[0]!)}.`);
      }
      const shape = `median waits after attempts 1 to ${last}: ${msList(g.medians)}`;
      if (growthOk(g)) return pass(shape);
      if (g.typical < 2) {
        return fail(
          `the attempts followed each other with no wait at all (median ${ms(g.typical)} between attempts): a retry storm. ` +
            'Sleep between attempts — and await the sleep.',
        );
      }
      if (g.late < g.envelope) {
        return fail(
          `the waits grew too slowly (${shape}). Doubling from baseDelayMs ${opts.baseDelayMs} ms reaches ${nominal(opts, last)} ms ` +
            `by the wait before attempt ${last + 1}, yet 90% of clients waited under ${ms(g.late)} there. ` +
            'Grow the delay exponentially: baseDelayMs × 2^(attempt − 1), capped at maxDelayMs.',
        );
      }
      return fail(
        `the waits did not grow (${shape}): the wait before attempt ${last + 1} is barely longer than the first. ` +
          'Start from baseDelayMs and double the delay after every failed attempt.',
      );
    },
  }),
  kit.check({
    id: 'delays-capped',
    category: 'backoff',
    title: 'the waits stop growing at maxDelayMs',
    points: 2,
    needs: ['storm'],
    judge(e) {
      const none = nothingRan(e, 'storm');
      if (none) return fail(`${none}.`);
      const clients = clientsOf(e, 'storm', 'capped');
      const { opts } = caseOf(e, 'storm', 'capped');
      const cap = measureCap(clients, opts);
      const lastStep = cap.steps[cap.steps.length - 1]!;
      if (!cap.enough) return fail(`too few clients retried ${lastStep} times to see the cap: ${outcome(clients[0]!)}.`);
      const shape = `median waits after attempts 1 to ${lastStep}: ${msList(mediansByStep(clients, lastStep))}`;
      if (!capOk(cap)) {
        return fail(
          `with baseDelayMs ${opts.baseDelayMs} and maxDelayMs ${opts.maxDelayMs}, the ${shape}: the delay kept doubling past the cap. ` +
            'Clamp it: Math.min(maxDelayMs, baseDelayMs × 2^(attempt − 1)) — a long outage must not make clients wait for ever.',
        );
      }
      return pass(`maxDelayMs ${opts.maxDelayMs}: ${shape}`);
    },
  }),
  kit.check({
    id: 'delays-jittered',
    category: 'backoff',
    title: 'the waits are randomised, so clients that failed together do not retry together',
    points: 2,
    needs: ['storm'],
    judge(e) {
      const none = nothingRan(e, 'storm');
      if (none) return fail(`${none}.`);
      const storm = caseOf(e, 'storm', 'storm');
      const trials = runs(e, 'storm').map((r) => r.clients.filter((c) => c.case === 'storm'));
      const sp = measureSpread(trials, storm.opts);
      const example = sp.example;
      if (!example) {
        const clients = clientsOf(e, 'storm', 'storm');
        return fail(`too few clients retried 5 times to see how their waits spread: ${outcome(clients[0]!)}.`);
      }
      const sorted = [...example.waits].sort((a, b) => a - b);
      const mid = sorted.slice(Math.floor(sorted.length / 4), Math.ceil((sorted.length * 3) / 4));
      const middle = `${ms(mid[0]!)} to ${ms(mid[mid.length - 1]!)}`;
      if (!spreadOk(sp) && sp.level < minLevel) {
        return fail(
          `before attempt ${example.k + 1} the clients waited ${middle} (middle half): there is no wait to randomise. ` +
            'Sleep a random part of the backoff delay between attempts — and await the sleep.',
        );
      }
      if (!spreadOk(sp)) {
        return fail(
          `${storm.clients} clients that failed at the same moment retried in lockstep: before attempt ${example.k + 1}, ` +
            `the middle half of them waited ${middle}. Every client hits the recovering service at the same instant — ` +
            'randomise each delay (jitter), e.g. a random wait between 0 and the backoff delay.',
        );
      }
      return pass(`before attempt ${example.k + 1}, the middle half of ${example.waits.length} clients waited ${middle}`);
    },
  }),
  kit.check({
    id: 'recovers-real-peer',
    category: 'correctness',
    title: 'real connections: retries through refusals and returns the connection that got through',
    points: 2,
    needs: ['wire'],
    judge(e) {
      const none = nothingRan(e, 'wire');
      if (none) return fail(`${none}.`);
      const K = runs(e, 'wire')[0]!.refusals;
      for (const run of runs(e, 'wire')) {
        for (const c of run.clients) {
          const port = run.ports[c.client]!;
          const syns = run.syns[c.client]!.length;
          const accepts = run.accepts[c.client]!;
          const head = `the router refused the first ${K} connections to port ${port} with a TCP reset, then let them through; ${outcome(c)}`;
          if (c.result.kind !== 'resolved' || c.result.fromCall !== c.calls.length || c.calls.length !== K + 1) {
            if (c.calls.length > K + 1 && accepts > 0) {
              return fail(`${head}, and the peer accepted ${accepts} connection(s). Stop retrying once fn succeeds, and return what it returned.`);
            }
            return fail(`${head}. Retry refused connections (ECONNREFUSED) with backoff until one gets through, and return it.`);
          }
          // The router's trace may miss a packet now and then, never invent one: more SYNs than calls
          // would be connections nobody asked for; fewer is the trace's loss, not the learner's.
          if (accepts !== 1 || syns > K + 1) {
            return fail(`${head}, but the router saw ${syns} SYN(s) and the peer accepted ${accepts} connection(s) (expected ${K + 1} and 1).`);
          }
        }
      }
      return pass(`every client got through on attempt ${K + 1}, after ${K} refusals: one connection accepted per port`);
    },
  }),
  kit.check({
    id: 'spaced-on-the-wire',
    category: 'backoff',
    title: 'real connections: the attempts on the wire are spaced out, not a burst',
    points: 1,
    needs: ['wire'],
    judge(e) {
      const none = nothingRan(e, 'wire');
      if (none) return fail(`${none}.`);
      const all = runs(e, 'wire');
      const { opts: wireOpts, refusals } = all[0]!;
      const w = measureWire(all, wireOpts, refusals);
      if (w.clients === 0) {
        const c = all.flatMap((r) => r.clients)[0];
        return fail(`no client made a second connection attempt${c ? ` (${outcome(c)})` : ''}.`);
      }
      if (!wireOk(w)) {
        return fail(
          `the router refused connections with a TCP reset, and each client tried again after waiting ${ms(w.waited)} in all ` +
            `(mean over ${w.clients} clients, from each refusal to the next SYN): a burst against a service that is refusing. ` +
            `With baseDelayMs ${wireOpts.baseDelayMs} the waits should add up to about ${ms(w.expected)} before jitter. ` +
            'Wait between attempts — and await the wait.',
        );
      }
      const source = w.fromWire === w.clients ? 'on the wire' : `on the wire (for ${w.clients - w.fromWire} clients the router's trace lagged; their calls were timed instead)`;
      return pass(`waits added up to ${ms(w.waited)} per client (mean); SYN gaps ${source}, median per retry: ${msList(w.gaps)}`);
    },
  }),
];

const exercise: ExerciseDef = {
  id: 'retry-backoff',
  title: 'Retry with exponential backoff and jitter',
  part: 'Part 10 — Retries done right',
  kind: 'module',
  runner: runnerFile,
  peers: { server: peerFile },
  scenarios,
  checks,
};

export default exercise;

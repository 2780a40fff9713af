/**
 * circuit-breaker (Part 10, "Circuit breaker"): createBreaker(fn, { failureThreshold,
 * cooldownMs }). The runner builds `fn` itself — a real TCP connection to a
 * peer — and drives one timeline of call()s through every state: closed
 * (results and errors pass through, a success resets the count), open (fast
 * rejections, fn untouched), half-open (one probe; calls during it wait or
 * fail fast), a failed probe (open again for a new cooldown), a successful
 * probe (closed, counting from zero). Each step talks to a port of its own,
 * so the router's SYNs and the peer's accepts say which steps reached fn:
 * refused ports are refused by the router (REJECT with a reset:
 * ECONNREFUSED), the probes' ports by a peer that answers or resets after a
 * while, so that calls made during a probe find it in flight.
 */
import type { AgentEvent } from '../../../harness/process.ts';
import { synsFrom } from '../../../harness/wire.ts';
import type { Fault } from '../../../harness/faults.ts';
import { errorSummary, ms, type ErrorShape } from '../../evidence.ts';
import { describeProcess, eventOf, exerciseKit, fail, letExit, observe, pass, runProgram, startPeer, waitUntil, type ProcessRecord } from '../../kit/index.ts';
import type { Draws } from '../../draws.ts';
import type { ExerciseDef, Scenario, ScenarioContext, Verdict } from '../../types.ts';
import type { CallRecord, FnRecord, Ports, RunnerConfig } from './runner.ts';
import type { BreakerPeerConfig } from './peer.ts';

const runnerFile = new URL('./runner.ts', import.meta.url).pathname;
const peerFile = new URL('./peer.ts', import.meta.url).pathname;

/** Drawn per run (grader/draws.ts). */
export const ranges = {
  port: [20000, 60000],
  failureThreshold: [2, 5],
  cooldownMs: [400, 700],
  /** How long a probe is in flight (the peer answers or resets this long after the accept). */
  probeMs: [260, 360],
  /** The shape of the timeline: successes before the first failures, calls made at once after the opening. */
  leadingOks: [1, 3],
  openCalls: [2, 4],
} as const;

/** Calls before the cooldown's end, as fractions of cooldownMs after the opening. */
const earlyAt = [0.3, 0.65];
/** The probe is called this long after cooldownMs has passed. */
const probeLateMs = 250;
/** An open breaker rejects within this (a fast failure, not a wait). */
const fastMs = 150;
/** An early call made this close to the cooldown's end (the machine was busy) is not judged as early. */
const earlySlackMs = 60;

const portNames = ['ok', 'fail', 'open', 'slowFail', 'open2', 'slowOk', 'fail2', 'ok2'] as const satisfies ReadonlyArray<keyof Ports>;
const refused = ['fail', 'open', 'open2', 'fail2'] as const;

export interface RunEvidence {
  cfg: RunnerConfig;
  calls: CallRecord[];
  fnCalls: FnRecord[];
  /** SYN times on the router, per port. */
  syns: Record<keyof Ports, number[]>;
  /** The peer's records (accept, reply, reset), with its own times. */
  peer: AgentEvent[];
  /** When the runner saw the breaker open (the last failure of the streak settled), and the first probe settle. */
  t0: number | null;
  t1: number | null;
  /** Why the run told us nothing or less than it should (missing export, crash, …); null when it ran through. */
  problem: string | null;
}

function describeProblem(rec: ProcessRecord): string | null {
  if (eventOf(rec, 'no-call-method')) return 'createBreaker returned no object with a call() method';
  const threw = eventOf(rec, 'create-threw');
  if (threw) return `createBreaker threw ${errorSummary(threw.error)}`;
  const ranThrough = eventOf(rec, 'done') && !eventOf(rec, 'missing-export') && !eventOf(rec, 'crash');
  return ranThrough ? null : (describeProcess(rec) ?? 'the run did not finish');
}

async function run(ctx: ScenarioContext, cfg: Omit<RunnerConfig, 'host'>, probeMs: number): Promise<RunEvidence> {
  const { lab } = ctx;
  const P = cfg.ports;
  const peerCfg: BreakerPeerConfig = {
    ports: [
      { port: P.ok, mode: 'ok', delayMs: 0 },
      { port: P.ok2, mode: 'ok', delayMs: 0 },
      { port: P.slowFail, mode: 'slow-reset', delayMs: probeMs },
      { port: P.slowOk, mode: 'slow-ok', delayMs: probeMs },
    ],
  };
  const peer = await startPeer(ctx, 'server', { config: peerCfg, ready: 'listening' });
  const full: RunnerConfig = { ...cfg, host: lab.addresses.peers.server! };
  const limitMs = 15_000;
  const proc = await runProgram(ctx, { config: full }, { wallMs: limitMs + 5000 });
  await letExit(proc, limitMs);
  const learner = await observe(lab, proc, { exitWithinMs: 3000 });
  const record = eventOf(learner, 'record');
  const calls = (record?.calls ?? []) as CallRecord[];
  const fnCalls = (record?.fnCalls ?? []) as FnRecord[];
  const synsOf = (port: number): number[] => synsFrom(lab.wire(), lab.addresses.learner, port).map((s) => s.t);
  // The router's trace can lag behind on a loaded machine: wait until it shows every connection fn made.
  await waitUntil(() => portNames.every((k) => synsOf(P[k]).length >= fnCalls.filter((f) => f.port === P[k]).length), 3000, 50);
  const phase = (name: string): number | null => {
    const ev = learner.events.find((e) => e.type === 'phase' && e.phase === name);
    return ev ? Number(ev.t) : null;
  };
  return {
    cfg: full,
    calls,
    fnCalls,
    syns: Object.fromEntries(portNames.map((k) => [k, synsOf(P[k])])) as Record<keyof Ports, number[]>,
    peer: peer.events.filter((e) => e.type === 'accept' || e.type === 'reply' || e.type === 'reset'),
    t0: phase('opened'),
    t1: phase('probe1-settled'),
    problem: record ? describeProblem(learner) : (describeProblem(learner) ?? 'the runner reported no calls'),
  };
}

type Evidence = { lifecycle: RunEvidence };
const kit = exerciseKit<Evidence>();

function scenarios(draws: Draws): Scenario<RunEvidence>[] {
  const ports = draws.distinct('ports', portNames.length, ...ranges.port);
  const P = Object.fromEntries(portNames.map((k, i) => [k, ports[i]!])) as unknown as Ports;
  const th = draws.int('failureThreshold', ...ranges.failureThreshold);
  const cd = draws.int('cooldownMs', ...ranges.cooldownMs);
  const probeMs = draws.int('probeMs', ...ranges.probeMs);
  // The streak that opens the breaker spans more than half the cooldown: a cooldown counted from its first
  // failure then ends before the second early call.
  const gapMs = Math.ceil((0.5 * cd + 40) / (th - 1));
  const cfg: Omit<RunnerConfig, 'host'> = {
    ports: P,
    failureThreshold: th,
    cooldownMs: cd,
    gapMs,
    earlyAt,
    probeLateMs,
    duringMs: [40, Math.min(140, probeMs - 100)],
    openCalls: draws.int('openCalls', ...ranges.openCalls),
    leadingOks: draws.int('leadingOks', ...ranges.leadingOks),
    settleCapMs: 2500,
  };
  const faults: Fault[] = refused.map((k) => ({ id: `refuse-${k.toLowerCase()}`, kind: 'reject-tcp-reset', match: { proto: 'tcp', port: P[k], synOnly: true } }));
  const wait = gapMs * (th - 1) + 2 * (cd + probeLateMs + probeMs) + probeMs;
  return [
    kit.scenario({
      id: 'lifecycle',
      title: `a breaker (failureThreshold ${th}, cooldownMs ${cd}) through closed, open, half-open and back, on real connections`,
      lab: { peers: ['server'], faults },
      inherentWaitMs: wait,
      deadlineMs: 40_000,
      run: (ctx) => run(ctx, cfg, probeMs),
    }),
  ];
}

// ── Reading the evidence ────────────────────────────────────────────────────

const callsOf = (ev: RunEvidence, prefix: string): CallRecord[] => ev.calls.filter((c) => c.label.startsWith(prefix));
const callOf = (ev: RunEvidence, label: string): CallRecord | undefined => ev.calls.find((c) => c.label === label);
/** The invocations of fn made while `c` was the latest call (attributed by the runner), or made for its port. */
const fnDuring = (ev: RunEvidence, c: CallRecord): FnRecord[] => ev.fnCalls.filter((f) => f.during === c.label);
const reachedFn = (ev: RunEvidence, c: CallRecord): boolean => fnDuring(ev, c).length > 0;

/** An error that reads as an open circuit. */
export function readsAsOpen(err: unknown): boolean {
  const e = err as ErrorShape | undefined;
  if (!e) return false;
  if (e.code === 'EOPENBREAKER') return true;
  return [e.name, e.message].some((s) => typeof s === 'string' && /circuit|open/i.test(s));
}

/** What one call did, in a phrase. */
function outcome(ev: RunEvidence, c: CallRecord | undefined): string {
  if (!c) return 'the call was never made';
  const took = c.tEnd !== null ? ` after ${ms(c.tEnd - c.tCall)}` : '';
  const fn = reachedFn(ev, c) ? `fn was invoked` : 'fn was not invoked';
  if (c.kind === 'threw') return `call() threw ${errorSummary(c.error)} synchronously (${fn})`;
  if (c.kind === 'pending') return `the call was still pending ${ms(ev.cfg.settleCapMs)} later (${fn})`;
  if (c.kind === 'resolved') return `it resolved${took}${c.fromFn ? " with fn's own value" : ' with something fn did not return'} (${fn})`;
  return `it rejected${took} with ${errorSummary(c.error)}${c.fromFn ? " (fn's own error)" : ''} (${fn})`;
}

function nothingRan(ev: RunEvidence): Verdict | null {
  if (ev.calls.length > 0 && !ev.problem) return null;
  if (ev.calls.length > 0 && ev.problem) return null;
  return fail(`no call was recorded: ${ev.problem ?? 'the run did not start'}.`);
}

const code = (c: CallRecord): string | undefined => (c.error as ErrorShape | undefined)?.code;

/** The closed breaker passed fn's failure through: fn was invoked, and the call rejected with its own ECONNREFUSED error. */
const passedFailure = (ev: RunEvidence, c: CallRecord | undefined): boolean =>
  !!c && reachedFn(ev, c) && c.kind === 'rejected' && c.fromFn !== null && code(c) === 'ECONNREFUSED';
const passedSuccess = (ev: RunEvidence, c: CallRecord | undefined): boolean => !!c && reachedFn(ev, c) && c.kind === 'resolved' && c.fromFn !== null;

/** SYNs on a port between two times (router's clock = the harness's monotonic clock). */
const synsBetween = (ev: RunEvidence, port: keyof Ports, from: number, to: number): number[] => ev.syns[port].filter((t) => t >= from && t <= to);

/** An open-state call: rejected, fn not invoked, no SYN on its port while it was made. */
function stayedOpen(ev: RunEvidence, c: CallRecord, port: keyof Ports): string | null {
  const end = (c.tEnd ?? c.tCall + ev.cfg.settleCapMs) + 50;
  const syns = synsBetween(ev, port, c.tCall - 5, end);
  if (reachedFn(ev, c) || syns.length > 0) return `fn was invoked: ${Math.max(syns.length, fnDuring(ev, c).length)} SYN(s) crossed the router to port ${ev.cfg.ports[port]}, and ${outcome(ev, c)}`;
  if (c.kind !== 'rejected') return outcome(ev, c);
  return null;
}

function probeOf(ev: RunEvidence, name: 'probe1' | 'probe2') {
  const probe = callOf(ev, name);
  const port: keyof Ports = name === 'probe1' ? 'slowFail' : 'slowOk';
  const accepts = ev.peer.filter((e) => e.type === 'accept' && e.port === ev.cfg.ports[port]);
  const answers = ev.peer.filter((e) => (e.type === 'reply' || e.type === 'reset') && e.port === ev.cfg.ports[port]);
  return { probe, port, accepts, firstAnswer: answers[0], during: callsOf(ev, `${name}-during`) };
}


// ── Gates: a later state can be judged only once the breaker reached it as it should ──
//
// The timeline goes on whatever the breaker did, so a breaker that went wrong early reaches the later steps
// in a state nobody can predict. Each later check is judged only when the step before it went right, and
// otherwise fails pointing at that step: the same failures for the same mistake, whatever was drawn.

/** The calls made before cooldownMs had passed since the opening were rejected without a SYN. */
function earlyVerdict(ev: RunEvidence, prefix: 'open-early' | 'reopen-early', since: number | null, port: keyof Ports, what: string): Verdict {
  if (since === null) return fail(`the run never reached the point ${what}.`);
  const cd = ev.cfg.cooldownMs;
  const early = callsOf(ev, prefix).filter((c) => c.tCall - since < cd - earlySlackMs);
  if (early.length === 0) return fail(`the machine was too busy: no call could be made before cooldownMs (${ms(cd)}) had passed ${what}.`);
  for (const c of early) {
    const why = stayedOpen(ev, c, port);
    if (why) return fail(`${ms(c.tCall - since)} ${what} (cooldownMs ${ms(cd)}): ${why}.`);
  }
  return pass(`calls ${early.map((c) => ms(c.tCall - since)).join(' and ')} ${what} were rejected without a SYN`);
}
const openedWell = (ev: RunEvidence): Verdict => earlyVerdict(ev, 'open-early', ev.t0, 'open', 'after the breaker opened');
const reopenedWell = (ev: RunEvidence): Verdict => earlyVerdict(ev, 'reopen-early', ev.t1, 'open2', 'after the probe failed');
/** The first probe reached fn (the peer accepted it) and rejected. */
function probe1Went(ev: RunEvidence): string | null {
  const { probe, accepts } = probeOf(ev, 'probe1');
  if (!probe || !reachedFn(ev, probe) || accepts.length === 0 || probe.kind !== 'rejected') return `the first probe did not go as it should (${outcome(ev, probe)})`;
  return null;
}
/** The second probe reached fn and resolved with its value. */
function probe2Went(ev: RunEvidence): string | null {
  const { probe, accepts } = probeOf(ev, 'probe2');
  if (!probe || accepts.length === 0 || !passedSuccess(ev, probe)) return `the second probe did not go as it should (${outcome(ev, probe)})`;
  return null;
}
/** The first gate that does not hold, as a failure; null when every one does. */
function gate(ev: RunEvidence, upTo: 'opened' | 'probe1' | 'reopened' | 'probe2'): Verdict | null {
  const steps: Array<[string, () => string | null]> = [
    ['opened', () => (openedWell(ev).pass ? null : 'the breaker did not stay open until cooldownMs had passed (see “no call reaches fn before cooldownMs”)')],
    ['probe1', () => probe1Went(ev)],
    ['reopened', () => (reopenedWell(ev).pass ? null : 'the breaker did not stay open for a new cooldownMs after the failed probe (see “a failed probe opens the breaker again”)')],
    ['probe2', () => probe2Went(ev)],
  ];
  for (const [name, why] of steps) {
    const w = why();
    if (w) return fail(`not judged: ${w}, so this later step ran with the breaker in a state nobody can predict. Fix that first.`);
    if (name === upTo) return null;
  }
  return null;
}

// ── Checks ──────────────────────────────────────────────────────────────────

const checks = [
  kit.check({
    id: 'closed-passes-through',
    category: 'correctness',
    title: 'closed: call() passes fn’s result and fn’s error through unchanged',
    points: 2,
    needs: ['lifecycle'],
    judge(e) {
      const ev = e.evidence('lifecycle');
      const none = nothingRan(ev);
      if (none) return none;
      const oks = [...callsOf(ev, 'closed-lead'), callOf(ev, 'closed-ok-2')];
      const fails = callsOf(ev, 'closed-fail-a');
      for (const c of oks) {
        if (!passedSuccess(ev, c)) {
          return fail(
            `a healthy dependency (the peer answered at once): ${outcome(ev, c)}. While closed, call() must invoke fn and resolve with exactly the value fn resolved with.`,
          );
        }
      }
      for (const c of fails) {
        if (!passedFailure(ev, c)) {
          const wrapped = c.kind === 'rejected' && reachedFn(ev, c) && c.fromFn === null;
          return fail(
            `the router refused the connection (ECONNREFUSED) ${fails.indexOf(c) + 1} time(s) in a row, fewer than failureThreshold ${ev.cfg.failureThreshold}: ${outcome(ev, c)}. ` +
              (wrapped
                ? 'While closed, rethrow the very error fn rejected with — callers read its code (ECONNREFUSED) to decide what to do; do not wrap or replace it.'
                : 'While closed, call() invokes fn and rejects with fn’s own error.'),
          );
        }
      }
      return pass(`${oks.length} successes resolved with fn’s own value and ${fails.length} refusal(s) rejected with fn’s own ECONNREFUSED error`);
    },
  }),
  kit.check({
    id: 'opens-at-threshold',
    category: 'correctness',
    title: 'failureThreshold consecutive failures open the breaker — not one sooner, not one later',
    points: 2,
    needs: ['lifecycle'],
    judge(e) {
      const ev = e.evidence('lifecycle');
      const none = nothingRan(ev);
      if (none) return none;
      const th = ev.cfg.failureThreshold;
      const streak = callsOf(ev, 'closed-fail-b');
      const last = streak[th - 1];
      if (!passedFailure(ev, last)) {
        const reached = streak.filter((c) => reachedFn(ev, c)).length;
        return fail(
          `after a success, ${th} refused connections in a row (failureThreshold ${th}): only ${reached} of them reached fn, and the ${th}th: ${outcome(ev, last)}. ` +
            `The breaker must stay closed until the ${th}th consecutive failure, and pass that failure through; it opens after it.`,
        );
      }
      const next = callOf(ev, 'open-now1');
      if (!next) return fail('the call after the streak was never made.');
      const why = stayedOpen(ev, next, 'open');
      if (why) {
        return fail(
          `after ${th} consecutive failures (failureThreshold ${th}), the next call: ${why}. The ${th}th failure in a row must open the breaker: count consecutive failures and open when the count reaches failureThreshold.`,
        );
      }
      return pass(`${th} refusals in a row reached fn, and the next call was rejected without a SYN`);
    },
  }),
  kit.check({
    id: 'success-resets-count',
    category: 'correctness',
    title: 'a success while closed resets the failure count',
    points: 2,
    needs: ['lifecycle'],
    judge(e) {
      const ev = e.evidence('lifecycle');
      const none = nothingRan(ev);
      if (none) return none;
      const th = ev.cfg.failureThreshold;
      const ok2 = callOf(ev, 'closed-ok-2');
      if (!passedSuccess(ev, ok2)) return fail(`the success after ${th - 1} failure(s) did not go through: ${outcome(ev, ok2)}.`);
      const streak = callsOf(ev, 'closed-fail-b').slice(0, th - 1);
      const bad = streak.find((c) => !passedFailure(ev, c));
      if (bad) {
        return fail(
          `${th - 1} failure(s), a success, then failure ${streak.indexOf(bad) + 1} of a new streak: ${outcome(ev, bad)}. ` +
            `Only consecutive failures count: set the count back to zero on every success.`,
        );
      }
      return pass(`${th - 1} failure(s), a success, then ${th - 1} more failure(s) all reached fn`);
    },
  }),
  kit.check({
    id: 'open-rejects-fast',
    category: 'correctness',
    title: 'open: call() rejects at once, without invoking fn (no SYN reaches the router)',
    points: 2,
    needs: ['lifecycle'],
    judge(e) {
      const ev = e.evidence('lifecycle');
      const none = nothingRan(ev);
      if (none) return none;
      const open = callsOf(ev, 'open-now');
      if (open.length === 0) return fail('no call was made while the breaker should have been open.');
      const syns = ev.syns.open.length;
      for (const c of open) {
        const why = stayedOpen(ev, c, 'open');
        if (why) {
          return fail(
            `just after ${ev.cfg.failureThreshold} consecutive failures, call ${open.indexOf(c) + 1}: ${why}. ` +
              `An open breaker protects the dependency: reject without calling fn at all (${syns} SYN(s) in all reached port ${ev.cfg.ports.open}).`,
          );
        }
        if (c.tEnd !== null && c.tEnd - c.tCall > fastMs) {
          return fail(`while open, a call rejected only after ${ms(c.tEnd - c.tCall)}: reject at once (a failing fast is the point of the breaker), do not wait.`);
        }
      }
      const worst = Math.max(...open.map((c) => (c.tEnd ?? c.tCall) - c.tCall));
      return pass(`${open.length} calls rejected within ${ms(worst)}, no SYN reached the router`);
    },
  }),
  kit.check({
    id: 'open-error-reads-open',
    category: 'error-handling',
    title: 'open: the rejection reads as an open circuit (EOPENBREAKER, or "circuit"/"open" in its name or message)',
    points: 1,
    needs: ['lifecycle'],
    judge(e) {
      const ev = e.evidence('lifecycle');
      const none = nothingRan(ev);
      if (none) return none;
      // The rejections that are not simply fn's failure passed through by this very call.
      const open = callsOf(ev, 'open-now').filter((c) => c.kind === 'rejected' && !fnDuring(ev, c).some((f) => f.n === c.fromFn));
      if (open.length === 0) return fail(`no call was rejected while the breaker should have been open (${outcome(ev, callOf(ev, 'open-now1'))}).`);
      const bad = open.find((c) => !readsAsOpen(c.error) || c.fromFn !== null);
      if (bad) {
        return fail(
          `while open, a call rejected with ${errorSummary(bad.error)}${bad.fromFn !== null ? ' — an error fn had thrown earlier' : ''}. Callers must tell "the breaker refused" from "the dependency failed": ` +
            `reject with an error of its own, with code 'EOPENBREAKER' or a name or message that says the circuit is open.`,
        );
      }
      return pass(`rejected with ${errorSummary(open[0]!.error)}`);
    },
  }),
  kit.check({
    id: 'no-probe-before-cooldown',
    category: 'timeouts',
    title: 'no call reaches fn before cooldownMs has passed since the breaker opened',
    points: 2,
    needs: ['lifecycle'],
    judge(e) {
      const ev = e.evidence('lifecycle');
      const none = nothingRan(ev);
      if (none) return none;
      const v = openedWell(ev);
      if (v.pass) return v;
      return fail(
        `${typeof v.message === 'string' ? v.message : v.message.en} The cooldown is counted from the moment the breaker opened (not from the first failure of the streak): ` +
          `until cooldownMs has passed, reject every call without invoking fn.`,
      );
    },
  }),
  kit.check({
    id: 'probe-after-cooldown',
    category: 'timeouts',
    title: 'after cooldownMs, the next call is a probe: fn is invoked once',
    points: 2,
    needs: ['lifecycle'],
    judge(e) {
      const ev = e.evidence('lifecycle');
      const none = nothingRan(ev);
      if (none) return none;
      const g = gate(ev, 'opened');
      if (g) return g;
      const { probe, accepts } = probeOf(ev, 'probe1');
      if (!probe || ev.t0 === null) return fail('the run never reached the half-open step.');
      const after = ms(probe.tCall - ev.t0);
      if (!reachedFn(ev, probe) || accepts.length === 0) {
        return fail(
          `a call ${after} after the breaker opened (cooldownMs ${ms(ev.cfg.cooldownMs)}): ${outcome(ev, probe)}; no connection reached the peer. ` +
            `Once cooldownMs has passed since the opening, the next call must try fn once (half-open) — a breaker that never lets a probe through never recovers. ` +
            `Count the cooldown from the opening, not from the last rejected call.`,
        );
      }
      if (probe.kind !== 'rejected' || probe.fromFn === null) {
        return fail(`the probe reached the peer, which reset it after a while: ${outcome(ev, probe)}. A failed probe rejects with fn’s error.`);
      }
      return pass(`a call ${after} after the opening reached the peer, and rejected with fn’s own error (${errorSummary(probe.error)})`);
    },
  }),
  kit.check({
    id: 'one-probe-at-a-time',
    category: 'correctness',
    title: 'half-open: calls made while the probe is in flight do not reach fn before it settles',
    points: 2,
    needs: ['lifecycle'],
    judge(e) {
      const ev = e.evidence('lifecycle');
      const none = nothingRan(ev);
      if (none) return none;
      let judged = 0;
      for (const name of ['probe1', 'probe2'] as const) {
        if (gate(ev, name === 'probe1' ? 'opened' : 'reopened')) continue;
        const { probe, accepts, firstAnswer, during, port } = probeOf(ev, name);
        if (!probe || accepts.length === 0 || !firstAnswer) continue;
        judged++;
        const inFlight = accepts.filter((a) => a.t < firstAnswer.t);
        const synsInFlight = ev.syns[port].filter((t) => t < firstAnswer.t);
        if (inFlight.length > 1 || synsInFlight.length > 1) {
          return fail(
            `while the probe was in flight (the peer answered it ${ms(firstAnswer.t - accepts[0]!.t)} after accepting), ${during.length} more call(s) were made and the peer accepted ` +
              `${inFlight.length} connections in all (${synsInFlight.length} SYN(s) on the router): half-open lets exactly one call through. ` +
              `Mark the probe as in flight, and reject the others at once (or make them wait for its outcome).`,
          );
        }
        if (name === 'probe1' && accepts.length > 1) {
          return fail(`the probe failed, yet ${accepts.length - 1} more call(s) reached the peer afterwards: a failed probe opens the breaker again.`);
        }
      }
      if (judged === 0) {
        const g = gate(ev, 'opened');
        if (g) return g;
        return fail(`no probe reached the peer (${outcome(ev, callOf(ev, 'probe1'))}), so there was no half-open state to judge.`);
      }
      return pass(`during ${judged} probe(s), one connection at a time reached the peer`);
    },
  }),
  kit.check({
    id: 'failed-probe-reopens',
    category: 'timeouts',
    title: 'a failed probe opens the breaker again, for another cooldownMs',
    points: 2,
    needs: ['lifecycle'],
    judge(e) {
      const ev = e.evidence('lifecycle');
      const none = nothingRan(ev);
      if (none) return none;
      const g = gate(ev, 'probe1');
      if (g) return g;
      const v = reopenedWell(ev);
      if (v.pass) return v;
      return fail(
        `${typeof v.message === 'string' ? v.message : v.message.en} A failed probe means the dependency is still down: open again and start a new cooldownMs from that moment.`,
      );
    },
  }),
  kit.check({
    id: 'probes-again-after-new-cooldown',
    category: 'timeouts',
    title: 'after the new cooldownMs, a second probe is let through',
    points: 1,
    needs: ['lifecycle'],
    judge(e) {
      const ev = e.evidence('lifecycle');
      const none = nothingRan(ev);
      if (none) return none;
      const g = gate(ev, 'reopened');
      if (g) return g;
      const { probe, accepts } = probeOf(ev, 'probe2');
      if (!probe || ev.t1 === null) return fail('the run never reached the second half-open step.');
      if (!reachedFn(ev, probe) || accepts.length === 0 || !passedSuccess(ev, probe)) {
        return fail(
          `a call ${ms(probe.tCall - ev.t1)} after the failed probe (cooldownMs ${ms(ev.cfg.cooldownMs)}): ${outcome(ev, probe)}. ` +
            `After the new cooldown, let one call through again; when it succeeds, resolve with fn’s value.`,
        );
      }
      return pass(`a call ${ms(probe.tCall - ev.t1)} after the failed probe reached the peer and resolved with fn’s value`);
    },
  }),
  kit.check({
    id: 'probe-success-closes',
    category: 'correctness',
    title: 'a successful probe closes the breaker, counting failures from zero',
    points: 2,
    needs: ['lifecycle'],
    judge(e) {
      const ev = e.evidence('lifecycle');
      const none = nothingRan(ev);
      if (none) return none;
      const th = ev.cfg.failureThreshold;
      const g = gate(ev, 'probe2');
      if (g) return g;
      const { probe } = probeOf(ev, 'probe2');
      if (!passedSuccess(ev, probe)) return fail(`the second probe did not succeed through fn (${outcome(ev, probe)}), so the breaker had no reason to close.`);
      const after = [...callsOf(ev, 'after-fail'), callOf(ev, 'after-ok')];
      for (const [i, c] of after.entries()) {
        const ok = i === after.length - 1 ? passedSuccess(ev, c) : passedFailure(ev, c);
        if (!ok) {
          return fail(
            `after the successful probe, ${i === after.length - 1 ? `the success after ${th - 1} failure(s)` : `failure ${i + 1} of ${th - 1}`}: ${outcome(ev, c)}. ` +
              `A successful probe closes the breaker with a count of zero: the next ${th - 1} failure(s) (fewer than failureThreshold ${th}) must reach fn.`,
          );
        }
      }
      return pass(`after the successful probe, ${th - 1} failure(s) and a success all reached fn`);
    },
  }),
];

const exercise: ExerciseDef = {
  id: 'circuit-breaker',
  title: 'A circuit breaker: closed, open, half-open',
  part: 'Part 10 — Circuit breaker',
  kind: 'module',
  runner: runnerFile,
  peers: { server: peerFile },
  scenarios,
  checks,
};

export default exercise;

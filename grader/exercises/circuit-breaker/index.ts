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
import { errorSummaryText, ms, type ErrorShape } from '../../evidence.ts';
import { bootRunner, describeProcessText, eventOf, exerciseKit, fail, letExit, observe, pass, startPeer, waitUntil, type ProcessRecord } from '../../kit/index.ts';
import type { Draws } from '../../draws.ts';
import type { Localized } from '../../i18n.ts';
import { m } from './messages.ts';
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
  problem: Localized | null;
}

function describeProblem(rec: ProcessRecord): Localized | null {
  if (eventOf(rec, 'no-call-method')) return m.noCallMethod;
  const threw = eventOf(rec, 'create-threw');
  if (threw) return m.createThrew(errorSummaryText(threw.error));
  const ranThrough = eventOf(rec, 'done') && !eventOf(rec, 'missing-export') && !eventOf(rec, 'crash');
  return ranThrough ? null : (describeProcessText(rec) ?? m.runDidNotFinish);
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
  const limitMs = 15_000;
  const runner = bootRunner(ctx, { wallMs: limitMs + 5000 });
  const peer = await startPeer(ctx, 'server', { config: peerCfg, ready: 'listening' });
  const full: RunnerConfig = { ...cfg, host: lab.addresses.peers.server! };
  const proc = await runner.start(full);
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
    problem: record ? describeProblem(learner) : (describeProblem(learner) ?? m.runnerNoCalls),
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
      title: m.scLifecycle({ th, cd }),
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
function outcome(ev: RunEvidence, c: CallRecord | undefined): Localized {
  if (!c) return m.callNeverMade;
  const took = c.tEnd !== null ? m.tookAfter(ms(c.tEnd - c.tCall)) : '';
  const fn = reachedFn(ev, c) ? m.fnInvoked : m.fnNotInvoked;
  if (c.kind === 'threw') return m.outThrew({ error: errorSummaryText(c.error), fn });
  if (c.kind === 'pending') return m.outPending({ later: ms(ev.cfg.settleCapMs), fn });
  if (c.kind === 'resolved') return m.outResolved({ took, how: c.fromFn ? m.withFnValue : m.withNotFnValue, fn });
  return m.outRejected({ took, error: errorSummaryText(c.error), own: c.fromFn ? m.fnOwnError : '', fn });
}

function nothingRan(ev: RunEvidence): Verdict | null {
  if (ev.calls.length > 0 && !ev.problem) return null;
  if (ev.calls.length > 0 && ev.problem) return null;
  return fail(m.noCallRecorded(ev.problem ?? m.runDidNotStart));
}

const code = (c: CallRecord): string | undefined => (c.error as ErrorShape | undefined)?.code;

/** The closed breaker passed fn's failure through: fn was invoked, and the call rejected with its own ECONNREFUSED error. */
const passedFailure = (ev: RunEvidence, c: CallRecord | undefined): boolean =>
  !!c && reachedFn(ev, c) && c.kind === 'rejected' && c.fromFn !== null && code(c) === 'ECONNREFUSED';
const passedSuccess = (ev: RunEvidence, c: CallRecord | undefined): boolean => !!c && reachedFn(ev, c) && c.kind === 'resolved' && c.fromFn !== null;

/** SYNs on a port between two times (router's clock = the harness's monotonic clock). */
const synsBetween = (ev: RunEvidence, port: keyof Ports, from: number, to: number): number[] => ev.syns[port].filter((t) => t >= from && t <= to);

/** An open-state call: rejected, fn not invoked, no SYN on its port while it was made. */
function stayedOpen(ev: RunEvidence, c: CallRecord, port: keyof Ports): Localized | null {
  const end = (c.tEnd ?? c.tCall + ev.cfg.settleCapMs) + 50;
  const syns = synsBetween(ev, port, c.tCall - 5, end);
  if (reachedFn(ev, c) || syns.length > 0) return m.fnReached({ syns: Math.max(syns.length, fnDuring(ev, c).length), port: ev.cfg.ports[port], outcome: outcome(ev, c) });
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
function earlyVerdict(ev: RunEvidence, prefix: 'open-early' | 'reopen-early', since: number | null, port: keyof Ports, what: Localized): Verdict {
  if (since === null) return fail(m.neverReachedPoint(what));
  const cd = ev.cfg.cooldownMs;
  const early = callsOf(ev, prefix).filter((c) => c.tCall - since < cd - earlySlackMs);
  if (early.length === 0) return fail(m.tooBusy({ cd: ms(cd), what }));
  for (const c of early) {
    const why = stayedOpen(ev, c, port);
    if (why) return fail(m.earlyReached({ at: ms(c.tCall - since), what, cd: ms(cd), why }));
  }
  return pass(m.earlyOk({ times: early.map((c) => ms(c.tCall - since)), what }));
}
const openedWell = (ev: RunEvidence): Verdict => earlyVerdict(ev, 'open-early', ev.t0, 'open', m.afterOpened);
const reopenedWell = (ev: RunEvidence): Verdict => earlyVerdict(ev, 'reopen-early', ev.t1, 'open2', m.afterProbeFailed);
/** The first probe reached fn (the peer accepted it) and rejected. */
function probe1Went(ev: RunEvidence): Localized | null {
  const { probe, accepts } = probeOf(ev, 'probe1');
  if (!probe || !reachedFn(ev, probe) || accepts.length === 0 || probe.kind !== 'rejected') return m.probe1Wrong(outcome(ev, probe));
  return null;
}
/** The second probe reached fn and resolved with its value. */
function probe2Went(ev: RunEvidence): Localized | null {
  const { probe, accepts } = probeOf(ev, 'probe2');
  if (!probe || accepts.length === 0 || !passedSuccess(ev, probe)) return m.probe2Wrong(outcome(ev, probe));
  return null;
}
/** The first gate that does not hold, as a failure; null when every one does. */
function gate(ev: RunEvidence, upTo: 'opened' | 'probe1' | 'reopened' | 'probe2'): Verdict | null {
  const steps: Array<[string, () => Localized | null]> = [
    ['opened', () => (openedWell(ev).pass ? null : m.gateOpened)],
    ['probe1', () => probe1Went(ev)],
    ['reopened', () => (reopenedWell(ev).pass ? null : m.gateReopened)],
    ['probe2', () => probe2Went(ev)],
  ];
  for (const [name, why] of steps) {
    const w = why();
    if (w) return fail(m.notJudged(w));
    if (name === upTo) return null;
  }
  return null;
}

// ── Checks ──────────────────────────────────────────────────────────────────

const checks = [
  kit.check({
    id: 'closed-passes-through',
    category: 'correctness',
    title: m.tClosedPasses,
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
          return fail(m.healthyBut(outcome(ev, c)));
        }
      }
      for (const c of fails) {
        if (!passedFailure(ev, c)) {
          const wrapped = c.kind === 'rejected' && reachedFn(ev, c) && c.fromFn === null;
          const head = m.refusedHead({ n: fails.indexOf(c) + 1, th: ev.cfg.failureThreshold, outcome: outcome(ev, c) });
          return fail(wrapped ? m.rethrowSame(head) : m.passFailure(head));
        }
      }
      return pass(m.closedOk({ oks: oks.length, fails: fails.length }));
    },
  }),
  kit.check({
    id: 'opens-at-threshold',
    category: 'correctness',
    title: m.tOpensAtThreshold,
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
        return fail(m.streakNotPassed({ th, reached, outcome: outcome(ev, last) }));
      }
      const next = callOf(ev, 'open-now1');
      if (!next) return fail(m.callAfterStreakNeverMade);
      const why = stayedOpen(ev, next, 'open');
      if (why) {
        return fail(m.didNotOpen({ th, why }));
      }
      return pass(m.opensOk(th));
    },
  }),
  kit.check({
    id: 'success-resets-count',
    category: 'correctness',
    title: m.tSuccessResets,
    points: 2,
    needs: ['lifecycle'],
    judge(e) {
      const ev = e.evidence('lifecycle');
      const none = nothingRan(ev);
      if (none) return none;
      const th = ev.cfg.failureThreshold;
      const ok2 = callOf(ev, 'closed-ok-2');
      if (!passedSuccess(ev, ok2)) return fail(m.successBlocked({ n: th - 1, outcome: outcome(ev, ok2) }));
      // The whole new streak reaches fn, its last failure too (the one that opens a correct breaker): a count the
      // success did not reset reaches the threshold earlier in it — at its first failure when failureThreshold is 2.
      const streak = callsOf(ev, 'closed-fail-b').slice(0, th);
      const bad = streak.find((c) => !passedFailure(ev, c));
      if (bad) {
        return fail(m.countNotReset({ n: th - 1, i: streak.indexOf(bad) + 1, outcome: outcome(ev, bad) }));
      }
      return pass(m.resetOk({ before: th - 1, after: th }));
    },
  }),
  kit.check({
    id: 'open-rejects-fast',
    category: 'correctness',
    title: m.tOpenRejectsFast,
    points: 2,
    needs: ['lifecycle'],
    judge(e) {
      const ev = e.evidence('lifecycle');
      const none = nothingRan(ev);
      if (none) return none;
      const open = callsOf(ev, 'open-now');
      if (open.length === 0) return fail(m.noOpenCall);
      const syns = ev.syns.open.length;
      for (const c of open) {
        const why = stayedOpen(ev, c, 'open');
        if (why) {
          return fail(m.openCalledFn({ th: ev.cfg.failureThreshold, i: open.indexOf(c) + 1, why, syns, port: ev.cfg.ports.open }));
        }
        if (c.tEnd !== null && c.tEnd - c.tCall > fastMs) {
          return fail(m.openSlow(ms(c.tEnd - c.tCall)));
        }
      }
      const worst = Math.max(...open.map((c) => (c.tEnd ?? c.tCall) - c.tCall));
      return pass(m.openFastOk({ n: open.length, worst: ms(worst) }));
    },
  }),
  kit.check({
    id: 'open-error-reads-open',
    category: 'error-handling',
    title: m.tOpenErrorReadsOpen,
    points: 1,
    needs: ['lifecycle'],
    judge(e) {
      const ev = e.evidence('lifecycle');
      const none = nothingRan(ev);
      if (none) return none;
      // The rejections that are not simply fn's failure passed through by this very call.
      const open = callsOf(ev, 'open-now').filter((c) => c.kind === 'rejected' && !fnDuring(ev, c).some((f) => f.n === c.fromFn));
      if (open.length === 0) return fail(m.noOpenRejection(outcome(ev, callOf(ev, 'open-now1'))));
      const bad = open.find((c) => !readsAsOpen(c.error) || c.fromFn !== null);
      if (bad) {
        return fail(m.openErrorWrong({ error: errorSummaryText(bad.error), earlier: bad.fromFn !== null ? m.fnThrewEarlier : '' }));
      }
      return pass(m.openErrorOk(errorSummaryText(open[0]!.error)));
    },
  }),
  kit.check({
    id: 'no-probe-before-cooldown',
    category: 'timeouts',
    title: m.tNoProbeBeforeCooldown,
    points: 2,
    needs: ['lifecycle'],
    judge(e) {
      const ev = e.evidence('lifecycle');
      const none = nothingRan(ev);
      if (none) return none;
      const v = openedWell(ev);
      if (v.pass) return v;
      return fail(m.cooldownFromOpening(v.message));
    },
  }),
  kit.check({
    id: 'probe-after-cooldown',
    category: 'timeouts',
    title: m.tProbeAfterCooldown,
    points: 2,
    needs: ['lifecycle'],
    judge(e) {
      const ev = e.evidence('lifecycle');
      const none = nothingRan(ev);
      if (none) return none;
      const g = gate(ev, 'opened');
      if (g) return g;
      const { probe, accepts } = probeOf(ev, 'probe1');
      if (!probe || ev.t0 === null) return fail(m.noHalfOpen);
      const after = ms(probe.tCall - ev.t0);
      if (!reachedFn(ev, probe) || accepts.length === 0) {
        return fail(m.noProbe({ after, cd: ms(ev.cfg.cooldownMs), outcome: outcome(ev, probe) }));
      }
      if (probe.kind !== 'rejected' || probe.fromFn === null) {
        return fail(m.probeNotFnError(outcome(ev, probe)));
      }
      return pass(m.probeOk({ after, error: errorSummaryText(probe.error) }));
    },
  }),
  kit.check({
    id: 'one-probe-at-a-time',
    category: 'correctness',
    title: m.tOneProbe,
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
            m.probeCrowded({ answeredAfter: ms(firstAnswer.t - accepts[0]!.t), during: during.length, accepted: inFlight.length, syns: synsInFlight.length }),
          );
        }
        if (name === 'probe1' && accepts.length > 1) {
          return fail(m.afterFailedProbe(accepts.length - 1));
        }
      }
      if (judged === 0) {
        const g = gate(ev, 'opened');
        if (g) return g;
        return fail(m.noProbeReached(outcome(ev, callOf(ev, 'probe1'))));
      }
      return pass(m.oneAtATimeOk(judged));
    },
  }),
  kit.check({
    id: 'failed-probe-reopens',
    category: 'timeouts',
    title: m.tFailedProbeReopens,
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
      return fail(m.reopenFresh(v.message));
    },
  }),
  kit.check({
    id: 'probes-again-after-new-cooldown',
    category: 'timeouts',
    title: m.tProbesAgain,
    points: 1,
    needs: ['lifecycle'],
    judge(e) {
      const ev = e.evidence('lifecycle');
      const none = nothingRan(ev);
      if (none) return none;
      const g = gate(ev, 'reopened');
      if (g) return g;
      const { probe, accepts } = probeOf(ev, 'probe2');
      if (!probe || ev.t1 === null) return fail(m.noSecondHalfOpen);
      if (!reachedFn(ev, probe) || accepts.length === 0 || !passedSuccess(ev, probe)) {
        return fail(m.secondProbeWrong({ after: ms(probe.tCall - ev.t1), cd: ms(ev.cfg.cooldownMs), outcome: outcome(ev, probe) }));
      }
      return pass(m.secondProbeOk(ms(probe.tCall - ev.t1)));
    },
  }),
  kit.check({
    id: 'probe-success-closes',
    category: 'correctness',
    title: m.tProbeSuccessCloses,
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
      if (!passedSuccess(ev, probe)) return fail(m.probe2Failed(outcome(ev, probe)));
      const after = [...callsOf(ev, 'after-fail'), callOf(ev, 'after-ok')];
      for (const [i, c] of after.entries()) {
        const ok = i === after.length - 1 ? passedSuccess(ev, c) : passedFailure(ev, c);
        if (!ok) {
          const step = i === after.length - 1 ? m.stepSuccessAfter(th - 1) : m.stepFailure({ i: i + 1, n: th - 1 });
          return fail(m.notFromZero({ step, outcome: outcome(ev, c), n: th - 1, th }));
        }
      }
      return pass(m.closesOk(th - 1));
    },
  }),
];

const exercise: ExerciseDef = {
  id: 'circuit-breaker',
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

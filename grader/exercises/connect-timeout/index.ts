/**
 * connect-timeout (Part 10, "Timeouts at every layer"): node:net has no
 * connect timeout; the learner builds one. Graded from the router's view of
 * the SYNs and from what the promise did, under DROP and REJECT.
 */
import type { AgentEvent } from '../../../harness/process.ts';
import { synsFrom } from '../../../harness/wire.ts';
import { ms, readsAsTimeout, errorSummaryText } from '../../evidence.ts';
import { bootRunner, describeProcessText, eventOf, exerciseKit, fail, observe, pass, startPeer, type ProcessRecord } from '../../kit/index.ts';
import type { Localized } from '../../i18n.ts';
import { m } from './messages.ts';
import type { ExerciseDef, Scenario, ScenarioContext, Verdict } from '../../types.ts';
import type { Draws } from '../../draws.ts';
import type { RunnerConfig } from './runner.ts';

const peerFile = new URL('../../../harness/peers/tcp-server.ts', import.meta.url).pathname;
const runnerFile = new URL('./runner.ts', import.meta.url).pathname;

/**
 * What each run draws (grader/draws.ts), so no constant of this file can be
 * special-cased: the ports (distinct, 20000–60000), connectMs per scenario,
 * the gap before the second round trip, and the bytes of each round trip.
 */
export const ranges = {
  port: [20000, 60000],
  /** Generous: the reachable peer answers at once, and a timer of this length left behind keeps the process up. */
  reachableConnectMs: [15000, 40000],
  /** Short, so the second round trip comes after connectMs has passed. */
  shortConnectMs: [300, 700],
  /** After connectMs, before the second round trip. */
  pastConnectMs: [500, 1100],
  dropConnectMs: [900, 2600],
  rejectConnectMs: [2000, 4000],
} as const;

/** Everything one call left behind. */
export interface CallEvidence {
  connectMs: number;
  learner: ProcessRecord;
  /** The learner process stayed up this long after our runner let go (null: it did not exit). */
  lingerMs: number | null;
  learnerAddress: string;
  port: number;
  /** The round trips' bytes, as drawn. */
  payloads: string[];
  /** What the echo peer recorded (reachable scenarios): connections accepted, bytes received. */
  peerEvents: AgentEvent[];
}

interface CallPlan {
  port: number;
  connectMs: number;
  observeMs: number;
  /** An echo peer listens on the port (reachable scenarios). */
  echo?: boolean;
  pingGapsMs?: number[];
  /** The bytes of each round trip: drawn, so only a peer that received them can have echoed them. */
  payloads?: string[];
}

async function call(ctx: ScenarioContext, plan: CallPlan): Promise<CallEvidence> {
  const { lab } = ctx;
  const { port, connectMs, observeMs, pingGapsMs = [], payloads = [] } = plan;
  const runner = bootRunner(ctx, { wallMs: observeMs + 8000 });
  const peer = plan.echo ? await startPeer(ctx, 'server', { config: { port, mode: 'echo' }, ready: 'listening' }) : undefined;
  const cfg: RunnerConfig = { host: lab.addresses.peers.server!, port, connectMs, observeMs, pingGapsMs, payloads };
  const learner = await runner.start(cfg);
  const done = await learner.waitFor('done', observeMs + 6000);
  let lingerMs: number | null = null;
  if (done) {
    const exit = await learner.waitExit(lingerLimitMs);
    lingerMs = exit ? exit.t - done.t : null;
  }
  return {
    connectMs,
    // Every SYN the socket sent is on the wire before the record is taken.
    learner: await observe(lab, learner, { exitWithinMs: observeMs + 7000 }),
    lingerMs,
    learnerAddress: lab.addresses.learner,
    port,
    payloads,
    peerEvents: peer ? [...peer.events] : [],
  };
}

/** After the runner destroys its socket, a clean process exits at once; this much later counts as held open. */
const lingerLimitMs = 1500;

const lab = (faults: Scenario['lab']['faults'] = []): Scenario['lab'] => ({ peers: ['server'], faults });

type Evidence = Record<'reachable' | 'reachable-short' | 'drop-syn' | 'reject-reset' | 'reject-host-unreachable', CallEvidence>;
const kit = exerciseKit<Evidence>();

function scenarios(draws: Draws): Scenario<CallEvidence>[] {
  const [reachablePort, shortPort, dropPort, resetPort, unreachablePort] = draws.distinct('ports', 5, ...ranges.port);
  const token = (name: string): string => `${name}-${draws.int(`${name}-token`, 100000, 999999)}`;
  const reachableConnectMs = draws.int('reachable.connectMs', ...ranges.reachableConnectMs);
  const shortConnectMs = draws.int('reachable-short.connectMs', ...ranges.shortConnectMs);
  const pastMs = draws.int('reachable-short.pastConnectMs', ...ranges.pastConnectMs);
  const dropConnectMs = draws.int('drop-syn.connectMs', ...ranges.dropConnectMs);
  const resetConnectMs = draws.int('reject-reset.connectMs', ...ranges.rejectConnectMs);
  const unreachableConnectMs = draws.int('reject-host-unreachable.connectMs', ...ranges.rejectConnectMs);
  // Drawn here, not when a scenario runs: scenarios run at once, in any order, and a seed must give the same values.
  const hello = token('hello');
  const first = token('first');
  const later = token('later');
  return [
    kit.scenario({
      id: 'reachable',
      title: m.scReachable,
      lab: lab(),
      inherentWaitMs: 0,
      deadlineMs: 20_000,
      run: (ctx) => call(ctx, { port: reachablePort!, connectMs: reachableConnectMs, observeMs: 5000, echo: true, pingGapsMs: [0], payloads: [hello] }),
    }),
    kit.scenario({
      id: 'reachable-short',
      title: m.scReachableShort,
      lab: lab(),
      inherentWaitMs: shortConnectMs + pastMs,
      deadlineMs: 20_000,
      run: (ctx) =>
        call(ctx, {
          port: shortPort!,
          connectMs: shortConnectMs,
          observeMs: 5000,
          echo: true,
          // The second round trip starts after connectMs has passed since the call, whenever the connect came.
          pingGapsMs: [0, shortConnectMs + pastMs],
          payloads: [first, later],
        }),
    }),
    kit.scenario({
      id: 'drop-syn',
      title: m.scDropSyn,
      lab: lab([{ id: 'drop-syn', kind: 'drop', match: { proto: 'tcp', port: dropPort!, synOnly: true } }]),
      inherentWaitMs: dropConnectMs + 2100,
      deadlineMs: 20_000,
      run: (ctx) => call(ctx, { port: dropPort!, connectMs: dropConnectMs, observeMs: dropConnectMs + 2100 }),
    }),
    kit.scenario({
      id: 'reject-reset',
      title: m.scRejectReset,
      lab: lab([{ id: 'reject-reset', kind: 'reject-tcp-reset', match: { proto: 'tcp', port: resetPort!, synOnly: true } }]),
      inherentWaitMs: 0,
      deadlineMs: 20_000,
      run: (ctx) => call(ctx, { port: resetPort!, connectMs: resetConnectMs, observeMs: 3000 }),
    }),
    kit.scenario({
      id: 'reject-host-unreachable',
      title: m.scRejectIcmp,
      lab: lab([
        { id: 'host-unreachable', kind: 'reject-icmp', icmp: 'host-unreachable', match: { proto: 'tcp', port: unreachablePort!, synOnly: true } },
      ]),
      inherentWaitMs: 0,
      deadlineMs: 20_000,
      run: (ctx) => call(ctx, { port: unreachablePort!, connectMs: unreachableConnectMs, observeMs: 3000 }),
    }),
  ];
}

const event = (ev: CallEvidence, type: string): AgentEvent | undefined => eventOf(ev.learner, type);

/** What the call did, in a phrase, for failure messages. */
function outcome(ev: CallEvidence): Localized {
  if (event(ev, 'missing-export') || event(ev, 'crash')) return describeProcessText(ev.learner)!;
  const rej = event(ev, 'rejected');
  const start = event(ev, 'call');
  if (rej && start) return m.rejectedAfter({ elapsed: ms(rej.t - start.t), error: errorSummaryText(rej.error) });
  if (event(ev, 'resolved')) return m.resolved;
  if (event(ev, 'pending')) return m.pending;
  if (ev.learner.exit && ev.learner.exit.code !== 0) return describeProcessText(ev.learner)!;
  return m.neverSettled;
}

/**
 * What the echo peer saw of one round trip: a connection from the learner's
 * address that delivered the round trip's drawn bytes. The runner's own
 * account (echoes) can be staged by a socket that never left the process.
 */
function peerReceived(ev: CallEvidence, i: number): 'no-connection' | 'no-bytes' | 'ok' {
  const accepts = ev.peerEvents.filter((e) => e.type === 'accept' && e.remote === ev.learnerAddress);
  if (accepts.length === 0) return 'no-connection';
  const ids = new Set(accepts.map((e) => e.id));
  const text = ev.peerEvents
    .filter((e) => e.type === 'data' && ids.has(e.id))
    .map((e) => String(e.text ?? ''))
    .join('');
  return ev.payloads[i] !== undefined && text.includes(ev.payloads[i]!) ? 'ok' : 'no-bytes';
}

function peerSays(ev: CallEvidence, i: number): Localized | undefined {
  const seen = peerReceived(ev, i);
  if (seen === 'no-connection') return m.peerNoConnection(ev.port);
  if (seen === 'no-bytes') return m.peerNoBytes(JSON.stringify(ev.payloads[i]));
  return undefined;
}

function rejectedElapsed(ev: CallEvidence): number | undefined {
  const rej = event(ev, 'rejected');
  const start = event(ev, 'call');
  return rej && start ? rej.t - start.t : undefined;
}

/** Fast failures must arrive far sooner than the timeout would. */
const fastLimit = (connectMs: number) => Math.min(750, connectMs / 4);

function rejectsFastWith(ev: CallEvidence, code: string, fault: Localized): Verdict {
  const elapsed = rejectedElapsed(ev);
  const err = event(ev, 'rejected')?.error as { code?: string } | undefined;
  if (elapsed === undefined || err?.code !== code) return fail(m.notFast({ fault, outcome: outcome(ev), code }));
  if (elapsed > fastLimit(ev.connectMs)) return fail(m.slowError({ code, elapsed: ms(elapsed) }));
  return pass(m.fastOk({ elapsed: ms(elapsed), code }));
}

const checks = [
  kit.check({
    id: 'connects-and-carries-data',
    category: 'correctness',
    title: m.tConnects,
    points: 2,
    needs: ['reachable'],
    judge(e) {
      const ev = e.evidence('reachable');
      const resolved = event(ev, 'resolved');
      if (!resolved) return fail(m.reachableBut(outcome(ev)));
      if (!resolved.isSocket) return fail(m.notSocket);
      if (resolved.connecting) return fail(m.stillConnecting);
      const echoes = (event(ev, 'echoes')?.echoes as boolean[] | undefined) ?? [];
      if (!echoes[0]) return fail(m.noEcho);
      const peer = peerSays(ev, 0);
      if (peer) return fail(peer);
      return pass(m.connectsOk(ev.port));
    },
  }),
  kit.check({
    id: 'socket-outlives-connect-ms',
    category: 'correctness',
    title: m.tOutlives,
    points: 1,
    needs: ['reachable-short'],
    judge(e) {
      const ev = e.evidence('reachable-short');
      const echoes = (event(ev, 'echoes')?.echoes as boolean[] | undefined) ?? [];
      if (!event(ev, 'resolved')) return fail(m.withReachable(outcome(ev)));
      if (echoes[0] && !echoes[1]) return fail(m.diedAtConnectMs(ev.connectMs));
      if (!echoes[1]) return fail(m.noData);
      const peer = peerSays(ev, 1);
      if (peer) return fail(peer);
      return pass(m.outlivesOk(ev.connectMs));
    },
  }),
  kit.check({
    id: 'rejects-at-connect-ms',
    category: 'timeouts',
    title: m.tAtConnectMs,
    points: 2,
    needs: ['drop-syn'],
    judge(e) {
      const ev = e.evidence('drop-syn');
      const elapsed = rejectedElapsed(ev);
      const lateLimit = ev.connectMs + 500;
      if (elapsed === undefined) return fail(m.neverRejected(outcome(ev)));
      const said = { elapsed: ms(elapsed), connectMs: ev.connectMs };
      if (elapsed < ev.connectMs - 5) return fail(m.tooEarly(said));
      if (elapsed > lateLimit) return fail(m.tooLate(said));
      return pass(m.onTime(said));
    },
  }),
  kit.check({
    id: 'timeout-error-reads-as-timeout',
    category: 'timeouts',
    title: m.tReadsAsTimeout,
    points: 1,
    needs: ['drop-syn'],
    judge(e) {
      const ev = e.evidence('drop-syn');
      const rej = event(ev, 'rejected');
      if (!rej) return fail(m.noTimeoutError(outcome(ev)));
      if (!readsAsTimeout(rej.error)) return fail(m.notATimeout(errorSummaryText(rej.error)));
      return pass(m.rejectedWith(errorSummaryText(rej.error)));
    },
  }),
  kit.check({
    id: 'destroys-socket-on-timeout',
    category: 'resources',
    title: m.tDestroys,
    points: 2,
    needs: ['drop-syn'],
    judge(e) {
      const ev = e.evidence('drop-syn');
      const syns = synsFrom(ev.learner.wire, ev.learnerAddress, ev.port);
      const rej = event(ev, 'rejected');
      if (syns.length === 0) return fail(m.noSyn);
      if (!rej) return fail(m.synsButNoRejection({ syns: syns.length, outcome: outcome(ev) }));
      // A SYN already on its way when the timer fired is not the learner's fault: allow 100 ms.
      const late = syns.filter((s) => s.t > rej.t + 100);
      if (late.length > 0) {
        return fail(m.kept({ at: ms(rejectedElapsed(ev)!), late: late.length, last: ms(late[late.length - 1]!.t - rej.t) }));
      }
      return pass(m.destroyedOk(syns.length));
    },
  }),
  kit.check({
    id: 'no-timer-left-behind',
    category: 'resources',
    title: m.tNoTimer,
    points: 1,
    needs: ['reachable'],
    judge(e) {
      const ev = e.evidence('reachable');
      if (!event(ev, 'done')) return fail(m.nothingToClean(outcome(ev)));
      if (peerReceived(ev, 0) === 'no-connection') return fail(m.noRealSocket(peerSays(ev, 0)!));
      if (ev.lingerMs === null) return fail(m.lingered({ limit: ms(lingerLimitMs), connectMs: ms(ev.connectMs) }));
      return pass(m.exitedOk(ms(ev.lingerMs)));
    },
  }),
  kit.check({
    id: 'refused-fast',
    category: 'error-handling',
    title: m.tRefused,
    points: 2,
    needs: ['reject-reset'],
    judge: (e) => rejectsFastWith(e.evidence('reject-reset'), 'ECONNREFUSED', m.faultReset),
  }),
  kit.check({
    id: 'host-unreachable-fast',
    category: 'error-handling',
    title: m.tUnreachable,
    points: 1,
    needs: ['reject-host-unreachable'],
    judge: (e) => rejectsFastWith(e.evidence('reject-host-unreachable'), 'EHOSTUNREACH', m.faultIcmp),
  }),
];

const exercise: ExerciseDef = {
  id: 'connect-timeout',
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

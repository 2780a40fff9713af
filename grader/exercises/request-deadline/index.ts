/**
 * request-deadline (Part 10, "Timeouts at every layer": connect, idle, overall).
 * The learner's GET must bound each phase with its own timer. Graded from an
 * HTTP peer's own records (request received, chunks written, FIN/RST seen),
 * the router's SYN trace, and what the promise did.
 */
import type { AgentEvent } from '../../../harness/process.ts';
import { synsFrom } from '../../../harness/wire.ts';
import { errorSummaryText, ms, readsAsTimeout } from '../../evidence.ts';
import { describeProcessText, eventOf, exerciseKit, fail, observe, pass, bootRunner, startPeer, type ProcessRecord } from '../../kit/index.ts';
import type { Localized } from '../../i18n.ts';
import { m } from './messages.ts';
import type { Draws } from '../../draws.ts';
import type { ExerciseDef, Scenario, ScenarioContext, Verdict } from '../../types.ts';
import type { RunnerConfig } from './runner.ts';

const peerFile = new URL('../../../harness/peers/http-server.ts', import.meta.url).pathname;
const runnerFile = new URL('./runner.ts', import.meta.url).pathname;

/** Drawn per run (grader/draws.ts). connect ≪ idle ≪ total in every scenario. */
export const ranges = {
  port: [20000, 60000],
  /** SYNs dropped, ≤ 850: the kernel's first SYN retransmission (1 s after the call) then comes clearly after the deadline. */
  dropConnectMs: [500, 850],
  dropIdleMs: [1000, 1300],
  dropTotalMs: [2600, 3200],
  /** A reachable peer: more than one SYN retransmission, so a SYN lost by the lab cannot fail the reference. */
  connectMs: [1100, 1400],
  idleMs: [1500, 1800],
  totalMs: [3400, 3900],
  bodyChunks: [2, 4],
  /**
   * The slow-but-steady body: a chunk every idleMs / 2, four of them, so it lasts 1.5 × idleMs — an idle timer
   * that bytes do not restart fires in the middle of it, and it still ends well before totalMs.
   */
  steadyChunks: [4, 4],
} as const;

/** How late a deadline may fire on a busy machine; how soon after a rejection the peer must see the close. */
const lateMs = 400;
const dropObserveMs = 3500;
const closeWithinMs = 500;

interface CallEvidence {
  deadlines: RunnerConfig['deadlines'];
  url: string;
  path: string;
  port: number;
  status: number;
  body: string;
  learner: ProcessRecord;
  learnerAddress: string;
  peerEvents: AgentEvent[];
}

interface Plan {
  port: number;
  path: string;
  deadlines: RunnerConfig['deadlines'];
  observeMs: number;
  exitOnResolve?: boolean;
  /** No peer: the SYNs are dropped. */
  peer?: { mode: 'respond' | 'trickle' | 'silent'; status?: number; chunks?: string[]; everyMs?: number; headersAfterMs?: number };
}

async function call(ctx: ScenarioContext, plan: Plan): Promise<CallEvidence> {
  const { lab } = ctx;
  const runner = bootRunner(ctx, { wallMs: plan.observeMs + 8000 });
  const peer = await startPeer(ctx, 'server', { config: { port: plan.port, ...(plan.peer ?? { mode: 'silent' }) }, ready: 'listening' });
  const url = `http://${lab.addresses.peers.server!}:${plan.port}${plan.path}`;
  const cfg: RunnerConfig = { url, deadlines: plan.deadlines, observeMs: plan.observeMs, exitOnResolve: plan.exitOnResolve };
  const learner = await runner.start(cfg);
  const rec = await observe(lab, learner, { exitWithinMs: plan.observeMs + 6000 });
  return {
    deadlines: plan.deadlines,
    url,
    path: plan.path,
    port: plan.port,
    status: plan.peer?.status ?? 200,
    body: (plan.peer?.chunks ?? []).join(''),
    learner: rec,
    learnerAddress: lab.addresses.learner,
    peerEvents: [...peer.events],
  };
}

type Evidence = Record<'ok' | 'not-found' | 'steady' | 'drop-syn' | 'silent' | 'trickle', CallEvidence>;
const kit = exerciseKit<Evidence>();

function scenarios(draws: Draws): Scenario<CallEvidence>[] {
  const ports = draws.distinct('ports', 6, ...ranges.port);
  const ids = ['ok', 'not-found', 'steady', 'drop-syn', 'silent', 'trickle'] as const;
  const d = Object.fromEntries(
    ids.map((id) => [
      id,
      id === 'drop-syn'
        ? {
            connectMs: draws.int(`${id}.connectMs`, ...ranges.dropConnectMs),
            idleMs: draws.int(`${id}.idleMs`, ...ranges.dropIdleMs),
            totalMs: draws.int(`${id}.totalMs`, ...ranges.dropTotalMs),
          }
        : {
            connectMs: draws.int(`${id}.connectMs`, ...ranges.connectMs),
            idleMs: draws.int(`${id}.idleMs`, ...ranges.idleMs),
            totalMs: draws.int(`${id}.totalMs`, ...ranges.totalMs),
          },
    ]),
  ) as Record<(typeof ids)[number], RunnerConfig['deadlines']>;
  // Paths and bodies are neutral tokens: nothing the learner's code reads names the scenario it is in.
  const token = (key: string) => draws.int(key, 36 ** 5, 36 ** 6 - 1).toString(36);
  const path = (id: string) => `/${token(`${id}.path`)}`;
  const body = (id: string, chunks: readonly [number, number] = ranges.bodyChunks) => {
    const n = draws.int(`${id}.chunks`, ...chunks);
    return Array.from({ length: n }, (_, i) => `${token(`${id}.chunk${i}`)}:${i}:`.repeat(draws.int(`${id}.rep${i}`, 1, 40)) + '\n');
  };
  const paths = Object.fromEntries(ids.map((id) => [id, path(id)])) as Record<(typeof ids)[number], string>;
  const okBody = body('ok');
  const nfBody = body('not-found');
  const steadyBody = body('steady', ranges.steadyChunks);
  const steadyEvery = Math.floor(d.steady.idleMs / 2);
  const trickleHeadersAfter = Math.floor(d.trickle.idleMs * 0.6);
  const trickleObserveMs = d.trickle.totalMs + trickleHeadersAfter + 1200;
  const silentObserveMs = d.silent.connectMs + d.silent.idleMs + 1200;
  const lab: Scenario['lab'] = { peers: ['server'] };
  const sc = (id: (typeof ids)[number], title: Localized, wait: number, plan: Omit<Plan, 'port' | 'path' | 'deadlines'>, extra: Partial<Scenario> = {}) =>
    kit.scenario({
      id,
      title,
      lab,
      inherentWaitMs: wait,
      deadlineMs: 25_000,
      ...extra,
      run: (ctx) => call(ctx, { port: ports[ids.indexOf(id)]!, path: paths[id], deadlines: d[id], ...plan }),
    } as Scenario<CallEvidence> & { id: typeof id });
  return [
    sc('ok', m.scOk, 0, {
      observeMs: 6000,
      exitOnResolve: true,
      peer: { mode: 'respond', status: 200, chunks: okBody, everyMs: 60 },
    }),
    sc('not-found', m.scNotFound, 0, {
      observeMs: 6000,
      exitOnResolve: true,
      peer: { mode: 'respond', status: 404, chunks: nfBody, everyMs: 60 },
    }),
    sc('steady', m.scSteady, steadyEvery * (steadyBody.length - 1), {
      observeMs: d.steady.totalMs + 2000,
      exitOnResolve: true,
      peer: { mode: 'respond', status: 200, chunks: steadyBody, everyMs: steadyEvery },
    }),
    {
      // Watched past the kernel's second SYN retransmission (about 3 s after the call): a connect left running shows there.
      ...sc('drop-syn', m.scDropSyn, dropObserveMs, { observeMs: dropObserveMs }),
      lab: { peers: ['server'], faults: [{ id: 'drop-syn', kind: 'drop', match: { proto: 'tcp', port: ports[3]!, synOnly: true } }] },
    },
    // Watched long enough that a late rejection (one timer for connect + first byte) is still seen, and its close with it.
    sc('silent', m.scSilent, silentObserveMs, { observeMs: silentObserveMs, peer: { mode: 'silent' } }),
    // Watched past totalMs counted from the headers, so a deadline started at the response is seen late, not pending.
    sc('trickle', m.scTrickle, trickleObserveMs, {
      observeMs: trickleObserveMs,
      peer: { mode: 'trickle', status: 200, everyMs: Math.floor(d.trickle.idleMs / 2), headersAfterMs: trickleHeadersAfter },
    }),
  ];
}

const event = (ev: CallEvidence, type: string): AgentEvent | undefined => eventOf(ev.learner, type);
const peerEvent = (ev: CallEvidence, type: string): AgentEvent | undefined => ev.peerEvents.find((e) => e.type === type);

function elapsed(ev: CallEvidence): number | undefined {
  const rej = event(ev, 'rejected');
  const start = event(ev, 'call');
  return rej && start ? rej.t - start.t : undefined;
}

/** What the call did, in a phrase. */
function outcome(ev: CallEvidence): Localized {
  if (event(ev, 'missing-export') || event(ev, 'crash')) return describeProcessText(ev.learner)!;
  const rej = event(ev, 'rejected');
  if (rej) return m.rejectedAfter({ elapsed: ms(elapsed(ev)!), error: errorSummaryText(rej.error) });
  const res = event(ev, 'resolved');
  if (res) return m.resolved({ status: String(res.status), body: res.body === null ? m.noStringBody : m.bodyOf(String(res.body).length) });
  if (event(ev, 'pending')) return m.pending;
  return describeProcessText(ev.learner) ?? m.neverSettled;
}

/** The peer saw our GET for the drawn path from the learner host. */
function peerGotRequest(ev: CallEvidence): Localized | undefined {
  const req = peerEvent(ev, 'request');
  if (!peerEvent(ev, 'accept')) return m.peerNoConnection({ port: ev.port, outcome: outcome(ev) });
  if (!req) return m.peerNoRequestHead;
  if (req.method !== 'GET' || req.path !== ev.path) {
    return m.peerWrongRequest({ method: String(req.method), path: String(req.path), expected: ev.path });
  }
  return undefined;
}

function resolvesWhole(ev: CallEvidence, what: Localized): Verdict {
  const res = event(ev, 'resolved');
  if (!res) {
    return fail(m.notResolved({ what, status: ev.status, outcome: outcome(ev) }));
  }
  const wrongRequest = peerGotRequest(ev);
  if (wrongRequest) return fail(wrongRequest);
  if (res.status !== ev.status) return fail(m.wrongStatus({ what, status: ev.status, got: String(res.status) }));
  if (res.body !== ev.body) {
    const got = typeof res.body === 'string' ? m.gotChars(res.body.length) : m.noStringBody;
    return fail(m.wrongBody({ what, length: ev.body.length, chunks: ev.peerEvents.filter((e) => e.type === 'chunk').length, got }));
  }
  return pass(m.wholeOk({ what, status: ev.status, length: ev.body.length }));
}

/** The peer's first sign that the connection closed: the client's FIN, its RST, or the close. */
function peerSawClose(ev: CallEvidence): AgentEvent | undefined {
  return ev.peerEvents.find((e) => e.type === 'end' || e.type === 'error' || e.type === 'close');
}

function closedAfterRejection(ev: CallEvidence, phase: Localized): Verdict {
  const rej = event(ev, 'rejected');
  if (!rej) return fail(m.noRejectionToClose({ phase, outcome: outcome(ev) }));
  if (!peerEvent(ev, 'accept')) return fail(m.noConnectionToClose(outcome(ev)));
  const closed = peerSawClose(ev);
  if (!closed || closed.t > rej.t + closeWithinMs) {
    const seen = closed ? m.closedOnlyAfter(ms(closed.t - rej.t)) : m.closedNotAtAll;
    return fail(m.stayedOpen({ phase, seen }));
  }
  const how = closed.type === 'end' ? m.howFin : closed.type === 'error' ? m.howReset(String(closed.code)) : m.howClose;
  return pass(m.closedOk({ how, after: ms(Math.max(0, closed.t - rej.t)) }));
}

const checks = [
  kit.check({
    id: 'resolves-status-and-body',
    category: 'correctness',
    title: m.tResolves,
    points: 2,
    needs: ['ok'],
    judge: (e) => resolvesWhole(e.evidence('ok'), m.what200),
  }),
  kit.check({
    id: 'resolves-404',
    category: 'correctness',
    title: m.tResolves404,
    points: 1,
    needs: ['not-found'],
    judge: (e) => resolvesWhole(e.evidence('not-found'), m.what404),
  }),
  kit.check({
    id: 'slow-steady-resolves',
    category: 'correctness',
    title: m.tSteady,
    points: 2,
    needs: ['steady'],
    judge(e) {
      const ev = e.evidence('steady');
      const v = resolvesWhole(ev, m.whatSteady({ every: ms(Math.floor(ev.deadlines.idleMs / 2)), idleMs: ms(ev.deadlines.idleMs), totalMs: ms(ev.deadlines.totalMs) }));
      if (v.pass || !event(ev, 'rejected')) return v;
      return fail(m.steadyRejected(v.message));
    },
  }),
  kit.check({
    id: 'connect-deadline',
    category: 'timeouts',
    title: m.tConnect,
    points: 2,
    needs: ['drop-syn'],
    judge(e) {
      const ev = e.evidence('drop-syn');
      const t = elapsed(ev);
      const { connectMs } = ev.deadlines;
      if (t === undefined) {
        return fail(m.connectNeverRejected(outcome(ev)));
      }
      if (t < connectMs - 5) return fail(m.connectTooEarly({ elapsed: ms(t), connectMs: ms(connectMs) }));
      if (t > connectMs + lateMs) {
        return fail(m.connectTooLate({ elapsed: ms(t), connectMs: ms(connectMs), idleMs: ms(ev.deadlines.idleMs), totalMs: ms(ev.deadlines.totalMs) }));
      }
      return pass(m.connectOk({ elapsed: ms(t), connectMs: ms(connectMs) }));
    },
  }),
  kit.check({
    id: 'idle-deadline',
    category: 'timeouts',
    title: m.tIdle,
    points: 2,
    needs: ['silent'],
    judge(e) {
      const ev = e.evidence('silent');
      const req = peerEvent(ev, 'request');
      const rej = event(ev, 'rejected');
      const { idleMs } = ev.deadlines;
      if (!req) return fail(peerGotRequest(ev) ?? m.peerNeverReceived);
      if (!rej) return fail(m.idleNeverRejected(outcome(ev)));
      const t = rej.t - req.t;
      if (t < idleMs - 50) return fail(m.idleTooEarly({ elapsed: ms(t), idleMs: ms(idleMs) }));
      if (t > idleMs + lateMs) {
        return fail(m.idleTooLate({ elapsed: ms(t), idleMs: ms(idleMs), totalMs: ms(ev.deadlines.totalMs) }));
      }
      return pass(m.idleOk({ elapsed: ms(t), idleMs: ms(idleMs) }));
    },
  }),
  kit.check({
    id: 'total-deadline',
    category: 'timeouts',
    title: m.tTotal,
    points: 2,
    needs: ['trickle'],
    judge(e) {
      const ev = e.evidence('trickle');
      const t = elapsed(ev);
      const { totalMs, idleMs } = ev.deadlines;
      const bytes = ev.peerEvents.filter((x) => x.type === 'chunk').length;
      if (t === undefined) {
        return fail(m.totalNeverRejected({ bytes, every: ms(Math.floor(idleMs / 2)), outcome: outcome(ev) }));
      }
      if (t < totalMs - 5) return fail(m.totalTooEarly({ elapsed: ms(t), totalMs: ms(totalMs) }));
      if (t > totalMs + lateMs) {
        return fail(m.totalTooLate({ elapsed: ms(t), totalMs: ms(totalMs), headersAfter: ms(Math.floor(idleMs * 0.6)) }));
      }
      return pass(m.totalOk({ elapsed: ms(t), totalMs: ms(totalMs), bytes }));
    },
  }),
  kit.check({
    id: 'timeouts-read-as-timeouts',
    category: 'timeouts',
    title: m.tReadsAsTimeout,
    points: 1,
    needs: ['drop-syn', 'silent', 'trickle'],
    judge(e) {
      const seen: string[] = [];
      for (const id of ['drop-syn', 'silent', 'trickle'] as const) {
        const rej = event(e.evidence(id), 'rejected');
        if (!rej) continue;
        if (!readsAsTimeout(rej.error)) {
          return fail(m.notATimeout({ scenario: id, error: errorSummaryText(rej.error) }));
        }
        seen.push(id);
      }
      if (seen.length === 0) return fail(m.noDeadlineRejected);
      return pass(m.readAsTimeouts(seen.join(', ')));
    },
  }),
  kit.check({
    id: 'no-syn-after-connect-deadline',
    category: 'resources',
    title: m.tNoSyn,
    points: 2,
    needs: ['drop-syn'],
    judge(e) {
      const ev = e.evidence('drop-syn');
      const syns = synsFrom(ev.learner.wire, ev.learnerAddress, ev.port);
      const rej = event(ev, 'rejected');
      if (syns.length === 0) return fail(m.noSyn);
      if (!rej) return fail(m.synsButNoRejection({ syns: syns.length, outcome: outcome(ev) }));
      const late = syns.filter((s) => s.t > rej.t + 100);
      if (late.length > 0) {
        return fail(m.kept({ late: late.length, last: ms(late[late.length - 1]!.t - rej.t) }));
      }
      return pass(m.destroyedOk(syns.length));
    },
  }),
  kit.check({
    id: 'closes-after-idle-timeout',
    category: 'resources',
    title: m.tClosesIdle,
    points: 1,
    needs: ['silent'],
    judge: (e) => closedAfterRejection(e.evidence('silent'), m.phaseSilent),
  }),
  kit.check({
    id: 'closes-after-total-deadline',
    category: 'resources',
    title: m.tClosesTotal,
    points: 1,
    needs: ['trickle'],
    judge: (e) => closedAfterRejection(e.evidence('trickle'), m.phaseTrickle),
  }),
];

const exercise: ExerciseDef = {
  id: 'request-deadline',
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

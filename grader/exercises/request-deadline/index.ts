/**
 * request-deadline (Part 10, "Timeouts at every layer": connect, idle, overall).
 * The learner's GET must bound each phase with its own timer. Graded from an
 * HTTP peer's own records (request received, chunks written, FIN/RST seen),
 * the router's SYN trace, and what the promise did.
 */
import type { AgentEvent } from '../../../harness/process.ts';
import { synsFrom } from '../../../harness/wire.ts';
import { errorSummary, ms, readsAsTimeout } from '../../evidence.ts';
import { describeProcess, eventOf, exerciseKit, fail, observe, pass, runProgram, startPeer, type ProcessRecord } from '../../kit/index.ts';
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
  const peer = await startPeer(ctx, 'server', { config: { port: plan.port, ...(plan.peer ?? { mode: 'silent' }) }, ready: 'listening' });
  const url = `http://${lab.addresses.peers.server!}:${plan.port}${plan.path}`;
  const cfg: RunnerConfig = { url, deadlines: plan.deadlines, observeMs: plan.observeMs, exitOnResolve: plan.exitOnResolve };
  const learner = await runProgram(ctx, { config: cfg }, { wallMs: plan.observeMs + 8000 });
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
  const path = (id: string) => `/${id}-${draws.int(`${id}.path`, 1000, 999999)}`;
  const body = (id: string) => {
    const n = draws.int(`${id}.chunks`, ...ranges.bodyChunks);
    return Array.from({ length: n }, (_, i) => `${id}:${i}:${draws.int(`${id}.chunk${i}`, 100000, 999999)}`.repeat(draws.int(`${id}.rep${i}`, 1, 40)) + '\n');
  };
  const paths = Object.fromEntries(ids.map((id) => [id, path(id)])) as Record<(typeof ids)[number], string>;
  const okBody = body('ok');
  const nfBody = body('not-found');
  const steadyBody = body('steady');
  const steadyEvery = Math.floor(d.steady.idleMs / 2);
  const trickleHeadersAfter = Math.floor(d.trickle.idleMs * 0.6);
  const trickleObserveMs = d.trickle.totalMs + trickleHeadersAfter + 1200;
  const silentObserveMs = d.silent.connectMs + d.silent.idleMs + 1200;
  const lab: Scenario['lab'] = { peers: ['server'] };
  const sc = (id: (typeof ids)[number], title: string, wait: number, plan: Omit<Plan, 'port' | 'path' | 'deadlines'>, extra: Partial<Scenario> = {}) =>
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
    sc('ok', 'a complete 200 response, body in a few chunks', 0, {
      observeMs: 6000,
      exitOnResolve: true,
      peer: { mode: 'respond', status: 200, chunks: okBody, everyMs: 60 },
    }),
    sc('not-found', 'a complete 404 response', 0, {
      observeMs: 6000,
      exitOnResolve: true,
      peer: { mode: 'respond', status: 404, chunks: nfBody, everyMs: 60 },
    }),
    sc('steady', 'a slow but steady response: a chunk every idleMs / 2', steadyEvery * (steadyBody.length - 1), {
      observeMs: d.steady.totalMs + 2000,
      exitOnResolve: true,
      peer: { mode: 'respond', status: 200, chunks: steadyBody, everyMs: steadyEvery },
    }),
    {
      // Watched past the kernel's second SYN retransmission (about 3 s after the call): a connect left running shows there.
      ...sc('drop-syn', 'SYNs silently dropped by a firewall', dropObserveMs, { observeMs: dropObserveMs }),
      lab: { peers: ['server'], faults: [{ id: 'drop-syn', kind: 'drop', match: { proto: 'tcp', port: ports[3]!, synOnly: true } }] },
    },
    // Watched long enough that a late rejection (one timer for connect + first byte) is still seen, and its close with it.
    sc('silent', 'connected, the request is read, no byte of response', silentObserveMs, { observeMs: silentObserveMs, peer: { mode: 'silent' } }),
    // Watched past totalMs counted from the headers, so a deadline started at the response is seen late, not pending.
    sc('trickle', 'headers, then one body byte every idleMs / 2, forever', trickleObserveMs, {
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
function outcome(ev: CallEvidence): string {
  if (event(ev, 'missing-export') || event(ev, 'crash')) return describeProcess(ev.learner)!;
  const rej = event(ev, 'rejected');
  if (rej) return `the promise rejected after ${ms(elapsed(ev)!)} with ${errorSummary(rej.error)}`;
  const res = event(ev, 'resolved');
  if (res) return `the promise resolved (status ${String(res.status)}, ${res.body === null ? 'no string body' : `${String(res.body).length}-character body`})`;
  if (event(ev, 'pending')) return 'the promise was still pending when we stopped watching';
  return describeProcess(ev.learner) ?? 'the call never settled';
}

/** The peer saw our GET for the drawn path from the learner host. */
function peerGotRequest(ev: CallEvidence): string | undefined {
  const req = peerEvent(ev, 'request');
  if (!peerEvent(ev, 'accept')) return `the HTTP peer at port ${ev.port} saw no connection from your host (${outcome(ev)}): send the request to the URL you were given.`;
  if (!req) return 'the HTTP peer accepted your connection but no complete request head arrived: send "GET <path> HTTP/1.1" and the headers, ending with an empty line.';
  if (req.method !== 'GET' || req.path !== ev.path) {
    return `the HTTP peer received "${String(req.method)} ${String(req.path)}", not "GET ${ev.path}": request the URL's path with GET.`;
  }
  return undefined;
}

function resolvesWhole(ev: CallEvidence, what: string): Verdict {
  const res = event(ev, 'resolved');
  if (!res) {
    return fail(
      `${what}: the peer sent a complete ${ev.status} response and ${outcome(ev)}. A complete response is a success whatever its status: ` +
        `resolve with its status and body.`,
    );
  }
  const wrongRequest = peerGotRequest(ev);
  if (wrongRequest) return fail(wrongRequest);
  if (res.status !== ev.status) return fail(`${what}: the peer answered ${ev.status}, the promise resolved with status ${String(res.status)}.`);
  if (res.body !== ev.body) {
    const got = typeof res.body === 'string' ? `${res.body.length} characters` : 'no string body';
    return fail(
      `${what}: the peer wrote a ${ev.body.length}-character body in ${ev.peerEvents.filter((e) => e.type === 'chunk').length} chunks, the promise resolved with ${got}. ` +
        `Collect every 'data' chunk and resolve on the response's 'end', not before.`,
    );
  }
  return pass(`${what}: resolved status ${ev.status} and the whole ${ev.body.length}-character body`);
}

/** The peer's first sign that the connection closed: the client's FIN, its RST, or the close. */
function peerSawClose(ev: CallEvidence): AgentEvent | undefined {
  return ev.peerEvents.find((e) => e.type === 'end' || e.type === 'error' || e.type === 'close');
}

function closedAfterRejection(ev: CallEvidence, phase: string): Verdict {
  const rej = event(ev, 'rejected');
  if (!rej) return fail(`${phase}, ${outcome(ev)}, so there was no rejection after which to close the connection.`);
  if (!peerEvent(ev, 'accept')) return fail(`the peer saw no connection from your host (${outcome(ev)}), so none was closed.`);
  const closed = peerSawClose(ev);
  if (!closed || closed.t > rej.t + closeWithinMs) {
    const seen = closed ? `only ${ms(closed.t - rej.t)} after it` : 'not at all while we watched';
    return fail(
      `${phase}, the promise rejected, but the peer saw your FIN or RST ${seen}: the connection stayed open (and kept the peer's response coming). ` +
        `When a deadline fires, destroy the request (req.destroy(err)) so its socket is closed, not just reject.`,
    );
  }
  const how = closed.type === 'end' ? 'a FIN' : closed.type === 'error' ? `a reset (${String(closed.code)})` : 'the close';
  return pass(`the peer saw ${how} ${ms(Math.max(0, closed.t - rej.t))} after the rejection`);
}

const checks = [
  kit.check({
    id: 'resolves-status-and-body',
    category: 'correctness',
    title: 'resolves the status and the whole body of a complete response',
    points: 2,
    needs: ['ok'],
    judge: (e) => resolvesWhole(e.evidence('ok'), '200 in chunks'),
  }),
  kit.check({
    id: 'resolves-404',
    category: 'correctness',
    title: 'a 404 is a complete response: it resolves',
    points: 1,
    needs: ['not-found'],
    judge: (e) => resolvesWhole(e.evidence('not-found'), '404'),
  }),
  kit.check({
    id: 'slow-steady-resolves',
    category: 'correctness',
    title: 'a slow but steady response, complete before totalMs, resolves',
    points: 2,
    needs: ['steady'],
    judge(e) {
      const ev = e.evidence('steady');
      const v = resolvesWhole(ev, `a chunk every ${ms(Math.floor(ev.deadlines.idleMs / 2))} (idleMs ${ms(ev.deadlines.idleMs)}, totalMs ${ms(ev.deadlines.totalMs)})`);
      if (v.pass || !event(ev, 'rejected')) return v;
      return fail(
        `${v.message} Each chunk came within idleMs of the last and the whole response within totalMs: the idle timer must restart on every ` +
          `chunk, and the overall deadline is totalMs, not idleMs.`,
      );
    },
  }),
  kit.check({
    id: 'connect-deadline',
    category: 'timeouts',
    title: 'SYNs dropped: rejects when connectMs has passed since the call',
    points: 2,
    needs: ['drop-syn'],
    judge(e) {
      const ev = e.evidence('drop-syn');
      const t = elapsed(ev);
      const { connectMs } = ev.deadlines;
      if (t === undefined) {
        return fail(`the firewall dropped every SYN and ${outcome(ev)}. Bound the connect phase: a timer of connectMs from the call, cleared when the socket connects.`);
      }
      if (t < connectMs - 5) return fail(`rejected after ${ms(t)}, before connectMs (${ms(connectMs)}) had passed: give the handshake the whole connectMs.`);
      if (t > connectMs + lateMs) {
        return fail(
          `rejected after ${ms(t)}, long after connectMs (${ms(connectMs)}; idleMs ${ms(ev.deadlines.idleMs)}, totalMs ${ms(ev.deadlines.totalMs)}): ` +
            `the connect phase needs its own timer of connectMs, started at the call.`,
        );
      }
      return pass(`rejected after ${ms(t)} (connectMs ${ms(connectMs)})`);
    },
  }),
  kit.check({
    id: 'idle-deadline',
    category: 'timeouts',
    title: 'no byte of response: rejects idleMs after the request was sent',
    points: 2,
    needs: ['silent'],
    judge(e) {
      const ev = e.evidence('silent');
      const req = peerEvent(ev, 'request');
      const rej = event(ev, 'rejected');
      const { idleMs } = ev.deadlines;
      if (!req) return fail(peerGotRequest(ev) ?? 'the peer never received the request.');
      if (!rej) return fail(`the peer read your request and answered nothing; ${outcome(ev)}. Put an idle timer of idleMs on the socket once the request is sent.`);
      const t = rej.t - req.t;
      if (t < idleMs - 50) return fail(`rejected ${ms(t)} after the peer received the request, before idleMs (${ms(idleMs)}) of silence.`);
      if (t > idleMs + lateMs) {
        return fail(
          `rejected ${ms(t)} after the peer received the request, long after idleMs (${ms(idleMs)}; totalMs ${ms(ev.deadlines.totalMs)}): ` +
            `a silent server must be given up after idleMs of silence, e.g. with req.setTimeout(idleMs).`,
        );
      }
      return pass(`rejected ${ms(t)} after the peer received the request (idleMs ${ms(idleMs)})`);
    },
  }),
  kit.check({
    id: 'total-deadline',
    category: 'timeouts',
    title: 'a body that trickles forever: rejects totalMs after the call',
    points: 2,
    needs: ['trickle'],
    judge(e) {
      const ev = e.evidence('trickle');
      const t = elapsed(ev);
      const { totalMs, idleMs } = ev.deadlines;
      const bytes = ev.peerEvents.filter((x) => x.type === 'chunk').length;
      if (t === undefined) {
        return fail(
          `the peer sent headers, then ${bytes} body byte(s), one every ${ms(Math.floor(idleMs / 2))}, and ${outcome(ev)}. An idle timer never fires ` +
            `on a trickle: add an overall deadline of totalMs, started at the call.`,
        );
      }
      if (t < totalMs - 5) return fail(`rejected after ${ms(t)}, before totalMs (${ms(totalMs)}): the data kept coming, so only the overall deadline may end it.`);
      if (t > totalMs + lateMs) {
        return fail(
          `rejected after ${ms(t)}, past totalMs (${ms(totalMs)}); the headers came ${ms(Math.floor(idleMs * 0.6))} after the request. ` +
            `Start the overall timer at the call, not when the response begins.`,
        );
      }
      return pass(`rejected after ${ms(t)} (totalMs ${ms(totalMs)}), after ${bytes} trickled byte(s)`);
    },
  }),
  kit.check({
    id: 'timeouts-read-as-timeouts',
    category: 'timeouts',
    title: 'every deadline rejects with an error that reads as a timeout',
    points: 1,
    needs: ['drop-syn', 'silent', 'trickle'],
    judge(e) {
      const seen: string[] = [];
      for (const id of ['drop-syn', 'silent', 'trickle'] as const) {
        const rej = event(e.evidence(id), 'rejected');
        if (!rej) continue;
        if (!readsAsTimeout(rej.error)) {
          return fail(
            `${id}: the rejection was ${errorSummary(rej.error)}. Callers tell a timeout from a refusal by the error: give it code 'ETIMEDOUT', ` +
              `name 'TimeoutError' or a message that says "timeout".`,
          );
        }
        seen.push(id);
      }
      if (seen.length === 0) return fail('none of the three deadlines rejected, so there was no timeout error to read.');
      return pass(`read as timeouts: ${seen.join(', ')}`);
    },
  }),
  kit.check({
    id: 'no-syn-after-connect-deadline',
    category: 'resources',
    title: 'after the connect deadline, no more SYNs leave the learner host',
    points: 2,
    needs: ['drop-syn'],
    judge(e) {
      const ev = e.evidence('drop-syn');
      const syns = synsFrom(ev.learner.wire, ev.learnerAddress, ev.port);
      const rej = event(ev, 'rejected');
      if (syns.length === 0) return fail('no SYN crossed the router: getWithDeadlines never opened a connection to the URL.');
      if (!rej) return fail(`${syns.length} SYN(s) crossed the router and ${outcome(ev)}.`);
      const late = syns.filter((s) => s.t > rej.t + 100);
      if (late.length > 0) {
        return fail(
          `after rejecting, your socket kept connecting: ${late.length} more SYN(s) crossed the router (the last ${ms(late[late.length - 1]!.t - rej.t)} after the rejection). ` +
            `Destroy the request when the connect deadline fires — and note that aborting a fetch does not stop a connect in progress.`,
        );
      }
      return pass(`${syns.length} SYN(s) before the rejection, none after`);
    },
  }),
  kit.check({
    id: 'closes-after-idle-timeout',
    category: 'resources',
    title: 'after the idle timeout, the peer sees the connection closed',
    points: 1,
    needs: ['silent'],
    judge: (e) => closedAfterRejection(e.evidence('silent'), 'with a silent server'),
  }),
  kit.check({
    id: 'closes-after-total-deadline',
    category: 'resources',
    title: 'after the overall deadline, the peer sees the connection closed',
    points: 1,
    needs: ['trickle'],
    judge: (e) => closedAfterRejection(e.evidence('trickle'), 'with a body trickling forever'),
  }),
];

const exercise: ExerciseDef = {
  id: 'request-deadline',
  title: 'A GET with connect, idle and overall deadlines',
  part: 'Part 10 — Timeouts at every layer',
  kind: 'module',
  runner: runnerFile,
  peers: { server: peerFile },
  scenarios,
  checks,
};

export default exercise;

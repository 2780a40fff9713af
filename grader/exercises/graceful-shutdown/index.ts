/**
 * graceful-shutdown (Part 9, "Graceful shutdown"): the learner's HTTP server
 * runs as a process; we signal it mid-work and judge the drain from what a
 * peer client saw (responses, Connection headers, closes, refusals), what
 * crossed the router (the SYN answered by RST) and how and when the process
 * exited. The learner's own prints are never read.
 */
import type { AgentEvent } from '../../../harness/process.ts';
import { synsFrom } from '../../../harness/wire.ts';
import { firstErrorLine, ms } from '../../evidence.ts';
import type { ExerciseDef, Verdict } from '../../types.ts';
import { fail, pass } from '../../kit/index.ts';
import {
  clientPeerFile,
  defaultShutdownTimeoutMs,
  kit,
  scenarios,
  type DeadlinePlan,
  type RunEvidence,
} from './scenarios.ts';

/**
 * How long after the last response the process may take to exit: the course
 * polls every 100 ms; the rest is room for a loaded machine.
 */
export const exitAfterDrainMs = 1000;
/** An idle keep-alive connection must be closed this soon after the signal… */
export const idleCloseMs = 500;
/**
 * Proof that the process still ran after a moment, when no response came
 * later: it exited this much later by the grader's clock (whose notice of an
 * exit can lag the peer's view on a loaded machine, hence the margin).
 */
export const aliveMarginMs = 1000;
/** The forced exit: no earlier than SHUTDOWN_TIMEOUT_MS − 50 ms, no later than + 800 ms. */
export const forcedEarlyMs = 50;
export const forcedLateMs = 800;

const ofConn = (ev: RunEvidence, id: string, type: string): AgentEvent[] => ev.client.filter((e) => e.type === type && e.id === id);
const firstOf = (ev: RunEvidence, id: string, type: string): AgentEvent | undefined => ofConn(ev, id, type)[0];
const response = (ev: RunEvidence, id: string, seq: number): AgentEvent | undefined =>
  ofConn(ev, id, 'response').find((r) => r.seq === seq);
const bodyIs = (r: AgentEvent | undefined, text: string): boolean => typeof r?.body === 'string' && r.body.trim() === text;
const says = (r: AgentEvent | undefined): string =>
  r ? `${r.status} ${JSON.stringify(typeof r.body === 'string' ? r.body.trim().slice(0, 40) : '')}` : 'nothing';
const closing = (r: AgentEvent | undefined): boolean => typeof r?.connection === 'string' && /\bclose\b/.test(r.connection);

/** When the server ended connection `id`: the first FIN, reset or close the peer saw. */
function closedAt(ev: RunEvidence, id: string): number | undefined {
  const ts = ev.client.filter((e) => e.id === id && (e.type === 'fin' || e.type === 'closed' || e.type === 'sock-error')).map((e) => e.t);
  return ts.length ? Math.min(...ts) : undefined;
}

/** How the process ended, in a phrase ("after the signal" times are relative to it). */
function exitPhrase(ev: RunEvidence): string {
  if (!ev.learner.exit) return 'was still running when we stopped watching';
  const when = ev.signalAt !== null ? ` ${ms(ev.learner.exit.t - ev.signalAt)} after ${ev.signal}` : '';
  if (ev.learner.exit.signal === ev.signal && ev.signalAt !== null) return `was killed by the ${ev.signal} itself ${ms(ev.learner.exit.t - ev.signalAt)} later (nothing handles it)`;
  if (ev.learner.exit.signal) return `was killed by ${ev.learner.exit.signal}${when}`;
  return `exited with code ${ev.learner.exit.code}${when}`;
}

/** The server never answered: why, as far as we can tell. */
function notServing(ev: RunEvidence, what = 'so there was no shutdown to judge'): Verdict {
  let why: string;
  if (ev.learner.exit) {
    why = `the process exited with code ${ev.learner.exit.code}${ev.learner.exit.signal ? ` (${ev.learner.exit.signal})` : ''} before serving${firstErrorLine(ev.learner.stderr)}`;
  } else {
    why = 'listen on process.env.PORT, on every address (no host, or 0.0.0.0)';
  }
  return fail(`nothing answered GET / on port ${ev.port}, ${what} — ${why}`);
}

/**
 * Was the server still running after `t`, a moment the peer saw? Best proof: it
 * answered something later. Otherwise: it outlived our watch, or exited well after.
 */
function stillRunningAfter(ev: RunEvidence, t: number): boolean {
  if (ev.client.some((c) => c.type === 'response' && c.t > t)) return true;
  if (!ev.learner.exit) return true;
  return ev.learner.exit.t - t > aliveMarginMs;
}

/** Served, signalled: the checks below need that much. */
function served<E extends RunEvidence>(ev: E): ev is E & { signalAt: number; signalDoneAt: number } {
  return ev.ready !== null && ev.signalAt !== null && ev.signalDoneAt !== null;
}

/**
 * How long after the signal `t` came, for a "soon after" bound: counted from
 * when the signal was surely delivered (signalDoneAt), so the time Docker's
 * daemon takes to deliver it is not the learner's.
 */
const afterDelivery = (ev: { signalDoneAt: number }, t: number): number => Math.max(0, t - ev.signalDoneAt);

const checks = [
  kit.check({
    id: 'serves-routes',
    category: 'correctness',
    title: 'serves GET /work?ms=N ("done" after N ms) and every other path ("ok")',
    points: 2,
    needs: ['drain-sigterm'],
    judge(e) {
      const ev = e.evidence('drain-sigterm');
      const drain = ev.plan;
      if (!ev.ready) return notServing(ev, 'the port given in PORT');
      if (ev.ready.status !== 200 || !bodyIs(ev.ready, 'ok')) return fail(`GET / answered ${says(ev.ready)}; expected 200 "ok".`);
      const other = response(ev, 'idle', 0);
      if (other?.status !== 200 || !bodyIs(other, 'ok')) {
        return fail(`GET ${drain.otherPath} answered ${says(other)}; every path other than /work answers 200 "ok".`);
      }
      const timed = response(ev, 'timed', 0);
      if (timed?.status !== 200 || !bodyIs(timed, 'done')) return fail(`GET /work?ms=${drain.probeWorkMs} answered ${says(timed)}; expected 200 "done".`);
      const took = timed.t - (timed.sentAt as number);
      if (took < drain.probeWorkMs - 5 || took > drain.probeWorkMs + 1000) {
        return fail(`GET /work?ms=${drain.probeWorkMs} was answered after ${ms(took)}: it should take ms=${drain.probeWorkMs} milliseconds.`);
      }
      return pass(`GET / and GET ${drain.otherPath} answered 200 "ok"; GET /work?ms=${drain.probeWorkMs} answered "done" after ${ms(took)}`);
    },
  }),
  kit.check({
    id: 'refuses-new-connections',
    category: 'shutdown',
    title: 'after the signal, new connections are refused while the drain goes on',
    points: 2,
    needs: ['drain-sigterm'],
    judge(e) {
      const ev = e.evidence('drain-sigterm');
      if (!served(ev)) return notServing(ev);
      const accepted = firstOf(ev, 'late', 'connected');
      const after = (t: number): string => ms(t - ev.signalAt);
      if (accepted) {
        const r = response(ev, 'late', 0);
        return fail(
          `a new connection ${after(accepted.t)} after SIGTERM was accepted${r ? ` (and answered ${says(r)})` : ''}. ` +
            `Stop listening the moment the signal arrives — server.close() — so new clients are refused and go elsewhere.`,
        );
      }
      const refused = firstOf(ev, 'late', 'connect-error');
      if (!refused) return fail('our new connection during the drain neither connected nor failed.');
      if (!stillRunningAfter(ev, refused.t)) {
        return fail(
          `our new connection ${after(refused.t)} after SIGTERM was refused, but the server answered nothing after that: the process ${exitPhrase(ev)}. ` +
            `Close the listener but keep the process running until the in-flight requests are answered.`,
        );
      }
      if (refused.code !== 'ECONNREFUSED') return fail(`a new connection during the drain failed with ${refused.code}, not ECONNREFUSED.`);
      // The router's view: our SYN after the signal, answered by a reset from the learner's port.
      const syns = synsFrom(ev.learner.wire, ev.clientAddress, ev.port).filter((s) => s.t >= ev.signalAt);
      const resets = ev.learner.wire.filter(
        (w) =>
          w.proto === 'tcp' &&
          w.src === ev.learnerAddress &&
          w.sport === ev.port &&
          w.flags.includes('rst') &&
          syns.some((s) => s.sport === w.dport),
      );
      if (syns.length === 0 || resets.length === 0) {
        return fail(
          `our client got ECONNREFUSED, but the router saw ${syns.length} SYN(s) to port ${ev.port} after the signal and ` +
            `${resets.length} reset(s) from the server: the refusal did not come from the learner host.`,
        );
      }
      return pass(
        `a new connection ${after(refused.t)} after SIGTERM was refused (ECONNREFUSED; the router saw the SYN answered by RST) while the drain went on`,
      );
    },
  }),
  kit.check({
    id: 'in-flight-completes',
    category: 'shutdown',
    title: 'requests in flight at the signal finish with their normal response',
    points: 3,
    needs: ['drain-sigterm'],
    judge(e) {
      const ev = e.evidence('drain-sigterm');
      const drain = ev.plan;
      if (!served(ev)) return notServing(ev);
      for (const [id, workMs] of [
        ['long', drain.longWorkMs],
        ['keepalive', drain.keepAliveWorkMs],
      ] as const) {
        const r = response(ev, id, 0);
        if (!r) {
          const lost = firstOf(ev, id, 'unanswered');
          return fail(
            `GET /work?ms=${workMs}, in flight when SIGTERM arrived, ${lost ? 'lost its connection without a response' : 'got no response'}; ` +
              `the process ${exitPhrase(ev)}. Let in-flight requests finish before exiting — do not exit or destroy sockets on the signal.`,
          );
        }
        if (r.status !== 200 || !bodyIs(r, 'done')) {
          return fail(`GET /work?ms=${workMs}, in flight when SIGTERM arrived, was answered ${says(r)} instead of its normal 200 "done".`);
        }
      }
      const long = response(ev, 'long', 0)!;
      return pass(`both in-flight requests were answered 200 "done", the longer ${ms(long.t - ev.signalAt)} after SIGTERM`);
    },
  }),
  kit.check({
    id: 'closes-idle-keepalive',
    category: 'shutdown',
    title: 'idle keep-alive connections are closed soon after the signal',
    points: 2,
    needs: ['drain-sigterm'],
    judge(e) {
      const ev = e.evidence('drain-sigterm');
      if (!served(ev)) return notServing(ev);
      const t = closedAt(ev, 'idle');
      if (t === undefined) {
        return fail(
          `our idle keep-alive connection was never closed; the process ${exitPhrase(ev)}. ` +
            `Close idle keep-alive connections when the signal arrives (server.closeIdleConnections()).`,
        );
      }
      if (t < ev.signalAt) {
        return fail(`our idle keep-alive connection was closed ${ms(ev.signalAt - t)} before the signal: keep idle connections open until shutdown.`);
      }
      const after = afterDelivery(ev, t);
      if (!stillRunningAfter(ev, t)) {
        return fail(
          `our idle keep-alive connection closed ${ms(after)} after SIGTERM, but the server answered nothing after that — it went down with the process, which ${exitPhrase(ev)}. ` +
            `Close idle connections as the drain starts, while in-flight requests are still running.`,
        );
      }
      if (after > idleCloseMs) {
        return fail(
          `our idle keep-alive connection stayed open ${ms(after)} after SIGTERM, with nothing to do. ` +
            `Close idle keep-alive connections when the drain starts (server.closeIdleConnections(), or track sockets yourself).`,
        );
      }
      return pass(`our idle keep-alive connection was closed ${ms(after)} after SIGTERM, while the drain went on`);
    },
  }),
  kit.check({
    id: 'keepalive-told-to-close',
    category: 'shutdown',
    title: 'a keep-alive connection in use is answered with Connection: close, then closed',
    points: 2,
    needs: ['drain-sigterm'],
    judge(e) {
      const ev = e.evidence('drain-sigterm');
      if (!served(ev)) return notServing(ev);
      const first = response(ev, 'keepalive', 0);
      if (!first) {
        return fail(
          `the request in flight on our keep-alive connection got no response, so the connection never got to be told to close: ` +
            `the process ${exitPhrase(ev)}.`,
        );
      }
      const endT = closedAt(ev, 'keepalive');
      const closedSoon = (r: AgentEvent): boolean => endT !== undefined && endT >= r.t - 5 && endT - r.t <= 1000;
      if (closing(first)) {
        if (!closedSoon(first)) return fail('the in-flight response said Connection: close, but the server kept the connection open afterwards.');
        return pass('the in-flight response on the keep-alive connection said Connection: close, and the connection was closed');
      }
      const follow = response(ev, 'keepalive', 1);
      if (!follow) {
        const lost = firstOf(ev, 'keepalive', 'unanswered');
        return fail(
          `the in-flight response said Connection: ${first.connection ?? '(none)'}, so we sent another request on the same connection` +
            `${lost ? ', and the server closed the connection without answering it' : ' and got no answer'}. ` +
            `During shutdown, answer requests on open connections (503, or the normal response) with Connection: close — ` +
            `a client cannot know a silent close was on purpose.`,
        );
      }
      if (!closing(follow)) {
        return fail(
          `after SIGTERM, a request on our open keep-alive connection was answered ${says(follow)} with Connection: ${follow.connection ?? '(none)'}: ` +
            `a busy keep-alive client can hold the drain open forever. Answer it with Connection: close (503 or the normal response).`,
        );
      }
      if (follow.status !== 503 && !(follow.status === 200 && bodyIs(follow, 'done'))) {
        return fail(`after SIGTERM, a request on our keep-alive connection was answered ${says(follow)}: expected 503, or its normal 200 "done".`);
      }
      if (!closedSoon(follow)) return fail(`the server answered ${says(follow)} with Connection: close but kept the connection open afterwards.`);
      return pass(
        `a request sent on our keep-alive connection ${ms(follow.sentAt as number - ev.signalAt)} after SIGTERM was answered ${follow.status} ` +
          `with Connection: close, and the connection was closed`,
      );
    },
  }),
  kit.check({
    id: 'exits-after-drain',
    category: 'shutdown',
    title: 'exits with code 0 as soon as the drain is done',
    points: 3,
    needs: ['drain-sigterm'],
    judge(e) {
      const ev = e.evidence('drain-sigterm');
      const drain = ev.plan;
      if (!served(ev)) return notServing(ev);
      const long = response(ev, 'long', 0);
      if (!long) return fail(`the process ${exitPhrase(ev)}, before the in-flight request was answered: that is not a drain.`);
      const last = Math.max(...ev.client.filter((c) => c.type === 'response').map((c) => c.t));
      const sinceLast = (t: number): string => ms(t - last);
      if (!ev.learner.exit) {
        return fail(
          `the last request was answered ${ms(last - ev.signalAt)} after SIGTERM, but the process was still running ` +
            `${sinceLast(ev.signalAt + drain.shutdownTimeoutMs + 1000)} later. Exit once nothing is in flight — ` +
            `waiting for server.close()'s callback also waits for every idle keep-alive client.`,
        );
      }
      if (ev.learner.exit.signal) return fail(`the process ${exitPhrase(ev)}.`);
      if (ev.learner.exit.code !== 0) {
        return fail(
          `the process ${exitPhrase(ev)}, ${sinceLast(ev.learner.exit.t)} after the last request was answered — ` +
            `nothing was in flight any more, yet the drain did not end` +
            `${ev.learner.exit.t - ev.signalAt >= drain.shutdownTimeoutMs - 100 ? ` until the SHUTDOWN_TIMEOUT_MS deadline (${drain.shutdownTimeoutMs} ms)` : ''}. ` +
            `What was it waiting for? Idle keep-alive connections, or busy ones never told to close?`,
        );
      }
      if (ev.learner.exit.t - last > exitAfterDrainMs) {
        return fail(`the process exited with code 0, but ${sinceLast(ev.learner.exit.t)} after the last request was answered: exit as soon as the drain is done.`);
      }
      return pass(`exited with code 0, ${sinceLast(ev.learner.exit.t)} after the last request was answered`);
    },
  }),
  kit.check({
    id: 'sigint-drains',
    category: 'shutdown',
    title: 'SIGINT (Ctrl-C) starts the same graceful shutdown',
    points: 2,
    needs: ['drain-sigint'],
    judge(e) {
      const ev = e.evidence('drain-sigint');
      const interrupt = ev.plan;
      if (!served(ev)) return notServing(ev);
      const r = response(ev, 'work', 0);
      if (!r || r.status !== 200 || !bodyIs(r, 'done')) {
        return fail(
          `GET /work?ms=${interrupt.workMs}, in flight when SIGINT arrived, ${r ? `was answered ${says(r)}` : 'got no response'}; the process ${exitPhrase(ev)}. ` +
            `Handle SIGINT like SIGTERM.`,
        );
      }
      if (!ev.learner.exit || ev.learner.exit.signal || ev.learner.exit.code !== 0) {
        return fail(`the in-flight request finished, but after SIGINT the process ${exitPhrase(ev)}; expected code 0 once drained.`);
      }
      if (ev.learner.exit.t - r.t > exitAfterDrainMs) {
        return fail(`after SIGINT the process exited with code 0, but ${ms(ev.learner.exit.t - r.t)} after the drain was done: exit as soon as nothing is in flight.`);
      }
      return pass(`after SIGINT the in-flight request was answered 200 "done" and the process exited with code 0 ${ms(ev.learner.exit.t - r.t)} later`);
    },
  }),
  kit.check({
    id: 'forced-exit-at-deadline',
    category: 'shutdown',
    title: 'work still running at SHUTDOWN_TIMEOUT_MS: exits with code 1 at that deadline',
    points: 3,
    needs: ['deadline'],
    judge: (e) => forcedExit(e.evidence('deadline')),
  }),
  kit.check({
    id: 'forced-exit-default',
    category: 'shutdown',
    title: `SHUTDOWN_TIMEOUT_MS not set: the default deadline (${defaultShutdownTimeoutMs / 1000} s) applies`,
    points: 2,
    needs: ['deadline-default'],
    judge: (e) => forcedExit(e.evidence('deadline-default')),
  }),
];

/** Work outlasts the deadline: exit with code 1 at SHUTDOWN_TIMEOUT_MS, or at the default when it is not set. */
function forcedExit(ev: RunEvidence<DeadlinePlan>): Verdict {
  if (!served(ev)) return notServing(ev);
  const { plan } = ev;
  const unset = plan.shutdownTimeoutMs === null;
  const limit = plan.shutdownTimeoutMs ?? defaultShutdownTimeoutMs;
  const setting = unset
    ? `SHUTDOWN_TIMEOUT_MS was not set, so the default of ${limit} ms applies,`
    : `SHUTDOWN_TIMEOUT_MS was ${limit}`;
  const readIt = unset
    ? `When the variable is missing, use the default: Number(process.env.SHUTDOWN_TIMEOUT_MS ?? ${limit}).`
    : 'Read it from the environment: the value changes from run to run.';
  if (!ev.learner.exit) {
    return fail(
      `${setting} and a request needed ${ms(plan.workMs)}; the process was still running ` +
        `${ms(limit + 1500)} after ${ev.signal}. Arm a timer for that deadline when the drain starts. ${readIt}`,
    );
  }
  if (ev.learner.exit.signal) return fail(`the process ${exitPhrase(ev)}.`);
  // Not before the deadline counted from when the signal was sent; not long after it counted from its delivery.
  const at = ev.learner.exit.t - ev.signalAt;
  if (at < limit - forcedEarlyMs) {
    return fail(`${setting}; the process ${exitPhrase(ev)}, ${ms(at)} after ${ev.signal}, with a request still running: give the drain the whole deadline. ${readIt}`);
  }
  if (afterDelivery(ev, ev.learner.exit.t) > limit + forcedLateMs) {
    return fail(`${setting}; the process ${exitPhrase(ev)}, ${ms(at)} after ${ev.signal}. ${readIt}`);
  }
  if (ev.learner.exit.code !== 1) {
    return fail(
      `the process gave up at the deadline (${ms(at)} after ${ev.signal}) but exited with code ${ev.learner.exit.code}: ` +
        `a forced exit cut work short and must say so with code 1.`,
    );
  }
  return pass(`with a request still running, exited with code 1 ${ms(at)} after ${ev.signal} (${unset ? `SHUTDOWN_TIMEOUT_MS not set: default ${limit} ms` : `SHUTDOWN_TIMEOUT_MS ${limit}`})`);
}

const exercise: ExerciseDef = {
  id: 'graceful-shutdown',
  title: 'Graceful shutdown of an HTTP server',
  part: 'Part 9 — Graceful shutdown',
  kind: 'program',
  peers: { client: clientPeerFile },
  scenarios,
  checks,
};

export default exercise;

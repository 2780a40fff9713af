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
import { same, type Localized, type Text } from '../../i18n.ts';
import { m } from './messages.ts';
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
const says = (r: AgentEvent | undefined): Localized =>
  r ? same(`${r.status} ${JSON.stringify(typeof r.body === 'string' ? r.body.trim().slice(0, 40) : '')}`) : m.nothing;
/** The Connection header a response carried, or "(none)". */
const connectionOf = (r: AgentEvent): Text => (r.connection != null ? String(r.connection) : m.connNone);
const closing = (r: AgentEvent | undefined): boolean => typeof r?.connection === 'string' && /\bclose\b/.test(r.connection);

/** When the server ended connection `id`: the first FIN, reset or close the peer saw. */
function closedAt(ev: RunEvidence, id: string): number | undefined {
  const ts = ev.client.filter((e) => e.id === id && (e.type === 'fin' || e.type === 'closed' || e.type === 'sock-error')).map((e) => e.t);
  return ts.length ? Math.min(...ts) : undefined;
}

/** How the process ended, in a phrase ("after the signal" times are relative to it). */
function exitPhrase(ev: RunEvidence): Localized {
  if (!ev.learner.exit) return m.exitWatching;
  const when: Text = ev.signalAt !== null ? m.exitWhen({ after: ms(ev.learner.exit.t - ev.signalAt), signal: ev.signal }) : '';
  if (ev.learner.exit.signal === ev.signal && ev.signalAt !== null) return m.exitKilledBySelf({ signal: ev.signal, after: ms(ev.learner.exit.t - ev.signalAt) });
  if (ev.learner.exit.signal) return m.exitKilledBy({ signal: ev.learner.exit.signal, when });
  return m.exitedCode({ code: String(ev.learner.exit.code), when });
}

/** The server never answered: why, as far as we can tell. */
function notServing(ev: RunEvidence, what: Localized = m.noShutdownToJudge): Verdict {
  let why: Localized;
  if (ev.learner.exit) {
    why = m.exitedBeforeServing({ code: String(ev.learner.exit.code), signal: ev.learner.exit.signal ?? '', line: firstErrorLine(ev.learner.stderr) });
  } else {
    why = m.listenHint;
  }
  return fail(m.nothingAnswered({ port: ev.port, what, why }));
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
    title: m.tServes,
    points: 2,
    needs: ['drain-sigterm'],
    judge(e) {
      const ev = e.evidence('drain-sigterm');
      const drain = ev.plan;
      if (!ev.ready) return notServing(ev, m.portInPORT);
      if (ev.ready.status !== 200 || !bodyIs(ev.ready, 'ok')) return fail(m.rootAnswered(says(ev.ready)));
      const other = response(ev, 'idle', 0);
      if (other?.status !== 200 || !bodyIs(other, 'ok')) {
        return fail(m.otherAnswered({ path: drain.otherPath, says: says(other) }));
      }
      const timed = response(ev, 'timed', 0);
      if (timed?.status !== 200 || !bodyIs(timed, 'done')) return fail(m.timedAnswered({ workMs: drain.probeWorkMs, says: says(timed) }));
      const took = timed.t - (timed.sentAt as number);
      if (took < drain.probeWorkMs - 5 || took > drain.probeWorkMs + 1000) {
        return fail(m.timedTook({ workMs: drain.probeWorkMs, took: ms(took) }));
      }
      return pass(m.servesOk({ path: drain.otherPath, workMs: drain.probeWorkMs, took: ms(took) }));
    },
  }),
  kit.check({
    id: 'refuses-new-connections',
    category: 'shutdown',
    title: m.tRefuses,
    points: 2,
    needs: ['drain-sigterm'],
    judge(e) {
      const ev = e.evidence('drain-sigterm');
      if (!served(ev)) return notServing(ev);
      const accepted = firstOf(ev, 'late', 'connected');
      const after = (t: number): string => ms(t - ev.signalAt);
      if (accepted) {
        const r = response(ev, 'late', 0);
        return fail(m.lateAccepted({ after: after(accepted.t), answered: r ? m.andAnswered(says(r)) : '' }));
      }
      const refused = firstOf(ev, 'late', 'connect-error');
      if (!refused) return fail(m.neitherConnectedNorFailed);
      if (!stillRunningAfter(ev, refused.t)) {
        return fail(m.refusedButGone({ after: after(refused.t), exit: exitPhrase(ev) }));
      }
      if (refused.code !== 'ECONNREFUSED') return fail(m.refusedWrongCode(String(refused.code)));
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
        return fail(m.refusalNotFromHost({ syns: syns.length, port: ev.port, resets: resets.length }));
      }
      return pass(m.refusedOk(after(refused.t)));
    },
  }),
  kit.check({
    id: 'in-flight-completes',
    category: 'shutdown',
    title: m.tInFlight,
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
          return fail(m.inFlightUnanswered({ workMs, what: lost ? m.lostConnection : m.gotNoResponse, exit: exitPhrase(ev) }));
        }
        if (r.status !== 200 || !bodyIs(r, 'done')) {
          return fail(m.inFlightWrong({ workMs, says: says(r) }));
        }
      }
      const long = response(ev, 'long', 0)!;
      return pass(m.inFlightOk(ms(long.t - ev.signalAt)));
    },
  }),
  kit.check({
    id: 'closes-idle-keepalive',
    category: 'shutdown',
    title: m.tIdle,
    points: 2,
    needs: ['drain-sigterm'],
    judge(e) {
      const ev = e.evidence('drain-sigterm');
      if (!served(ev)) return notServing(ev);
      const t = closedAt(ev, 'idle');
      if (t === undefined) {
        return fail(m.idleNeverClosed(exitPhrase(ev)));
      }
      if (t < ev.signalAt) {
        return fail(m.idleClosedBefore(ms(ev.signalAt - t)));
      }
      const after = afterDelivery(ev, t);
      if (!stillRunningAfter(ev, t)) {
        return fail(m.idleWentDown({ after: ms(after), exit: exitPhrase(ev) }));
      }
      if (after > idleCloseMs) {
        return fail(m.idleStayedOpen(ms(after)));
      }
      return pass(m.idleOk(ms(after)));
    },
  }),
  kit.check({
    id: 'keepalive-told-to-close',
    category: 'shutdown',
    title: m.tToldToClose,
    points: 2,
    needs: ['drain-sigterm'],
    judge(e) {
      const ev = e.evidence('drain-sigterm');
      if (!served(ev)) return notServing(ev);
      const first = response(ev, 'keepalive', 0);
      if (!first) {
        return fail(m.kaNoResponse(exitPhrase(ev)));
      }
      const endT = closedAt(ev, 'keepalive');
      const closedSoon = (r: AgentEvent): boolean => endT !== undefined && endT >= r.t - 5 && endT - r.t <= 1000;
      if (closing(first)) {
        if (!closedSoon(first)) return fail(m.kaKeptOpen);
        return pass(m.kaClosingOk);
      }
      const follow = response(ev, 'keepalive', 1);
      if (!follow) {
        const lost = firstOf(ev, 'keepalive', 'unanswered');
        return fail(m.kaFollowUnanswered({ connection: connectionOf(first), lost: lost ? m.kaLostClosed : m.kaLostNoAnswer }));
      }
      if (!closing(follow)) {
        return fail(m.kaFollowNotClosing({ says: says(follow), connection: connectionOf(follow) }));
      }
      if (follow.status !== 503 && !(follow.status === 200 && bodyIs(follow, 'done'))) {
        return fail(m.kaFollowWrong(says(follow)));
      }
      if (!closedSoon(follow)) return fail(m.kaFollowKeptOpen(says(follow)));
      return pass(m.kaFollowOk({ after: ms(follow.sentAt as number - ev.signalAt), status: follow.status as number }));
    },
  }),
  kit.check({
    id: 'exits-after-drain',
    category: 'shutdown',
    title: m.tExits,
    points: 3,
    needs: ['drain-sigterm'],
    judge(e) {
      const ev = e.evidence('drain-sigterm');
      const drain = ev.plan;
      if (!served(ev)) return notServing(ev);
      const long = response(ev, 'long', 0);
      if (!long) return fail(m.exitNotADrain(exitPhrase(ev)));
      const last = Math.max(...ev.client.filter((c) => c.type === 'response').map((c) => c.t));
      const sinceLast = (t: number): string => ms(t - last);
      if (!ev.learner.exit) {
        return fail(m.exitStillRunning({ last: ms(last - ev.signalAt), later: sinceLast(ev.signalAt + drain.shutdownTimeoutMs + 1000) }));
      }
      if (ev.learner.exit.signal) return fail(m.processPhrase(exitPhrase(ev)));
      if (ev.learner.exit.code !== 0) {
        return fail(
          m.exitNonZero({
            exit: exitPhrase(ev),
            since: sinceLast(ev.learner.exit.t),
            deadline: ev.learner.exit.t - ev.signalAt >= drain.shutdownTimeoutMs - 100 ? m.untilDeadline(drain.shutdownTimeoutMs) : '',
          }),
        );
      }
      if (ev.learner.exit.t - last > exitAfterDrainMs) {
        return fail(m.exitLate(sinceLast(ev.learner.exit.t)));
      }
      return pass(m.exitOk(sinceLast(ev.learner.exit.t)));
    },
  }),
  kit.check({
    id: 'sigint-drains',
    category: 'shutdown',
    title: m.tSigint,
    points: 2,
    needs: ['drain-sigint'],
    judge(e) {
      const ev = e.evidence('drain-sigint');
      const interrupt = ev.plan;
      if (!served(ev)) return notServing(ev);
      const r = response(ev, 'work', 0);
      if (!r || r.status !== 200 || !bodyIs(r, 'done')) {
        return fail(m.sigintUnanswered({ workMs: interrupt.workMs, outcome: r ? m.wasAnswered(says(r)) : m.gotNoResponse, exit: exitPhrase(ev) }));
      }
      if (!ev.learner.exit || ev.learner.exit.signal || ev.learner.exit.code !== 0) {
        return fail(m.sigintBadExit(exitPhrase(ev)));
      }
      if (ev.learner.exit.t - r.t > exitAfterDrainMs) {
        return fail(m.sigintLate(ms(ev.learner.exit.t - r.t)));
      }
      return pass(m.sigintOk(ms(ev.learner.exit.t - r.t)));
    },
  }),
  kit.check({
    id: 'forced-exit-at-deadline',
    category: 'shutdown',
    title: m.tForced,
    points: 3,
    needs: ['deadline'],
    judge: (e) => forcedExit(e.evidence('deadline')),
  }),
  kit.check({
    id: 'forced-exit-default',
    category: 'shutdown',
    title: m.tForcedDefault(defaultShutdownTimeoutMs / 1000),
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
  const setting = unset ? m.settingUnset(limit) : m.settingSet(limit);
  const readIt = unset ? m.readDefault(limit) : m.readEnv;
  if (!ev.learner.exit) {
    return fail(m.forcedStillRunning({ setting, work: ms(plan.workMs), later: ms(limit + 1500), signal: ev.signal, readIt }));
  }
  if (ev.learner.exit.signal) return fail(m.processPhrase(exitPhrase(ev)));
  // Not before the deadline counted from when the signal was sent; not long after it counted from its delivery.
  const at = ev.learner.exit.t - ev.signalAt;
  if (at < limit - forcedEarlyMs) {
    return fail(m.forcedEarly({ setting, exit: exitPhrase(ev), at: ms(at), signal: ev.signal, readIt }));
  }
  if (afterDelivery(ev, ev.learner.exit.t) > limit + forcedLateMs) {
    return fail(m.forcedLate({ setting, exit: exitPhrase(ev), at: ms(at), signal: ev.signal, readIt }));
  }
  if (ev.learner.exit.code !== 1) {
    return fail(m.forcedWrongCode({ at: ms(at), signal: ev.signal, code: String(ev.learner.exit.code) }));
  }
  return pass(m.forcedOk({ at: ms(at), signal: ev.signal, which: unset ? m.whichUnset(limit) : m.whichSet(limit) }));
}

const exercise: ExerciseDef = {
  id: 'graceful-shutdown',
  title: m.title.en,
  part: m.part.en,
  vi: { title: m.title.vi, part: m.part.vi },
  kind: 'program',
  peers: { client: clientPeerFile },
  scenarios,
  checks,
};

export default exercise;

/**
 * graceful-shutdown's time bounds around the signal, without a lab. Under
 * Docker the daemon delivers the signal: the grader knows only that it arrived
 * between the send (signalAt) and the return of the call (signalDoneAt), which
 * on a busy machine lie several hundred ms apart (a CI failure: a reference's
 * idle connection "closed 5xx ms after SIGTERM" counted from the send). Bounds
 * of "soon after the signal" count from the delivery, bounds of "not before"
 * from the send: the lag is never the learner's, and a too-early exit still is.
 */
import t from 'tap';
import exercise, { forcedEarlyMs, forcedLateMs, idleCloseMs } from '../grader/exercises/graceful-shutdown/index.ts';
import type { DeadlinePlan, DrainPlan, RunEvidence } from '../grader/exercises/graceful-shutdown/scenarios.ts';
import type { AgentEvent, ExitInfo } from '../harness/process.ts';

const check = (id: string) => exercise.checks.find((c) => c.id === id)!;
const ev = (e: AgentEvent): AgentEvent => e;

/** `exit`: how the learner's process ended (null: still running when the watch ended). */
function evidence({ exit = null, ...over }: Partial<RunEvidence> & { exit?: ExitInfo | null }): RunEvidence {
  return {
    plan: {} as DrainPlan,
    port: 30000,
    signal: 'SIGTERM',
    shutdownTimeoutMs: 5000,
    ready: ev({ type: 'ready', t: 0, status: 200, body: 'ok' }),
    signalAt: 1000,
    signalDoneAt: 1000,
    client: [],
    learner: { events: [], exit, killed: null, startedAt: 0, endedAt: exit?.t ?? null, stderr: '', stdout: '', wire: [] },
    learnerAddress: '10.0.0.2',
    clientAddress: '10.0.0.3',
    ...over,
  };
}

/** The idle connection closed at `closedAt`; a later response proves the server still ran. */
function idleCase(signalDoneAt: number, closedAt: number): RunEvidence {
  return evidence({
    signalDoneAt,
    client: [ev({ type: 'closed', id: 'idle', t: closedAt }), ev({ type: 'response', id: 'long', seq: 0, t: closedAt + 800, status: 200, body: 'done' })],
    exit: { t: closedAt + 900, code: 0, signal: null, killedByHarness: false },
  });
}

t.test('an idle connection closed soon after a late delivery passes; one kept open fails', async (t) => {
  const judge = (e: RunEvidence) => check('closes-idle-keepalive').judge({ 'drain-sigterm': [e] });
  // Sent at 1000, delivered by 1600: closed 700 ms after the send, 100 ms after the delivery.
  t.ok(judge(idleCase(1600, 1700)).pass, 'counted from the delivery');
  // The same close with no lag (netns) is too late.
  const late = judge(idleCase(1000, 1000 + idleCloseMs + 200));
  t.notOk(late.pass, 'kept open past the bound after an immediate delivery');
  t.match(late.message, /stayed open/);
  // A close before the send is still before the signal, whatever the lag.
  t.notOk(judge(idleCase(1600, 990)).pass, 'closed before the signal was sent');
  // Closed between send and return: the delivery was already in, 0 ms after it.
  t.ok(judge(idleCase(1600, 1300)).pass, 'closed while the call was returning');
});

t.test('the forced exit: not early counted from the send, not late counted from the delivery', async (t) => {
  const plan: DeadlinePlan = { port: 30000, shutdownTimeoutMs: 2000, workMs: 6000, leadMs: 200 };
  const judge = (signalDoneAt: number, exitAt: number, code = 1) =>
    check('forced-exit-at-deadline').judge({
      deadline: [evidence({ plan, shutdownTimeoutMs: 2000, signalDoneAt, exit: { t: exitAt, code, signal: null, killedByHarness: false } })],
    });
  // Delivered 500 ms after the send; the program's timer ran from the delivery.
  t.ok(judge(1500, 1500 + 2000 + 100).pass, 'at the deadline after a late delivery');
  t.notOk(judge(1000, 1000 + 2000 + forcedLateMs + 100).pass, 'too late after an immediate delivery');
  t.notOk(judge(1500, 1500 + 2000 + forcedLateMs + 100).pass, 'too late after a late delivery');
  // Early is early whatever the lag: before the deadline counted from the send.
  const early = judge(1500, 1000 + 2000 - forcedEarlyMs - 100);
  t.notOk(early.pass, 'exited before the deadline');
  t.match(early.message, /give the drain the whole deadline/);
  t.notOk(judge(1000, 3000, 0).pass, 'code 0 at the deadline');
});

/**
 * The grader toolkit (grader/kit/index.ts) without a lab: typed evidence,
 * the record of a process and its phrasing, waiting on the monotonic clock.
 * observe() and letExit() run against stand-ins for a lab and a process.
 */
import t from 'tap';
import { nowMs } from '../harness/clock.ts';
import type { Lab } from '../harness/lab.ts';
import type { AgentEvent, ExitInfo, LabProcess } from '../harness/process.ts';
import type { WireEvent } from '../harness/wire.ts';
import { describeProcess, eventOf, exerciseKit, fail, letExit, observe, pass, waitUntil, type ProcessRecord } from '../grader/kit/index.ts';

const record = (over: Partial<ProcessRecord> = {}): ProcessRecord => ({
  events: [],
  exit: null,
  killed: null,
  startedAt: 0,
  endedAt: null,
  stderr: '',
  stdout: '',
  wire: [],
  ...over,
});
const exited = (code: number | null, signal: NodeJS.Signals | null = null): ExitInfo => ({ t: 5, code, signal, killedByHarness: false });
const ev = (type: string, data: Record<string, unknown> = {}): AgentEvent => ({ t: 1, type, ...data });

t.test('checks read evidence typed by scenario id, and only the scenarios they need', async (t) => {
  const kit = exerciseKit<{ a: { n: number }; b: { s: string } }>();
  const check = kit.check({
    id: 'c',
    category: 'correctness',
    title: 'C',
    points: 1,
    needs: ['a'],
    judge: (e) => (e.evidence('a').n === 2 && e.trials('a').length === 3 ? pass('two') : fail(`saw ${e.evidence('a').n}`)),
  });
  t.same(check.needs, ['a']);
  t.same(check.judge({ a: [{ n: 2 }, { n: 3 }, { n: 4 }] }), { pass: true, message: 'two' });
  t.same(check.judge({ a: [{ n: 5 }, {}, {}] }), { pass: false, message: 'saw 5' });

  const sneaky = kit.check({ id: 's', category: 'correctness', title: 'S', points: 1, needs: ['a'], judge: (e) => pass(e.evidence('b').s) });
  t.throws(() => sneaky.judge({ a: [{ n: 1 }], b: [{ s: 'x' }] }), /reads scenario b without needing it/);
  t.throws(() => check.judge({ a: [] }), /no evidence of scenario a/);
  const scenario = kit.scenario({ id: 'b', title: 'B', lab: { peers: [] }, inherentWaitMs: 0, deadlineMs: 1, run: async () => ({ s: 'y' }) });
  t.equal(scenario.id, 'b');
});

t.test('describeProcess says how the process ended, the learner-facing cause first', async (t) => {
  t.equal(describeProcess(record({ events: [ev('missing-export', { name: 'f' })], exit: exited(0) })), 'the module does not export f');
  t.equal(
    describeProcess(record({ events: [ev('crash', { error: { isError: true, name: 'TypeError', message: 'x is not a function' } })], exit: exited(70) })),
    'the process crashed with an uncaught exception (an error with name TypeError, "x is not a function")',
  );
  t.equal(describeProcess(record({ killed: 'memory', exit: exited(null, 'SIGKILL') })), 'the process ran out of memory');
  t.equal(describeProcess(record({ killed: 'time', exit: exited(null, 'SIGKILL') })), 'the process did not finish in time and was stopped');
  t.equal(describeProcess(record({ killed: 'harness' })), 'the process did not finish in time and was stopped');
  t.equal(
    describeProcess(record({ exit: exited(1), stderr: 'at start\nError: listen EACCES\n    at x\n' })),
    'the process exited with code 1: Error: listen EACCES',
  );
  t.equal(describeProcess(record({ exit: exited(null, 'SIGSEGV') })), 'the process exited with code SIGSEGV');
  t.equal(describeProcess(record()), null, 'still running');
  t.equal(eventOf(record({ events: [ev('a', { i: 1 }), ev('a', { i: 2 })] }), 'a')?.i, 1, 'eventOf: the first of its type');
});

t.test('waitUntil polls until the condition holds or the time is up', async (t) => {
  let n = 0;
  t.ok(await waitUntil(() => ++n >= 3, 1000, 1));
  t.equal(n, 3);
  const start = nowMs();
  t.notOk(await waitUntil(async () => false, 60, 10));
  const took = nowMs() - start;
  t.ok(took >= 60 && took < 1000, `gave up after ${took} ms`);
});

/** A stand-in for a LabProcess: exits at `exitAfterMs` by itself (never, when null). */
function fakeProcess(exitAfterMs: number | null, over: { memory?: boolean; events?: AgentEvent[] } = {}) {
  let exit: ExitInfo | undefined;
  let end!: (e: ExitInfo) => void;
  const exitedP = new Promise<ExitInfo>((r) => (end = r));
  const finish = (info: ExitInfo) => {
    exit ??= info;
    end(exit);
  };
  if (exitAfterMs !== null) setTimeout(() => finish({ t: nowMs(), code: 3, signal: null, killedByHarness: false }), exitAfterMs);
  const sent: unknown[] = [];
  const proc = {
    events: over.events ?? [ev('done')],
    startedAt: 1,
    stderr: 'E'.repeat(5000),
    stdout: 'out',
    get exit() {
      return exit;
    },
    memoryLimitHit: () => over.memory === true,
    waitExit: (ms: number) => Promise.race([exitedP, new Promise<null>((r) => setTimeout(() => r(null), ms))]),
    kill: async () => {
      finish({ t: nowMs(), code: null, signal: 'SIGKILL', killedByHarness: true });
      return exit!;
    },
    waitFor: async (type: string) => proc.events.find((e) => e.type === type) ?? null,
    send: (c: unknown) => sent.push(c),
  };
  return { proc: proc as unknown as LabProcess, sent };
}

const fakeLab = (wire: WireEvent[]) => {
  let settled = 0;
  const lab = { settleWire: async () => void settled++, wire: () => wire } as unknown as Lab;
  return { lab, settled: () => settled };
};

t.test('observe: the record of a process that exits, is stopped, or is left running', async (t) => {
  const wire = [{ t: 2 } as WireEvent];
  const { lab, settled } = fakeLab(wire);

  const own = await observe(lab, fakeProcess(10).proc, { exitWithinMs: 1000 });
  t.equal(own.exit?.code, 3);
  t.equal(own.killed, null);
  t.equal(own.endedAt, own.exit?.t);
  t.equal(own.stderr.length, 4000, 'output kept to its head');
  t.same(own.wire, wire);
  t.equal(settled(), 1, 'the wire is settled before it is read');

  let after = 0;
  const stopped = await observe(lab, fakeProcess(null).proc, { exitWithinMs: 20, afterExit: async () => void after++ });
  t.equal(stopped.exit, null, 'stopped by the grader: no exit of its own');
  t.equal(stopped.killed, 'harness');
  t.ok(stopped.endedAt !== null);
  t.equal(after, 1, 'afterExit ran once it was gone');

  const oom = await observe(lab, fakeProcess(5, { memory: true }).proc, { exitWithinMs: 1000 });
  t.equal(oom.killed, 'memory');

  const running = await observe(lab, fakeProcess(null).proc, { keepRunning: true });
  t.equal(running.exit, null);
  t.equal(running.killed, null);
  t.equal(running.endedAt, null);
});

t.test("letExit gives the word to exit only to a runner that said 'done'", async (t) => {
  const done = fakeProcess(null);
  t.equal((await letExit(done.proc, 100))?.type, 'done');
  t.same(done.sent, [{ cmd: 'exit' }]);
  const silent = fakeProcess(null, { events: [] });
  t.equal(await letExit(silent.proc, 100), null);
  t.same(silent.sent, []);
});

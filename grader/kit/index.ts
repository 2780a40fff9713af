/**
 * The grader's toolkit: everything an exercise needs besides its own
 * scenarios, messages and checks. Evidence typed by scenario id, one way to
 * start the learner's code and one record of what its process did
 * (ProcessRecord), one phrasing of that record (describeProcess), and waits
 * on the monotonic clock. The runner's side, inside the learner's sandbox, is
 * grader/kit/runner.ts.
 *
 * How to write an exercise: a module exercise is a runner that calls the
 * learner's export and reports signed events, and an index that runs
 * scenarios (each returns its evidence) and checks (each judges the evidence
 * of the scenarios it needs). Judge from what the learner cannot fake: the
 * router's wire, peers' records, the runner's signed events, exit codes.
 *
 *   import { config, describeError, emit } from '../../../harness/runner-kit.ts'; // grader/exercises/<id>/runner.ts: runner-kit first
 *   import { doneThenExit, learnerFunction, reportCrashes } from '../../kit/runner.ts';
 *   reportCrashes();
 *   const fn = await learnerFunction<(host: string, port: number) => Promise<unknown>>('fetchOnce');
 *   const { host, port } = config<{ host: string; port: number }>();
 *   if (fn) await fn(host, port).then(() => emit('resolved'), (err) => emit('rejected', { error: describeError(err) }));
 *   doneThenExit(0);
 *
 *   import { describeProcess, eventOf, exerciseKit, fail, letExit, observe, pass, runProgram, startPeer, type ProcessRecord } from '../../kit/index.ts'; // grader/exercises/<id>/index.ts
 *   import type { Draws } from '../../draws.ts';
 *   import type { ExerciseDef } from '../../types.ts';
 *   const kit = exerciseKit<{ up: { port: number; learner: ProcessRecord } }>(); // what each scenario returns, by id
 *   const scenarios = (draws: Draws) => {
 *     const port = draws.int('port', 20000, 60000); // draw every value a learner could special-case
 *     return [
 *       kit.scenario({
 *         id: 'up', title: 'the peer listens', lab: { peers: ['server'] }, inherentWaitMs: 0, deadlineMs: 15_000,
 *         async run(ctx) {
 *           await startPeer(ctx, 'server', { config: { port, mode: 'echo' }, ready: 'listening' });
 *           const proc = await runProgram(ctx, { config: { host: ctx.lab.addresses.peers.server, port } }); // programs: { env }
 *           await letExit(proc, 5000); // the runner said 'done': it may exit
 *           return { port, learner: await observe(ctx.lab, proc, { exitWithinMs: 2000 }) };
 *         },
 *       }),
 *     ];
 *   };
 *   const checks = [
 *     kit.check({
 *       id: 'resolves', category: 'correctness', title: 'resolves once connected', points: 2, needs: ['up'],
 *       judge(e) {
 *         const { learner } = e.evidence('up'); // typed by scenario id: no casts
 *         if (eventOf(learner, 'resolved')) return pass('resolved');
 *         return fail(`${eventOf(learner, 'rejected') ? 'the promise rejected' : describeProcess(learner)}: resolve once connected.`);
 *       },
 *     }),
 *   ];
 *   export default { id: 'fetch-once', title: 'Fetch once', part: 'Part N — …', kind: 'module', scenarios, checks,
 *     runner: new URL('./runner.ts', import.meta.url).pathname, peers: { server: new URL('../../../harness/peers/tcp-server.ts', import.meta.url).pathname },
 *   } satisfies ExerciseDef; // and list it in grader/exercises.ts
 */
import { nowMs, sleep } from '../../harness/clock.ts';
import type { Lab, Limits } from '../../harness/lab.ts';
import type { AgentEvent, ExitInfo, LabProcess } from '../../harness/process.ts';
import type { WireEvent } from '../../harness/wire.ts';
import { errorSummary, errorSummaryText, firstErrorLine } from '../evidence.ts';
import { catalogue, type Localized, type Text } from '../i18n.ts';
import { bootRunner as bootRunnerProcess, startRunner } from '../runner.ts';
import type { Check, EvidenceSet, Scenario, ScenarioContext, Verdict } from '../types.ts';

// ── Verdicts ────────────────────────────────────────────────────────────────

/** A verdict: its message in every language (an exercise's catalogue, grader/i18n.ts), or English only. */
export const pass = (message: Text): Verdict => ({ pass: true, message });
export const fail = (message: Text): Verdict => ({ pass: false, message });

// ── Evidence typed by scenario id ───────────────────────────────────────────

/** A check's view of the evidence: what each scenario it needs returned, typed by the exercise's map of scenario id to evidence. */
export interface Evidence<M> {
  /** What the first (or only) trial of scenario `id` returned. */
  evidence<K extends keyof M & string>(id: K): M[K];
  /** What every trial of scenario `id` returned, in trial order. */
  trials<K extends keyof M & string>(id: K): M[K][];
}

export interface KitCheck<M> extends Omit<Check, 'needs' | 'judge'> {
  needs: Array<keyof M & string>;
  judge(e: Evidence<M>): Verdict;
}

/**
 * Typed scenarios and checks for an exercise whose scenario `id` returns
 * `M[id]`. A check may read only the scenarios it `needs`: the grader runs a
 * check only when those have evidence, so reading another is a bug, and throws.
 */
export function exerciseKit<M>() {
  return {
    scenario<K extends keyof M & string>(s: Scenario<M[K]> & { id: K }): Scenario<M[K]> {
      return s;
    },
    check(c: KitCheck<M>): Check {
      return { ...c, judge: (set) => c.judge(evidenceOf<M>(set, c.needs, c.id)) };
    },
  };
}

function evidenceOf<M>(set: EvidenceSet, needs: readonly string[], check: string): Evidence<M> {
  const trials = <K extends keyof M & string>(id: K): M[K][] => {
    if (!needs.includes(id)) throw new Error(`check ${check} reads scenario ${id} without needing it`);
    return (set[id] ?? []) as M[K][];
  };
  return {
    trials,
    evidence: (id) => {
      const [first] = trials(id);
      if (first === undefined) throw new Error(`no evidence of scenario ${id}`);
      return first;
    },
  };
}

// ── Running the learner's code, and what its process did ────────────────────

/**
 * What the learner's process did, as a scenario keeps it: its events (signed
 * records of the runner, or the agent's for programs), how and when it ended,
 * why it was stopped if it did not end by itself, what it wrote, and the
 * router's trace of the lab up to the end of the watch.
 */
export interface ProcessRecord {
  events: AgentEvent[];
  /** How it ended; null: it was still running when the watch ended (then stopped by the grader, or left running). */
  exit: ExitInfo | null;
  /** Stopped from outside: its memory limit, its wall-time limit, or the grader once done watching. */
  killed: 'memory' | 'time' | 'harness' | null;
  /** Monotonic ms (harness/clock.ts): when it was started, when it ended or was stopped (null: still running). */
  startedAt: number;
  endedAt: number | null;
  /** The first `outputKept` characters of each: enough for the line that names a crash. */
  stderr: string;
  stdout: string;
  wire: WireEvent[];
}

const outputKept = 4000;

/**
 * Starts the learner's code in the scenario's lab. Module exercises: the
 * exercise's runner, given `config` on stdin (grader/runner.ts). Programs:
 * the learner's file itself, with `env`.
 */
export function runProgram(
  ctx: ScenarioContext,
  how: { config: unknown } | { env: Record<string, string> },
  limits?: Partial<Limits>,
): Promise<LabProcess> {
  if ('config' in how) return startRunner(ctx, how.config, limits);
  return ctx.lab.startLearner({ file: ctx.programs.learner, env: how.env }, limits);
}

/**
 * Starts the learner's runner now and its work later: Node boots while the
 * peers start (`start(config)` once they listen), which saves a program start
 * per scenario. What it runs and when its clock starts are as with
 * runProgram: the runner reads nothing of the learner's before `start`.
 */
export function bootRunner(ctx: ScenarioContext, limits?: Partial<Limits>): { start(config: unknown): Promise<LabProcess> } {
  const booting = bootRunnerProcess(ctx, limits);
  // A boot that failed says so at start; until then it must not count as an unhandled rejection.
  booting.catch(() => {});
  return { start: async (config) => (await booting).start(config) };
}

/**
 * Starts the harness peer `name` (ExerciseDef.peers) on the lab host of that
 * name, with `config` as its argument, and waits for its `ready` event: a
 * peer that does not come up is the lab's failure, not the learner's, so the
 * scenario errors.
 */
export async function startPeer(ctx: ScenarioContext, name: string, opts: { config?: unknown; ready?: string } = {}): Promise<LabProcess> {
  const args = opts.config === undefined ? undefined : [JSON.stringify(opts.config)];
  const peer = await ctx.lab.startPeer(name, { file: ctx.programs.peers[name]!, args });
  if (opts.ready && !(await peer.waitFor(opts.ready, 5000))) throw new Error(`the ${name} peer did not start: ${peer.stderr}`);
  return peer;
}

export interface ObserveOptions {
  /** How long to wait for the process to end by itself before it is stopped. Default 0. */
  exitWithinMs?: number;
  /** Leave it running instead (the lab's close stops it): `exit` is then null. */
  keepRunning?: boolean;
  /** Once it ended: what else must come in before the record is taken (a peer's report of the exit). */
  afterExit?: () => Promise<unknown>;
}

/**
 * Watches `proc` to its end (see ObserveOptions), waits until the router's
 * trace holds every packet sent so far, and returns the record of it.
 */
export async function observe(lab: Lab, proc: LabProcess, opts: ObserveOptions = {}): Promise<ProcessRecord> {
  let stopped = false;
  if (!opts.keepRunning) {
    if (!(await proc.waitExit(opts.exitWithinMs ?? 0))) {
      stopped = true;
      await proc.kill();
    }
    await opts.afterExit?.();
  }
  await lab.settleWire();
  const exit = proc.exit ?? null;
  let killed: ProcessRecord['killed'] = null;
  if (proc.memoryLimitHit()) killed = 'memory';
  else if (stopped) killed = 'harness';
  else if (exit?.killedByHarness) killed = 'time';
  return {
    events: [...proc.events],
    exit: stopped ? null : exit,
    killed,
    startedAt: proc.startedAt,
    endedAt: exit?.t ?? null,
    stderr: proc.stderr.slice(0, outputKept),
    stdout: proc.stdout.slice(0, outputKept),
    wire: [...lab.wire()],
  };
}

/** For runners that end with doneThenExit (grader/kit/runner.ts): waits for 'done', then lets them exit. */
export async function letExit(proc: LabProcess, doneWithinMs: number): Promise<AgentEvent | null> {
  const done = await proc.waitFor('done', doneWithinMs);
  if (done) proc.send({ cmd: 'exit' });
  return done;
}

export const eventOf = (rec: ProcessRecord, type: string): AgentEvent | undefined => rec.events.find((e) => e.type === type);

/**
 * How the process ended, in a phrase for a failure message: no such export,
 * a crash, stopped for memory or time, or its exit code (with the line of
 * stderr that names the error). null: it was still running.
 */
export function describeProcess(rec: ProcessRecord): string | null {
  return describeProcessText(rec)?.en ?? null;
}

const processWords = catalogue(
  {
    missingExport: (name: string) => `the module does not export ${name}`,
    crashed: (error: string) => `the process crashed with an uncaught exception (${error})`,
    outOfMemory: 'the process ran out of memory',
    outOfTime: 'the process did not finish in time and was stopped',
    exited: (p: { code: string; line: string }) => `the process exited with code ${p.code}${p.line}`,
  },
  {
    missingExport: (name) => `module không export ${name}`,
    crashed: (error) => `process bị crash vì một exception không được bắt (${error})`,
    outOfMemory: 'process hết bộ nhớ',
    outOfTime: 'process không xong kịp giờ và đã bị dừng',
    exited: (p) => `process thoát với code ${p.code}${p.line}`,
  },
);

/** describeProcess in every language, for exercises with a message catalogue. */
export function describeProcessText(rec: ProcessRecord): Localized | null {
  const missing = eventOf(rec, 'missing-export');
  if (missing) return processWords.missingExport(String(missing.name));
  const crash = eventOf(rec, 'crash');
  if (crash) return processWords.crashed(errorSummaryText(crash.error));
  if (rec.killed === 'memory') return processWords.outOfMemory;
  if (rec.killed) return processWords.outOfTime;
  if (!rec.exit) return null;
  return processWords.exited({ code: String(rec.exit.code ?? rec.exit.signal), line: firstErrorLine(rec.stderr) });
}

// ── Waiting ─────────────────────────────────────────────────────────────────

/** Polls `cond` every `stepMs` until it holds (true) or `timeoutMs` has passed on the monotonic clock (false). */
export async function waitUntil(cond: () => boolean | Promise<boolean>, timeoutMs: number, stepMs = 20): Promise<boolean> {
  const end = nowMs() + timeoutMs;
  for (;;) {
    if (await cond()) return true;
    if (nowMs() >= end) return false;
    await sleep(stepMs);
  }
}

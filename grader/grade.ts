/**
 * Grading one implementation: build the programs, run every scenario in its
 * own lab (in parallel), then let each check judge the evidence.
 */
import { mkdirSync, rmSync, chmodSync, lstatSync, mkdtempSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { bundle, bundleLearnerModule, CompileError } from '../harness/bundle.ts';
import { learnerBundleName } from './runner.ts';
import { Draws, newSeed } from './draws.ts';
import { nowMs } from '../harness/clock.ts';
import { inSlot } from '../harness/slots.ts';
import type { LabDriver } from '../harness/lab.ts';
import type { CpuUse } from '../harness/process.ts';
import type { CheckResult, EvidenceSet, ExerciseDef, Programs, Scenario } from './types.ts';
import { catalogue, textIn } from './i18n.ts';
import type { Lang } from './hints.ts';
import { TraceBehindError } from '../harness/wire.ts';
import { describeLoad, excusedByLoad, loadWatch, type LoadReading, type LoadSource } from '../harness/load.ts';

export interface ScenarioTiming {
  id: string;
  trials: number;
  /** Lab setup time per trial, ms. */
  setupMs: number[];
  /** Whole time per trial (setup, run, teardown), ms. */
  totalMs: number[];
  inherentWaitMs: number;
  /** How many times the scenario ran in this grade (more than once when the machine was too busy to judge it). */
  runs: number;
  /** Most tries one trial of its last run took because the router's trace overflowed (1: none was run again). */
  traceTries?: number;
  error?: string;
  /** How busy the machine was while it ran (its last run, when run again). */
  load?: LoadReading;
}

export interface GradeResult {
  exercise: string;
  score: number;
  maxScore: number;
  passed: boolean;
  driver: string;
  checks: CheckResult[];
  /** The seed of every draw: `--seed` with it replays the run. */
  seed: number;
  /** What was drawn, by name (not in the JSON report). */
  drawn: Record<string, number | string>;
  /** Not part of the JSON contract: for the bench and for debugging. */
  timings: ScenarioTiming[];
  wallMs: number;
  compileError?: string;
}

export interface GradeOptions {
  exercise: ExerciseDef;
  file: string;
  driver: LabDriver;
  /** Replays the draws of an earlier run; a new seed when absent. */
  seed?: number;
  /** Called as scenarios start and finish, for progress lines. */
  /** Where machine load is read from (tests stand in a reading of their own). */
  load?: LoadSource;
  /** The language of check titles and messages (default English). */
  lang?: Lang;
  progress?: (event: { scenario: string; phase: 'start' | 'wait' | 'retry' | 'done' | 'error'; ms?: number; detail?: string }) => void;
}

/**
 * Where a grade run keeps its built programs: readable by learner uids, not
 * listable. Normally `<tmp>/netprog-grade-<uid>/<pid>-<hex>`, mode 0711 — but
 * anyone can create that base first (a file, a symlink, a folder of their own
 * or one anyone can write), so it is used only if lstat (never following it)
 * shows a real directory owned by this uid and writable by no one else;
 * otherwise the run gets a fresh private folder from mkdtemp,
 * `<tmp>/netprog-grade-<uid>.<pid>-XXXXXX`. Run folders whose grader is dead
 * (kill -9, a crash) are removed here, when the next run starts.
 */
export function runDir(): string {
  const uid = process.getuid?.() ?? -1;
  const tmp = os.tmpdir();
  const base = path.join(tmp, `netprog-grade-${uid < 0 ? 'u' : uid}`);
  const ours = (p: string): boolean => {
    const st = lstatSync(p, { throwIfNoEntry: false });
    return st !== undefined && st.isDirectory() && (uid < 0 || st.uid === uid) && (st.mode & 0o022) === 0;
  };
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  };
  const reap = (parent: string, name: RegExp): void => {
    let entries: string[];
    try {
      entries = readdirSync(parent);
    } catch {
      return;
    }
    for (const entry of entries) {
      const pid = Number(name.exec(entry)?.[1] ?? NaN);
      if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || alive(pid)) continue;
      const dir = path.join(parent, entry);
      // Only a folder this uid made: someone else's entry (or a symlink) is left alone.
      try {
        if (ours(dir)) rmSync(dir, { recursive: true, force: true });
      } catch {
        // Half removed by a run reaping at the same time, or a file this uid cannot remove: not this run's problem.
      }
    }
  };
  reap(tmp, new RegExp(`^netprog-grade-${uid < 0 ? 'u' : uid}\\.(\\d+)-[A-Za-z0-9]{6}$`));
  try {
    mkdirSync(base, { mode: 0o711 });
  } catch {
    // Already there (checked next), or not makeable (then the fallback below).
  }
  if (ours(base)) {
    // One base per user: a base made by root would not let another user create runs in it.
    chmodSync(base, 0o711);
    reap(base, /^(\d+)-[0-9a-f]{12}$/);
    const dir = path.join(base, `${process.pid}-${randomBytes(6).toString('hex')}`);
    mkdirSync(dir, { mode: 0o711 });
    chmodSync(dir, 0o711);
    return dir;
  }
  const dir = mkdtempSync(path.join(tmp, `netprog-grade-${uid < 0 ? 'u' : uid}.${process.pid}-`));
  chmodSync(dir, 0o711);
  process.stderr.write(`grade: ${base} is not a private folder of this user, so this run uses ${dir}\n`);
  return dir;
}

export async function buildPrograms(exercise: ExerciseDef, file: string, outDir: string): Promise<Programs> {
  // A module exercise's runner and the learner's module are two bundles: the
  // runner reads its instructions and locks the process down before it
  // imports the learner's (grader/runner.ts, harness/runner-kit.ts).
  let learner: string;
  if (exercise.kind === 'module') {
    const module = await bundleLearnerModule({ file, outDir });
    if (path.basename(module) !== learnerBundleName) throw new Error(`the learner's bundle must be ${learnerBundleName}, not ${module}`);
    chmodSync(module, 0o644);
    learner = await bundle({ entry: exercise.runner!, outDir });
  } else {
    learner = await bundle({ entry: file, learnerFile: file, outDir });
  }
  const peers: Record<string, string> = {};
  await Promise.all(
    Object.entries(exercise.peers).map(async ([name, entry]) => {
      peers[name] = await bundle({ entry, outDir });
    }),
  );
  for (const f of [learner, ...Object.values(peers)]) chmodSync(f, 0o644);
  return { learner, peers };
}

/**
 * The lab itself could not be built (no image, no daemon, no privileges, a
 * kernel without a feature): not the learner's doing, so not a per-check
 * failure. The CLI reports it once and exits 2.
 */
export class LabSetupError extends Error {
  override name = 'LabSetupError';
  constructor(
    readonly scenario: string,
    readonly cause: unknown,
  ) {
    super(`the lab could not be set up (scenario ${scenario}): ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/**
 * The router's trace overflowed during a trial: packets may be missing from
 * the wire, so a check that reads absence ("no SYN after the timeout") could
 * pass on a blinded trace. The trial is run again; if every try overflows,
 * the scenario's checks are errors (no points), never passes.
 */
export class WireLostError extends Error {
  override name = 'WireLostError';
  constructor(
    readonly scenario: string,
    readonly lost: number,
  ) {
    super(`the router's packet trace lost events (${lost} overflow${lost === 1 ? '' : 's'})`);
  }
}

interface TrialResult {
  evidence: unknown;
  setupMs: number;
  totalMs: number;
  /** What the learner's programs used; undefined where the driver cannot tell. */
  cpu: CpuUse | undefined;
}

/**
 * CPU the learner's programs used across every lab of a round of scenarios,
 * as CPUs on average over the round. Node's start-up (bundle loading, the
 * runner) is allowed for per program: a reference that starts five programs
 * at once is not a load; a spinner in five labs at once is most of the machine.
 */
class LearnerLoad {
  static readonly startupMs = 600;
  private readonly start = nowMs();
  private cpuMs = 0;
  private programs = 0;
  private unknown = false;

  add(cpu: CpuUse | undefined): void {
    if (!cpu) this.unknown = true;
    else {
      this.cpuMs += cpu.cpuMs;
      this.programs += cpu.programs;
    }
  }

  cpus(): number | null {
    if (this.unknown) return null;
    return Math.max(0, this.cpuMs - LearnerLoad.startupMs * this.programs) / Math.max(1, nowMs() - this.start);
  }
}

/** Tries of a trial whose trace overflows, before its checks are errors. */
export const wireTries = 3;

/** Runs a trial again while its trace overflows, up to `wireTries` tries in all. */
async function runTrialTraced(
  scenario: Scenario,
  trial: number,
  driver: LabDriver,
  programs: Programs,
  draws: Draws,
  onRetry: (what: string, tries: number) => void,
  setupGate: Gate,
): Promise<TrialResult> {
  for (let tries = 1; ; tries++) {
    try {
      return await runTrial(scenario, trial, driver, programs, draws, setupGate);
    } catch (err) {
      if (!(err instanceof WireLostError || err instanceof TraceBehindError)) throw err;
      if (tries >= wireTries) {
        throw new Error(
          `the router's packet trace overflowed or fell behind in each of ${tries} tries, so what the program sent cannot be known and the checks that read the wire are not judged. ` +
            'A program that opens connections or sends packets in a tight loop floods it: pace what you send (Part 10: backoff). ' +
            'If yours does not, the machine was too busy: grade again.',
        );
      }
      onRetry(err instanceof WireLostError ? `lost events (${err.lost})` : 'fell behind', tries + 1);
    }
  }
}

/** Tries of a scenario whose failed checks ran on a machine too busy to keep time, before they are errors. */
export const busyTries = 3;
/** A pause before such a scenario runs again, for the load to pass. */
const busyPauseMs = 1500;

type Gate = <T>(task: () => Promise<T>) => Promise<T>;

/** Runs at most `n` tasks at once, in the order they asked: trials start together but two cores run only so many labs well. */
export function limiter(n: number): Gate {
  let active = 0;
  const queue: Array<() => void> = [];
  return async (task) => {
    if (active >= n) await new Promise<void>((r) => queue.push(r));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

/** Labs at once: enough to overlap the waits, few enough that timing stays honest on two cores. */
export const labsAtOnce = Math.max(6, os.availableParallelism() * 3);

async function runTrial(
  scenario: Scenario,
  trial: number,
  driver: LabDriver,
  programs: Programs,
  draws: Draws,
  setupGate: Gate,
): Promise<TrialResult> {
  const start = nowMs();
  let lab: Awaited<ReturnType<LabDriver['create']>>;
  try {
    lab = await setupGate(() => driver.create({ ...scenario.lab, label: scenario.id }));
  } catch (err) {
    throw new LabSetupError(scenario.id, err);
  }
  const setupMs = nowMs() - start;
  let timer: NodeJS.Timeout | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`scenario ${scenario.id} did not finish within ${scenario.deadlineMs} ms`)),
        scenario.deadlineMs,
      );
    });
    const run = Promise.race([scenario.run({ lab, programs, trial, draws: draws.fork(`${scenario.id}#${trial}`) }), deadline]);
    const outcome = await run.then(
      (evidence) => ({ evidence }),
      (err: unknown) => ({ err }),
    );
    // A lost trace is tried again, also where the trial failed or overran: a flood slows the whole lab.
    const lost = lab.wireLost();
    if (lost > 0) throw new WireLostError(scenario.id, lost);
    if ('err' in outcome) throw outcome.err;
    return { evidence: outcome.evidence, setupMs, totalMs: nowMs() - start, cpu: lab.learnerCpu() };
  } finally {
    clearTimeout(timer);
    await lab.close();
  }
}

const en = {
  scenarioFailed: (p: { scenario: string; why: string }) => `the lab could not run scenario "${p.scenario}": ${p.why}`,
  noEvidence: 'no evidence',
  checkFailed: (why: string) => `the check itself failed: ${why}`,
  tooBusy: (p: { tries: number; load: string; seen: string }) =>
    `the machine was too busy to judge this in each of ${p.tries} tries (${p.load}), so it is not held against you; grade again when the machine is quieter. What was seen: ${p.seen}`,
  notCompiled: 'not run: the file does not compile',
  slotsTaken: 'other graders hold every lab slot of this machine',
  traceAgain: (what: string) => `the router's trace ${what}; running it again`,
  busyAgain: (load: string) => `the machine was too busy to judge its timing (${load}); running it again`,
};
const vi: typeof en = {
  scenarioFailed: (p) => `lab không chạy được scenario "${p.scenario}": ${p.why}`,
  noEvidence: 'không có bằng chứng',
  checkFailed: (why) => `chính check này bị lỗi: ${why}`,
  tooBusy: (p) =>
    `máy quá bận để chấm mục này trong cả ${p.tries} lần thử (${p.load}), nên bạn không bị trừ điểm; hãy chấm lại khi máy rảnh hơn. Những gì đã thấy: ${p.seen}`,
  notCompiled: 'không chạy: file không compile được',
  slotsTaken: 'các lần chấm khác đang giữ mọi slot lab của máy này',
  traceAgain: (what) => `trace của router ${what}; đang chạy lại`,
  busyAgain: (load) => `máy quá bận để chấm thời gian (${load}); đang chạy lại`,
};
/** The grade's own words about a check (the lab failed, the machine was busy), in both languages. */
const said = catalogue(en, vi);

export async function grade(opts: GradeOptions): Promise<GradeResult> {
  const { exercise, driver } = opts;
  const started = nowMs();
  const seed = opts.seed ?? newSeed();
  const draws = new Draws(seed);
  const lang: Lang = opts.lang ?? 'en';
  const planned = typeof exercise.scenarios === 'function' ? exercise.scenarios(draws) : exercise.scenarios;
  // The order scenarios start in is drawn too: nothing may rely on it.
  const scenarios = draws.shuffle(planned);
  const dir = runDir();
  try {
    let programs: Programs;
    try {
      programs = await buildPrograms(exercise, opts.file, dir);
    } catch (err) {
      if (err instanceof CompileError) return { ...compileFailure(exercise, driver.name, err, nowMs() - started, opts.lang ?? 'en'), seed, drawn: draws.drawn };
      throw err;
    }
    const evidence: EvidenceSet = {};
    const failures: Record<string, string> = {};
    const timings = new Map<string, ScenarioTiming>();
    const slot = limiter(labsAtOnce);
    const setupGate = limiter(driver.setupsAtOnce ?? Infinity);
    const watch = opts.load ?? loadWatch;
    let setupError: LabSetupError | undefined;
    const runScenario = async (scenario: Scenario, again: string | undefined) => {
      const trials = scenario.trials ?? 1;
      const timing: ScenarioTiming = { id: scenario.id, trials, setupMs: [], totalMs: [], inherentWaitMs: scenario.inherentWaitMs, runs: (timings.get(scenario.id)?.runs ?? 0) + 1 };
      timings.set(scenario.id, timing);
      delete failures[scenario.id];
      opts.progress?.(again ? { scenario: textIn(scenario.title, lang), phase: 'retry', detail: again } : { scenario: textIn(scenario.title, lang), phase: 'start' });
      const t0 = nowMs();
      const mark = watch.mark();
      try {
        // Two bounds: this grade's own labs, and the machine's lab slots shared with other graders (harness/slots.ts).
        const onWait = () => opts.progress?.({ scenario: textIn(scenario.title, lang), phase: 'wait', detail: textIn(said.slotsTaken, lang) });
        const onRetry = (what: string, tries: number) => {
          timing.traceTries = Math.max(timing.traceTries ?? 1, tries);
          opts.progress?.({ scenario: textIn(scenario.title, lang), phase: 'retry', detail: textIn(said.traceAgain(what), lang) });
        };
        const results = await Promise.all(
          Array.from({ length: trials }, (_, i) => slot(() => inSlot(() => runTrialTraced(scenario, i, driver, programs, draws, onRetry, setupGate), { onWait }))),
        );
        evidence[scenario.id] = results.map((r) => r.evidence);
        for (const r of results) round.add(r.cpu);
        timing.setupMs = results.map((r) => r.setupMs);
        timing.totalMs = results.map((r) => r.totalMs);
        opts.progress?.({ scenario: textIn(scenario.title, lang), phase: 'done', ms: nowMs() - t0 });
      } catch (err) {
        if (err instanceof LabSetupError) setupError ??= err;
        delete evidence[scenario.id];
        failures[scenario.id] = err instanceof Error ? err.message : String(err);
        timing.error = failures[scenario.id];
        opts.progress?.({ scenario: textIn(scenario.title, lang), phase: 'error', detail: failures[scenario.id] });
      } finally {
        timing.load = watch.since(mark);
      }
    };
    const judgeAll = () =>
      exercise.checks.map((check): CheckResult => {
        const base = { id: check.id, category: check.category, title: textIn(check.title, lang), maxPoints: check.points };
        const missing = check.needs.find((id) => !(id in evidence));
        if (missing) {
          return {
            ...base,
            status: 'error',
            points: 0,
            message: textIn(said.scenarioFailed({ scenario: missing, why: failures[missing] ?? said.noEvidence }), lang),
          };
        }
        try {
          const v = check.judge(evidence);
          return { ...base, status: v.pass ? 'pass' : 'fail', points: v.pass ? check.points : 0, message: textIn(v.message, lang) };
        } catch (err) {
          return { ...base, status: 'error', points: 0, message: textIn(said.checkFailed((err as Error).message), lang) };
        }
      });
    const loadOf = (id: string) => timings.get(id)?.load;
    /** The scenarios a failed check read that ran on a machine too busy to keep time (checks are in exercise.checks' order). */
    const busyNeeds = (c: CheckResult, i: number) => {
      if (c.status !== 'fail') return [];
      return exercise.checks[i]!.needs.filter((id) => {
        const l = loadOf(id);
        return l !== undefined && excusedByLoad(l);
      });
    };
    const busyBehind = (checks: CheckResult[]) => {
      const ids = new Set(checks.flatMap(busyNeeds));
      return scenarios.filter((s) => ids.has(s.id));
    };
    // The learner's own load: CPU its programs used in all the labs of a round together, beyond what node needs to start.
    let round = new LearnerLoad();
    const endRound = (ran: Scenario[]) => {
      const cpus = round.cpus();
      for (const s of ran) {
        const timing = timings.get(s.id)!;
        timing.load = { ...timing.load!, learnerCpus: cpus };
      }
      round = new LearnerLoad();
    };
    watch.start();
    let checks: CheckResult[];
    try {
      // Labs are asked for longest wait first (a stable sort keeps the drawn order among equals):
      // where the driver builds a few at a time, the longest scenario's lab is built first.
      const longestFirst = [...scenarios].sort((a, b) => b.inherentWaitMs - a.inherentWaitMs);
      await Promise.all(longestFirst.map((s) => runScenario(s, undefined)));
      endRound(scenarios);
      if (setupError) throw setupError;
      checks = judgeAll();
      for (let tries = 1; tries < busyTries; tries++) {
        const again = busyBehind(checks);
        if (again.length === 0) break;
        await new Promise((r) => setTimeout(r, busyPauseMs));
        round = new LearnerLoad();
        await Promise.all(again.map((s) => runScenario(s, textIn(said.busyAgain(describeLoad(loadOf(s.id)!)), lang))));
        endRound(again);
        if (setupError) throw setupError;
        checks = judgeAll();
      }
    } finally {
      watch.stop();
    }
    // Still failing on a machine that stayed too busy: not evidence against the learner.
    checks = checks.map((c, i) => {
      const [busy] = busyNeeds(c, i);
      if (!busy) return c;
      return {
        ...c,
        status: 'error',
        message: textIn(said.tooBusy({ tries: busyTries, load: describeLoad(loadOf(busy)!), seen: c.message }), lang),
      };
    });
    const timingList = scenarios.map((s) => timings.get(s.id)!);
    return { ...summarize(exercise, driver.name, checks, timingList, nowMs() - started), seed, drawn: draws.drawn };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function summarize(
  exercise: ExerciseDef,
  driver: string,
  checks: CheckResult[],
  timings: ScenarioTiming[],
  wallMs: number,
): Omit<GradeResult, 'seed' | 'drawn'> {
  const score = checks.reduce((s, c) => s + c.points, 0);
  const maxScore = checks.reduce((s, c) => s + c.maxPoints, 0);
  return { exercise: exercise.id, score, maxScore, passed: checks.every((c) => c.status === 'pass'), driver, checks, timings, wallMs };
}

function compileFailure(exercise: ExerciseDef, driver: string, err: CompileError, wallMs: number, lang: Lang): Omit<GradeResult, 'seed' | 'drawn'> {
  const checks = exercise.checks.map(
    (c): CheckResult => ({
      id: c.id,
      category: c.category,
      title: textIn(c.title, lang),
      status: 'error',
      points: 0,
      maxPoints: c.points,
      message: textIn(said.notCompiled, lang),
    }),
  );
  return { ...summarize(exercise, driver, checks, [], wallMs), compileError: err.messages.join('\n') };
}

/**
 * `grade` — the command learners, instructors and CI run.
 *
 *   grade [--list]                       every exercise, with the last score
 *   grade <exercise> [--file PATH | --solution] [--json] [--driver netns|docker] [--seed N]
 *   grade --all [--solution] …           every exercise, in course order
 *   grade … [--format F]... [--out DIR]  reports for CI and grading platforms (grader/formats/)
 *   grade doctor                         what this machine can run
 *
 * Exit: 0 every check passes, 1 some fail, 2 usage or environment errors or
 * the grader itself failed (with --json, then `{ "error", "exercise" }` on
 * stdout), 130 interrupted. Whatever ends a grade, its labs are closed first.
 */
import { appendFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { doctorReport, driverNames, notReadyMessage, pickDriver, type DriverName } from './drivers.ts';
import { exercises, findExercise, kitExercises } from './exercises.ts';
import { packedRefusal } from './packed.ts';
import { grade, LabSetupError, type GradeResult } from './grade.ts';
import type { LabDriver } from '../harness/lab.ts';
import { exerciseFile, solutionFile } from './paths.ts';
import { colour, humanAllTable, humanReport, inert, plain } from './report.ts';
import { formatNames, isFormat, outputFiles, render, type FormatName, type Graded } from './formats/index.ts';
import { markdownReport } from './formats/markdown.ts';
import { githubAnnotations, withoutCommands } from './formats/github.ts';
import type { ExerciseDef } from './types.ts';
import { loadScores, saveScore } from './scores.ts';
import { formatHint, hintsOf, isLang, langs, pickLang, type Lang } from './hints.ts';
import { messages } from './messages.ts';
import { watchLoop } from './watch.ts';
import { progressView, titleIn } from './progress.ts';
import { textIn } from './i18n.ts';
import { nearest } from './suggest.ts';

class UsageError extends Error {}

/** The language of every word the CLI says, known before the arguments are parsed (a usage error is said in it too). */
function earlyLang(argv: readonly string[]): Lang {
  const i = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  const flag = i < 0 ? undefined : argv[i]!.startsWith('--lang=') ? argv[i]!.slice('--lang='.length) : argv[i + 1];
  return pickLang(flag !== undefined && isLang(flag) ? flag : undefined);
}
const m = messages(earlyLang(process.argv.slice(2)));
const usage = m.usage(formatNames.join(', '));

/** What the run has reached, for the ways out: what to tear down, what to name, how to say it. */
const run: { json: boolean; exercise: string | null; driver?: LabDriver; reported: boolean } = {
  json: process.argv.slice(2).includes('--json'),
  exercise: null,
  reported: false,
};

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

let ending: Promise<never> | undefined;
/** The one way out: close every lab of this run (once, whatever ended it), then exit. */
function exit(code: number): Promise<never> {
  ending ??= (async () => {
    if (run.driver) {
      // A teardown that hangs must not keep a failed grade from ending.
      setTimeout(() => process.exit(code), 60_000);
      await run.driver.closeAll().catch((err: unknown) => console.error(`grade: ${m.notRemoved(inert(messageOf(err)))}`));
    }
    try {
      process.exit(code);
    } catch {
      // An 'exit' listener of some library threw (one a test runner injects into child processes, say),
      // and process.exit passed it on instead of exiting. Again: the listeners have run, so now it exits.
      process.exit(code);
    }
  })();
  return ending;
}

/**
 * A failure that is not a verdict on the learner's code — an exception outside
 * the per-check handling, an uncaught error, the heap running out, a machine
 * that cannot build a lab: exit 2 (never 1, which reads as a failing learner),
 * said on stderr and, with --json, as one JSON object on stdout.
 */
function failed(err: unknown): Promise<never> {
  if (ending) return ending;
  // A lab that could not be built is said in the learner's language; its cause is the system's own words.
  const message = err instanceof LabSetupError ? m.labNotSetUp(err.scenario, messageOf(err.cause)) : messageOf(err);
  if (run.json && !run.reported) console.log(JSON.stringify({ error: inert(message), exercise: run.exercise }));
  console.error(`grade: ${inert(message)}`);
  console.error(`grade: ${m.notVerdict}`);
  if (process.env.GRADE_DEBUG) console.error(err);
  return exit(2);
}

/** Where the user typed the command: `npm run grade` moves to the package root, INIT_CWD remembers. */
function invokedFrom(): string {
  return process.env.npm_lifecycle_event && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
}

const allowedExt = new Set(['.ts', '.mts', '.js', '.mjs']);

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        list: { type: 'boolean' },
        file: { type: 'string' },
        solution: { type: 'boolean' },
        json: { type: 'boolean' },
        all: { type: 'boolean' },
        format: { type: 'string', multiple: true },
        out: { type: 'string' },
        driver: { type: 'string' },
        seed: { type: 'string' },
        watch: { type: 'boolean' },
        poll: { type: 'boolean' },
        level: { type: 'string' },
        lang: { type: 'string' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The report formats a run writes, and where: one to stdout at most, the rest to files in --out. */
interface Outputs {
  /** What stdout gets: the human report, or one format. */
  stdout: 'human' | FormatName;
  /** Formats written to files, with their paths. */
  files: Array<{ format: FormatName; path: string }>;
}

function outputs(values: { json?: boolean; format?: string[]; out?: string }): Outputs {
  const asked: FormatName[] = [];
  for (const name of (values.format ?? []).flatMap((f) => f.split(',')).map((f) => f.trim()).filter(Boolean)) {
    if (!isFormat(name)) {
      const near = nearest(name, formatNames);
      throw new UsageError(m.unknownFormat(name, [...formatNames], near));
    }
    if (!asked.includes(name)) asked.push(name);
  }
  if (values.out === undefined) {
    if (values.json && asked.length > 0) throw new UsageError(m.jsonNeedsOut(asked));
    if (asked.length > 1) throw new UsageError(m.oneFormatOnStdout(asked));
    return { stdout: values.json ? 'json' : (asked[0] ?? 'human'), files: [] };
  }
  if (asked.length === 0) throw new UsageError(m.outNeedsFormat);
  const dir = path.resolve(invokedFrom(), values.out);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(m.outNotFolder(values.out));
  const files = outputFiles(asked);
  return { stdout: values.json ? 'json' : 'human', files: asked.map((format) => ({ format, path: path.join(dir, files.get(format)!) })) };
}

/** The graded file as reports name it: relative to the workspace (GitHub's, or where the command ran) when inside it. */
function reportedPath(file: string): string {
  const base = process.env.GITHUB_WORKSPACE || invokedFrom();
  const rel = path.relative(base, file);
  return rel && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}

function checkFile(file: string): void {
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(m.noSuchFile(file));
  if (!allowedExt.has(path.extname(file))) throw new UsageError(m.badExtension(file));
}

const clock = (ms: number): string => {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'pack') return (await import('./pack.ts')).packMain(argv.slice(1));
  // A repository made by `grade pack` refuses exercises it does not hold, and --solution (it has no solutions/).
  const refusal = packedRefusal(argv, kitExercises.map((e) => e.id), exercises.map((e) => e.id), earlyLang(argv));
  if (refusal) throw new UsageError(refusal);
  const { values, positionals } = parse(argv);
  run.json = values.json === true;
  const style = values['no-color'] || !process.stdout.isTTY || process.env.NO_COLOR ? plain : colour;
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (values.lang !== undefined && !isLang(values.lang)) throw new UsageError(m.badLang(langs, values.lang));
  const lang = pickLang(values.lang);
  if (positionals[0] === 'hint') return hintMain(positionals.slice(1), values.level, lang);
  if (values.level !== undefined) throw new UsageError(m.levelWithoutHint);
  if (positionals.length > 1) throw new UsageError(m.oneExercise(positionals));
  const name = positionals[0];
  if (name === 'doctor') {
    console.log(await doctorReport(lang));
    return 0;
  }
  if (values.all && name) throw new UsageError(m.allTakesNone(name));
  if (!values.all && (!name || values.list)) {
    if (values.format || values.out) throw new UsageError(m.formatNeedsGrade);
    if (values.json) {
      const scores = loadScores();
      console.log(JSON.stringify(exercises.map((e) => ({ id: e.id, title: e.title, part: e.part, lastScore: scores[e.id] ?? null }))));
    } else console.log(progressView(exercises, loadScores(), lang));
    return 0;
  }
  let targets: Array<{ exercise: ExerciseDef; file: string }>;
  if (values.all) {
    if (values.file) throw new UsageError(m.fileWithAll);
    targets = exercises.map((exercise) => ({ exercise, file: values.solution ? solutionFile(exercise.id) : exerciseFile(exercise.id) }));
  } else {
    const exercise = findExercise(name!);
    if (!exercise) {
      const near = nearest(name!, exercises.map((e) => e.id));
      throw new UsageError(m.unknownExercise(name!, near));
    }
    run.exercise = exercise.id;
    if (values.file && values.solution) throw new UsageError(m.fileWithSolution);
    const file = values.solution ? solutionFile(exercise.id) : values.file ? path.resolve(invokedFrom(), values.file) : exerciseFile(exercise.id);
    targets = [{ exercise, file }];
  }
  if (values.watch) {
    if (values.all) throw new UsageError(m.watchOne);
    if (values.json || values.format || values.out) throw new UsageError(m.watchHuman);
    if (values.solution) throw new UsageError(m.watchSolution);
  } else if (values.poll) throw new UsageError(m.pollWithoutWatch);
  // A missing exercise file with --all is an error, never a smaller total: a grade of "every exercise" covers every one.
  for (const t of targets) checkFile(t.file);
  if (values.driver && !driverNames.includes(values.driver as DriverName)) {
    throw new UsageError(m.unknownDriver(values.driver, driverNames));
  }

  let seed: number | undefined;
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (!/^\d+$/.test(values.seed) || !Number.isSafeInteger(seed) || seed < 1 || seed >= 2 ** 31) {
      throw new UsageError(m.badSeed(2 ** 31 - 1, values.seed));
    }
  }
  const out = outputs(values);
  run.json = out.stdout === 'json'; // `--format json` alone on stdout holds to --json's contract, errors included
  for (const dir of new Set(out.files.map((f) => path.dirname(f.path)))) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw new UsageError(m.outCannotMake(dir, messageOf(err)));
    }
  }

  const picked = await pickDriver(values.driver as DriverName | undefined);
  if ('problems' in picked) {
    // Asked for a driver: every reason it cannot run. Not asked: the one thing to do (grade doctor says the rest).
    const problems = values.driver
      ? `${m.cannotGrade}\n` + picked.problems.map((p) => `  - ${textIn(p, lang)}`).join('\n')
      : notReadyMessage(['npx grade', ...argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))].join(' '), lang);
    if (run.json) console.log(JSON.stringify({ error: problems, exercise: targets.length === 1 ? targets[0]!.exercise.id : null }));
    console.error(problems);
    return 2;
  }
  const { driver } = picked;
  run.driver = driver;
  // Test hook (test/grader-survives.test.ts), read nowhere else: GRADE_TEST_CRASH makes the grader
  // itself fail on purpose. `1`: a throw here, once the driver is picked; `lab`: an uncaught throw
  // once a scenario is done (other labs still up); `oom`: the heap filling up while labs run.
  const crashTest = process.env.GRADE_TEST_CRASH;
  if (crashTest === '1') throw new Error('GRADE_TEST_CRASH=1: the grader failed on purpose');
  // V8 aborts (no cleanup, exit 134) when the heap is full: give up, as a failed grader, before that.
  // (heap_size_limit counts the young generation too, ~48 MB that old objects never get.)
  const heapWatch = setInterval(() => {
    const { used_heap_size: used, heap_size_limit: limit } = getHeapStatistics();
    if (used > 0.8 * limit) {
      clearInterval(heapWatch);
      void failed(new Error(`the grader is out of memory (${Math.round(used / 2 ** 20)} of ${Math.round(limit / 2 ** 20)} MB of heap)`));
    }
  }, 50);
  heapWatch.unref();
  await driver.reapStale();
  let interrupted = false;
  const stop = (sig: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\n${m.interrupted(sig)}\n`);
    void exit(130);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop);

  // Progress only on a terminal, and never when stdout carries a format a program reads.
  const showProgress = out.stdout === 'human' && process.stderr.isTTY;
  let crashArmed = crashTest === 'lab' || crashTest === 'oom';
  let waitShown = false;
  const progress = (e: Parameters<NonNullable<Parameters<typeof grade>[0]['progress']>>[0]) => {
    if (crashArmed && e.phase === (crashTest === 'lab' ? 'done' : 'start')) {
      crashArmed = false;
      const hog: number[][] = [];
      if (crashTest === 'oom') setInterval(() => ending || hog.push(new Array<number>(1 << 18).fill(7)), 5);
      else
        setImmediate(() => {
          throw new Error('GRADE_TEST_CRASH=lab: the grader failed on purpose');
        });
    }
    if (!showProgress) return;
    if (e.phase === 'start') process.stderr.write(style.dim(inert(`  … ${e.scenario}`) + '\n'));
    if (e.phase === 'wait' && !waitShown) {
      waitShown = true;
      process.stderr.write(style.dim(`  … ${m.waitingForLab(e.detail ?? '')}\n`));
    }
    if (e.phase === 'retry') process.stderr.write(style.dim(inert(`  … ${e.scenario}: ${e.detail}`) + '\n'));
    if (e.phase === 'error') process.stderr.write(style.yellow(inert(`  ! ${e.scenario}: ${e.detail}`) + '\n'));
  };

  const actions = process.env.GITHUB_ACTIONS === 'true';
  /** In GitHub Actions, learner text on stdout is fenced off from the runner's command parsing (formats/github.ts). */
  const printHuman = (text: string) => console.log(actions ? withoutCommands(text, randomBytes(16).toString('hex')) : text);
  const started = Date.now();
  /** Grades one target and records the learner's progress; null once the run is ending (Ctrl-C, a failed grader). */
  const gradeOne = async (exercise: ExerciseDef, file: string): Promise<GradeResult | null> => {
    const result: GradeResult = await grade({ exercise, file, driver, seed, progress, lang });
    if (interrupted || ending) return null;
    // The learner's progress: only a grade of its own exercises/<id>/index.ts — not --solution, not any --file.
    if (!values.solution && !values.file) {
      try {
        saveScore(exercise.id, file, { score: result.score, maxScore: result.maxScore, at: new Date().toISOString() });
      } catch (err) {
        console.error(`grade: ${m.notSaved(inert(messageOf(err)))}`);
      }
    }
    return result;
  };
  if (values.watch) {
    const { exercise, file } = targets[0]!;
    const hints = hintsOf(exercise.id, lang);
    const code = await watchLoop({
      file,
      poll: values.poll,
      words: messages(lang).watch,
      hint: (level) => ({ text: formatHint(exercise.id, hints, level, lang, true), count: hints.length }),
      gradeOnce: async () => {
        const result = await gradeOne(exercise, file);
        if (!result) return new Promise<never>(() => {}); // the run is ending: its exit status stands
        printHuman(humanReport(result, titleIn(exercise, lang).title, style, lang));
        return result;
      },
    });
    return interrupted ? 130 : code;
  }
  const graded: Graded[] = [];
  for (const [i, { exercise, file }] of targets.entries()) {
    run.exercise = exercise.id;
    if (showProgress && values.all) {
      process.stderr.write(style.bold(`[${i + 1}/${targets.length}] ${exercise.id}`) + style.dim(` — ${exercise.title}  ${m.elapsed(clock(Date.now() - started))}`) + '\n');
    }
    const result = await gradeOne(exercise, file);
    if (!result) return interrupted ? 130 : 2; // failed() is already closing the labs; its exit status stands
    if (showProgress && values.all) process.stderr.write(style.dim(`  ${m.scoreIn(`${result.score}/${result.maxScore}`, (result.wallMs / 1000).toFixed(1))}\n`));
    graded.push({ result, file: reportedPath(file), title: exercise.title });
    if (out.stdout === 'human') printHuman(humanReport(result, titleIn(exercise, lang).title, style, lang) + (values.all ? '\n' : ''));
  }
  clearInterval(heapWatch);
  const all = values.all === true;
  // Files first: one that cannot be written is a failure (exit 2) said before any report reaches stdout.
  for (const f of out.files) writeFileSync(f.path, render(f.format, graded, all));
  if (out.stdout === 'human') {
    if (all) printHuman(humanAllTable(graded.map((g) => g.result), style, lang));
  } else process.stdout.write(render(out.stdout, graded, all));
  run.reported = true;
  if (actions) reportToActions(graded, out.stdout === 'human');
  return graded.every((g) => g.result.passed) ? 0 : 1;
}

/** `grade hint <exercise> [--level N]`: one hint, in the learner's language, and the command for the next. */
function hintMain(args: string[], level: string | undefined, lang: ReturnType<typeof pickLang>): number {
  if (args.length !== 1) throw new UsageError(m.hintOneExercise);
  const exercise = findExercise(args[0]!);
  if (!exercise) {
    const near = nearest(args[0]!, exercises.map((e) => e.id));
    throw new UsageError(m.unknownExercise(args[0]!, near));
  }
  const hints = hintsOf(exercise.id, lang);
  const n = level === undefined ? 1 : Number(level);
  if (!Number.isInteger(n) || n < 1 || n > Math.max(hints.length, 1)) throw new UsageError(m.badLevel(hints.length, String(level)));
  console.log(formatHint(exercise.id, hints, n, lang));
  return 0;
}

/**
 * In GitHub Actions: the markdown summary appended to the job summary, and an
 * `::error` annotation per check that did not pass (on stdout with the human
 * report; on stderr when stdout carries a format, which must stay only that).
 * Neither may change the grade's exit status: a summary that cannot be
 * written is said on stderr.
 */
function reportToActions(graded: Graded[], onStdout: boolean): void {
  const summary = process.env.GITHUB_STEP_SUMMARY;
  if (summary) {
    try {
      appendFileSync(summary, markdownReport(graded) + '\n');
    } catch (err) {
      console.error(`grade: ${m.summaryNotWritten(inert(messageOf(err)))}`);
    }
  }
  const lines = githubAnnotations(graded);
  if (lines.length > 0) (onStdout ? process.stdout : process.stderr).write(lines.join('\n') + '\n');
}

process.on('uncaughtException', (err) => void failed(err));
process.on('unhandledRejection', (reason) => void failed(reason));

main(process.argv.slice(2)).then(
  (code) => exit(code),
  (err: unknown) => {
    if (!(err instanceof UsageError)) return failed(err);
    if (run.json) console.log(JSON.stringify({ error: inert(err.message), exercise: run.exercise }));
    console.error(`grade: ${inert(err.message)}\n\n${usage}`);
    return exit(2);
  },
);

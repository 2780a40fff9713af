/**
 * `grade` — the command learners, instructors and CI run.
 *
 *   grade [--list]                       every exercise, with the last score
 *   grade <exercise> [--file PATH | --solution] [--json] [--driver netns|docker] [--seed N]
 *   grade doctor                         what this machine can run
 *
 * Exit: 0 every check passes, 1 some fail, 2 usage or environment errors or
 * the grader itself failed (with --json, then `{ "error", "exercise" }` on
 * stdout), 130 interrupted. Whatever ends a grade, its labs are closed first.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { doctorReport, driverNames, pickDriver, type DriverName } from './drivers.ts';
import { exercises, findExercise } from './exercises.ts';
import { grade } from './grade.ts';
import type { LabDriver } from '../harness/lab.ts';
import { exerciseFile, solutionFile } from './paths.ts';
import { colour, humanReport, inert, jsonReport, plain } from './report.ts';
import { loadScores, saveScore } from './scores.ts';
import { nearest } from './suggest.ts';

class UsageError extends Error {}

const usage = `Usage:
  grade [--list]                         list the exercises and your last scores
  grade <exercise> [options]             grade exercises/<exercise>/index.ts
  grade doctor                           show what this machine can run

Options:
  --file PATH        grade this file instead (.ts .mts .js .mjs; Node built-ins only)
  --solution         grade the reference solution
  --json             print one JSON object on stdout
  --driver NAME      lab driver: netns or docker (default: the first this machine supports)
  --seed N           repeat the draws of an earlier run (its report prints the seed)
  --no-color         plain output
  -h, --help         this text

Exit status:
  0    every check passes
  1    some check fails, or your file does not compile
  2    a usage or environment error, or the grader itself failed (not a verdict
       on your code); with --json, stdout then holds {"error": "...", "exercise": "<id>"}
  130  interrupted (Ctrl-C)`;

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
      await run.driver.closeAll().catch((err: unknown) => console.error(`grade: could not remove every lab: ${inert(messageOf(err))}`));
    }
    process.exit(code);
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
  const message = messageOf(err);
  if (run.json && !run.reported) console.log(JSON.stringify({ error: inert(message), exercise: run.exercise }));
  console.error(`grade: ${inert(message)}`);
  console.error('grade: this is a failure of the grader or of this machine, not a verdict on your code (exit 2).');
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
        driver: { type: 'string' },
        seed: { type: 'string' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function list(): string {
  const scores = loadScores();
  const width = Math.max(...exercises.map((e) => e.id.length));
  const lines = ['Exercises (grade <exercise> to grade your exercises/<exercise>/index.ts):', ''];
  for (const e of exercises) {
    const s = scores[e.id];
    const score = s ? `${s.score}/${s.maxScore}` : 'not graded yet';
    lines.push(`  ${e.id.padEnd(width)}  ${e.title} — ${e.part}  [${score}]`);
  }
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  run.json = values.json === true;
  const style = values['no-color'] || !process.stdout.isTTY || process.env.NO_COLOR ? plain : colour;
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`one exercise at a time (got ${positionals.join(', ')})`);
  const name = positionals[0];
  if (name === 'doctor') {
    console.log(await doctorReport());
    return 0;
  }
  if (!name || values.list) {
    if (values.json) {
      const scores = loadScores();
      console.log(JSON.stringify(exercises.map((e) => ({ id: e.id, title: e.title, part: e.part, lastScore: scores[e.id] ?? null }))));
    } else console.log(list());
    return 0;
  }
  const exercise = findExercise(name);
  if (!exercise) {
    const near = nearest(name, exercises.map((e) => e.id));
    throw new UsageError(
      `unknown exercise "${name}".` + (near.length ? ` Did you mean: ${near.join(', ')}?` : '') + ' Run `grade --list` to see them all.',
    );
  }
  run.exercise = exercise.id;
  if (values.file && values.solution) throw new UsageError('--file and --solution do not go together');
  const file = values.solution ? solutionFile(exercise.id) : values.file ? path.resolve(invokedFrom(), values.file) : exerciseFile(exercise.id);
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`no such file: ${file}`);
  if (!allowedExt.has(path.extname(file))) throw new UsageError(`${file}: expected a .ts, .mts, .js or .mjs file`);
  if (values.driver && !driverNames.includes(values.driver as DriverName)) {
    throw new UsageError(`unknown driver "${values.driver}": use one of ${driverNames.join(', ')}`);
  }

  let seed: number | undefined;
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (!/^\d+$/.test(values.seed) || !Number.isSafeInteger(seed) || seed < 1 || seed >= 2 ** 31) {
      throw new UsageError(`--seed takes a whole number from 1 to ${2 ** 31 - 1} (the one a report printed), not "${values.seed}"`);
    }
  }

  const picked = await pickDriver(values.driver as DriverName | undefined);
  if ('problems' in picked) {
    const problems = 'Cannot grade on this machine:\n' + picked.problems.map((p) => `  - ${p}`).join('\n');
    if (run.json) console.log(JSON.stringify({ error: problems, exercise: exercise.id }));
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
    process.stderr.write(`\n${sig}: removing the labs…\n`);
    void exit(130);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop);

  const showProgress = !values.json && process.stderr.isTTY;
  let crashArmed = crashTest === 'lab' || crashTest === 'oom';
  let waitShown = false;
  const result = await grade({
    exercise,
    file,
    driver,
    seed,
    progress: (e) => {
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
        process.stderr.write(style.dim(`  … waiting for a lab: ${e.detail}\n`));
      }
      if (e.phase === 'retry') process.stderr.write(style.dim(inert(`  … ${e.scenario}: ${e.detail}`) + '\n'));
      if (e.phase === 'error') process.stderr.write(style.yellow(inert(`  ! ${e.scenario}: ${e.detail}`) + '\n'));
    },
  });
  clearInterval(heapWatch);
  if (interrupted) return 130;
  if (ending) return 2; // failed() is already closing the labs; its exit status stands
  // The learner's progress: only a grade of its own exercises/<id>/index.ts — not --solution, not any --file.
  if (!values.solution && !values.file) {
    try {
      saveScore(exercise.id, file, { score: result.score, maxScore: result.maxScore, at: new Date().toISOString() });
    } catch (err) {
      console.error(`grade: your score could not be saved: ${inert(messageOf(err))}`);
    }
  }
  if (values.json) console.log(JSON.stringify(jsonReport(result)));
  else console.log(humanReport(result, exercise.title, style));
  run.reported = true;
  return result.passed ? 0 : 1;
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

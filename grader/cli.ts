/**
 * `grade` — the command learners, instructors and CI run.
 *
 *   grade [--list]                       every exercise, with the last score
 *   grade <exercise> [--file PATH | --solution] [--json] [--driver netns|docker] [--seed N]
 *   grade doctor                         what this machine can run
 *
 * Exit: 0 every check passes, 1 some fail, 2 usage or environment errors.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { doctorReport, driverNames, pickDriver, type DriverName } from './drivers.ts';
import { exercises, findExercise } from './exercises.ts';
import { grade } from './grade.ts';
import { exerciseFile, solutionFile } from './paths.ts';
import { colour, humanReport, jsonReport, plain } from './report.ts';
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
  -h, --help         this text`;

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
    console.error('Cannot grade on this machine:\n' + picked.problems.map((p) => `  - ${p}`).join('\n'));
    return 2;
  }
  const { driver } = picked;
  await driver.reapStale();
  let interrupted = false;
  const stop = (sig: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\n${sig}: removing the labs…\n`);
    void driver.closeAll().finally(() => process.exit(130));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop);

  const showProgress = !values.json && process.stderr.isTTY;
  const result = await grade({
    exercise,
    file,
    driver,
    seed,
    progress: (e) => {
      if (!showProgress) return;
      if (e.phase === 'start') process.stderr.write(style.dim(`  … ${e.scenario}\n`));
      if (e.phase === 'error') process.stderr.write(style.yellow(`  ! ${e.scenario}: ${e.detail}\n`));
    },
  });
  if (interrupted) return 130;
  if (values.json) console.log(JSON.stringify(jsonReport(result)));
  else console.log(humanReport(result, exercise.title, style));
  if (!values.solution) saveScore(exercise.id, { score: result.score, maxScore: result.maxScore, at: new Date().toISOString() });
  return result.passed ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`grade: ${err.message}\n\n${usage}`);
      process.exit(2);
    }
    console.error(`grade: ${(err as Error).message ?? err}`);
    if (process.env.GRADE_DEBUG) console.error(err);
    process.exit(2);
  },
);

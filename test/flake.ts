/**
 * `npm run flake`: the flake budget. Grades every reference N times in a row
 * and counts anything short of full marks; with --busy a spinning process
 * keeps one core occupied meanwhile. Every run draws a new seed (printed with
 * any miss, so `grade <exercise> --solution --seed N` replays it).
 *
 *   npm run flake -- [--runs 20] [--busy] [--exercise ID] [--driver netns|docker] [--variants|--mutants]
 *
 * With --mutants it grades every mutant instead, once per run at a new seed, and
 * counts the runs where a mutant did not fail exactly the checks it declares
 * (`// fails:`): "every mutant is caught at each of N seeds". With --variants
 * it grades every correct variant (test/variants/) N times and counts the runs
 * short of full marks, as for the references.
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { exercises } from '../grader/exercises.ts';
import { grade } from '../grader/grade.ts';
import { pickDriver, type DriverName } from '../grader/drivers.ts';
import { solutionFile } from '../grader/paths.ts';
import { mutantsOf, variantsOf } from './lib/mutants.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    busy: { type: 'boolean' },
    exercise: { type: 'string' },
    driver: { type: 'string' },
    variants: { type: 'boolean' },
    mutants: { type: 'boolean' },
  },
});
const picked = await pickDriver(values.driver as DriverName | undefined);
if ('problems' in picked) {
  console.error(picked.problems.join('\n'));
  process.exit(2);
}
const { driver } = picked;
await driver.reapStale();
const spinner = values.busy ? spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }) : undefined;
let bad = 0;
try {
  for (const ex of exercises.filter((e) => !values.exercise || e.id === values.exercise)) {
    if (values.mutants) {
      for (const m of mutantsOf(ex.id)) {
        const misses: string[] = [];
        for (let i = 0; i < Number(values.runs); i++) {
          const r = await grade({ exercise: ex, file: m.file, driver });
          const failed = r.checks.filter((c) => c.status !== 'pass').map((c) => c.id).sort();
          const expected = [...m.fails].sort();
          if (failed.join(',') !== expected.join(',')) misses.push(`seed ${r.seed}: failed [${failed.join(', ')}], declares [${expected.join(', ')}]`);
        }
        bad += misses.length;
        console.log(`${ex.id}/${m.name}`.padEnd(52) + ` caught exactly ${Number(values.runs) - misses.length}/${values.runs}${values.busy ? ' (other core busy)' : ''}`);
        for (const line of misses) console.log(`  ${line}`);
      }
      continue;
    }
    if (values.variants) {
      for (const v of variantsOf(ex.id)) {
        const misses: string[] = [];
        for (let i = 0; i < Number(values.runs); i++) {
          const r = await grade({ exercise: ex, file: v.file, driver });
          if (r.score !== r.maxScore) {
            misses.push(`seed ${r.seed}: ${shortOf(r)}`);
          }
        }
        bad += misses.length;
        console.log(`${ex.id}/${v.name}`.padEnd(52) + ` ${Number(values.runs) - misses.length}/${values.runs} full${values.busy ? ' (other core busy)' : ''}`);
        for (const line of misses) console.log(`  ${line}`);
      }
      continue;
    }
    const misses: string[] = [];
    const walls: number[] = [];
    const lags: number[] = [];
    const pressures: number[] = [];
    for (let i = 0; i < Number(values.runs); i++) {
      const r = await grade({ exercise: ex, file: solutionFile(ex.id), driver });
      walls.push(r.wallMs);
      for (const t of r.timings) {
        if (t.load) lags.push(t.load.lagMs);
        if (t.load?.pressure != null) pressures.push(t.load.pressure);
      }
      if (r.score !== r.maxScore) {
        misses.push(`run ${i + 1} (seed ${r.seed}): ${shortOf(r)}`);
      }
    }
    bad += misses.length;
    const max = Math.max(...walls);
    console.log(
      `${ex.id.padEnd(20)} ${Number(values.runs) - misses.length}/${values.runs} full${values.busy ? ' (other core busy)' : ''}, wall max ${max.toFixed(0)} ms; ` +
        `load per scenario: timer lateness max ${Math.max(0, ...lags).toFixed(0)} ms (p90 ${quantile(lags, 0.9).toFixed(0)}), ` +
        (pressures.length ? `CPU pressure max ${(Math.max(...pressures) * 100).toFixed(0)}% (p90 ${(quantile(pressures, 0.9) * 100).toFixed(0)}%)` : 'no PSI'),
    );
    for (const m of misses) console.log(`  ${m}`);
  }
} finally {
  spinner?.kill('SIGKILL');
}
process.exit(bad ? 1 : 0);

/** A grade short of full marks: its score and every check it did not pass, with the check's message. */
function shortOf(r: Awaited<ReturnType<typeof grade>>): string {
  return `${r.score}/${r.maxScore} — ${r.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message}`).join(' | ')}`;
}

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * The kit's own proof for one exercise: the reference scores full, the stub
 * scores 0, every correct variant scores full, and every mutant fails exactly
 * the checks it declares.
 *
 * The CI plan (README, "Tests"): references, stubs and variants run under
 * every driver; mutants, the bulk of the grades, run under one driver (netns,
 * the faster) unless CONFORMANCE=full asks for the whole matrix
 * (`npm run test:full`). Grades run a few at once (NETPROG_TEST_JOBS). A mutant proves a check; the check is the same code
 * under both drivers, and the drivers' equivalence is what the references,
 * stubs, variants and the lab tests prove.
 *
 * GRADE_DRIVER=<name> picks one driver. Under CI=true a driver that cannot
 * run is a failure, never a silent skip.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { driverNames, makeDriver, type DriverName } from '../../grader/drivers.ts';
import { findExercise } from '../../grader/exercises.ts';
import { exerciseFile, solutionFile } from '../../grader/paths.ts';
import { failures, gradeFile, pooled } from './grade.ts';
import type { CheckResult } from '../../grader/types.ts';
import { mutantsOf, variantsOf } from './mutants.ts';

/** The driver mutants run under when not the full matrix. */
export const mutantDriver: DriverName = 'netns';

/** The drivers this run tests: the requested one, or every one this machine runs (all of them under CI). */
export async function testedDrivers(): Promise<DriverName[]> {
  const requested = process.env.GRADE_DRIVER as DriverName | undefined;
  if (requested && !driverNames.includes(requested)) throw new Error(`GRADE_DRIVER=${requested}: no such driver`);
  const out: DriverName[] = [];
  for (const name of requested ? [requested] : driverNames) {
    const status = await makeDriver(name).status();
    if (status.usable) out.push(name);
    else if (requested || process.env.CI === 'true') t.fail(`driver ${name} cannot run here: ${status.problems.join('; ')}`);
    else t.comment(`driver ${name} not usable here, not tested: ${status.problems.join('; ')}`);
  }
  return out;
}

/**
 * A failed check that stayed failed on a machine too busy to keep time is an
 * error by design (grader/grade.ts, busyTries): no points, as a fail, and not
 * a fault of the harness. Said in the output, so a detector that fires on a
 * quiet machine shows.
 */
function busyError(t: { comment: (msg: string) => void }, c: CheckResult): boolean {
  if (c.status !== 'error' || !/too busy to judge this/.test(c.message)) return false;
  t.comment(`${c.id}: an error, not a fail, because the machine was too busy: ${c.message.slice(0, 160)}`);
  return true;
}

type Job =
  | { driver: DriverName; kind: 'reference'; file: string }
  | { driver: DriverName; kind: 'stub'; file: string }
  | { driver: DriverName; kind: 'variant'; file: string; name: string; description: string }
  | { driver: DriverName; kind: 'mutant'; file: string; name: string; description: string; fails: string[] };

export async function conformance(exerciseId: string): Promise<void> {
  const exercise = findExercise(exerciseId);
  if (!exercise) throw new Error(`no exercise ${exerciseId}`);
  const full = process.env.CONFORMANCE === 'full';
  const drivers = await testedDrivers();
  const ids = exercise.checks.map((c) => c.id);
  const mutants = mutantsOf(exercise.id);

  t.test('mutants are well formed and cover every check', async (t) => {
    t.ok(mutants.length >= 5, `at least 5 mutants (has ${mutants.length})`);
    for (const m of mutants) for (const id of m.fails) t.ok(ids.includes(id), `${m.name} declares a real check: ${id}`);
    const covered = new Set(mutants.flatMap((m) => m.fails));
    for (const id of ids) t.ok(covered.has(id), `some mutant fails ${id}`);
  });

  t.test('the learner has a README, a stub and a reference', async (t) => {
    const readme = path.join(path.dirname(exerciseFile(exercise.id)), 'README.md');
    t.ok(existsSync(readme), `exercises/${exercise.id}/README.md exists`);
    if (existsSync(readme)) t.match(readFileSync(readme, 'utf8'), `npx grade ${exercise.id}`, 'the README says how to grade');
    t.ok(existsSync(exerciseFile(exercise.id)), 'the stub exists');
    t.ok(existsSync(solutionFile(exercise.id)), 'the reference exists');
  });

  const mutantsUnder = (driver: DriverName) => full || driver === mutantDriver || !drivers.includes(mutantDriver);
  const jobs: Job[] = drivers.flatMap((driver): Job[] => [
    { driver, kind: 'reference', file: solutionFile(exercise.id) },
    { driver, kind: 'stub', file: exerciseFile(exercise.id) },
    ...variantsOf(exercise.id).map((v): Job => ({ driver, kind: 'variant', file: v.file, name: v.name, description: v.description })),
    ...(mutantsUnder(driver) ? mutants.map((m): Job => ({ driver, kind: 'mutant', file: m.file, name: m.name, description: m.description, fails: m.fails })) : []),
  ]);
  // Graded up front, a few at once (test/lib/grade.ts, testJobs); asserted below in a fixed order.
  const results = await pooled(jobs, (job) => gradeFile(exercise.id, job.file, job.driver));

  for (const driver of drivers) {
    t.test(`driver ${driver}`, async (t) => {
      if (!mutantsUnder(driver)) t.comment(`mutants run under ${mutantDriver} (CONFORMANCE=full runs them under every driver)`);
      jobs.forEach((job, i) => {
        if (job.driver !== driver) return;
        const settled = results[i]!;
        const title =
          job.kind === 'reference' ? 'reference scores full'
          : job.kind === 'stub' ? 'stub scores 0'
          : job.kind === 'variant' ? `variant ${job.name}: ${job.description}`
          : `mutant ${job.name}: ${job.description}`;
        t.test(title, async (t) => {
          if (!settled.ok) {
            t.fail(`grading threw: ${(settled.error as Error)?.stack ?? settled.error}`);
            return;
          }
          const r = settled.value;
          switch (job.kind) {
            case 'reference':
              t.equal(r.score, r.maxScore, `seed ${r.seed}\n${failures(r)}`);
              t.ok(r.passed);
              break;
            case 'stub':
              t.equal(r.score, 0, `seed ${r.seed}: ` + r.checks.filter((c) => c.points > 0).map((c) => c.id).join(', '));
              t.ok(r.checks.every((c) => c.status === 'fail' || busyError(t, c)), 'every check fails (none errors)');
              break;
            case 'variant':
              t.equal(r.score, r.maxScore, `a correct variant scores full (seed ${r.seed})\n${failures(r)}`);
              break;
            case 'mutant': {
              const failed = r.checks.filter((c) => c.status !== 'pass').map((c) => c.id).sort();
              t.same(failed, [...job.fails].sort(), `fails exactly what it declares (seed ${r.seed})\n${failures(r)}`);
              t.ok(r.checks.every((c) => c.status !== 'error' || busyError(t, c)), 'no check errors');
              break;
            }
          }
        });
      });
    });
  }
}

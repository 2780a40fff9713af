/**
 * The kit's own proof, per exercise and per driver, from the same code: the
 * reference scores full, the stub scores 0, every correct variant scores
 * full, and every mutant fails exactly the checks it declares.
 * Every driver this machine can run is tested; GRADE_DRIVER=<name> picks one,
 * GRADE_EXERCISE=<id> narrows it to one exercise.
 */
import t from 'tap';
import { driverNames, makeDriver, type DriverName } from '../grader/drivers.ts';
import { exercises } from '../grader/exercises.ts';
import { exerciseFile, solutionFile } from '../grader/paths.ts';
import { failures, gradeFile } from './lib/grade.ts';
import { mutantsOf, variantsOf } from './lib/mutants.ts';

const only = process.env.GRADE_EXERCISE;
const requested = process.env.GRADE_DRIVER as DriverName | undefined;
const drivers: DriverName[] = [];
for (const name of requested ? [requested] : driverNames) {
  const status = await makeDriver(name).status();
  if (status.usable) drivers.push(name);
  else if (requested) throw new Error(`GRADE_DRIVER=${name} is not usable here: ${status.problems.join('; ')}`);
  else t.comment(`driver ${name} not usable here, not tested: ${status.problems.join('; ')}`);
}
t.ok(drivers.length > 0, `some driver runs here (${drivers.join(', ') || 'none'})`);

for (const driver of drivers) {
  t.test(`driver ${driver}`, async (t) => {
    for (const exercise of exercises.filter((e) => !only || e.id === only)) {
      t.test(exercise.id, async (t) => {
        const ids = exercise.checks.map((c) => c.id);
        const mutants = mutantsOf(exercise.id);

        t.test('reference scores full', async (t) => {
          const r = await gradeFile(exercise.id, solutionFile(exercise.id), driver);
          t.equal(r.score, r.maxScore, failures(r));
          t.ok(r.passed);
        });

        t.test('stub scores 0', async (t) => {
          const r = await gradeFile(exercise.id, exerciseFile(exercise.id), driver);
          t.equal(r.score, 0, r.checks.filter((c) => c.points > 0).map((c) => c.id).join(', '));
          t.ok(r.checks.every((c) => c.status === 'fail'), 'every check fails (none errors)');
        });

        t.test('mutants are well formed and cover every check', async (t) => {
          t.ok(mutants.length >= 5, `at least 5 mutants (has ${mutants.length})`);
          for (const m of mutants) for (const id of m.fails) t.ok(ids.includes(id), `${m.name} declares a real check: ${id}`);
          const covered = new Set(mutants.flatMap((m) => m.fails));
          for (const id of ids) t.ok(covered.has(id), `some mutant fails ${id}`);
        });

        for (const v of variantsOf(exercise.id)) {
          t.test(`variant ${v.name}: ${v.description}`, async (t) => {
            const r = await gradeFile(exercise.id, v.file, driver);
            t.equal(r.score, r.maxScore, `a correct variant scores full\n${failures(r)}`);
          });
        }

        for (const m of mutants) {
          t.test(`mutant ${m.name}: ${m.description}`, async (t) => {
            const r = await gradeFile(exercise.id, m.file, driver);
            const failed = r.checks.filter((c) => c.status !== 'pass').map((c) => c.id).sort();
            t.same(failed, [...m.fails].sort(), `fails exactly what it declares\n${failures(r)}`);
            t.ok(r.checks.every((c) => c.status !== 'error'), 'no check errors');
          });
        }
      });
    }
  });
}

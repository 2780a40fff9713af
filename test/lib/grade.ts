/** Grading from tests: the same path as the CLI, with the driver the machine supports. */
import { pickDriver } from '../../grader/drivers.ts';
import { grade, type GradeResult } from '../../grader/grade.ts';
import { findExercise } from '../../grader/exercises.ts';
import type { LabDriver } from '../../harness/lab.ts';
import type { DriverName } from '../../grader/drivers.ts';

const drivers = new Map<string, Promise<LabDriver>>();

export function testDriver(name: DriverName = (process.env.GRADE_DRIVER as DriverName | undefined) ?? 'netns'): Promise<LabDriver> {
  let d = drivers.get(name);
  if (!d) {
    d = pickDriver(name).then(async (picked) => {
      if ('problems' in picked) throw new Error(`driver ${name} is not usable here:\n${picked.problems.join('\n')}`);
      await picked.driver.reapStale();
      return picked.driver;
    });
    drivers.set(name, d);
  }
  return d;
}

export async function gradeFile(exerciseId: string, file: string, driverName?: DriverName, seed?: number): Promise<GradeResult> {
  const exercise = findExercise(exerciseId);
  if (!exercise) throw new Error(`no exercise ${exerciseId}`);
  return grade({ exercise, file, driver: await testDriver(driverName), seed });
}

/** One line per non-passing check, for assertion messages. */
export function failures(r: GradeResult): string {
  return r.checks
    .filter((c) => c.status !== 'pass')
    .map((c) => `${c.id} [${c.status}]: ${c.message}`)
    .join('\n');
}

/**
 * How many grades the suite runs at once (NETPROG_TEST_JOBS, default 2). Grades
 * spend most of their time waiting by design (timeouts, backoff, drains), so two
 * at once on a 2-core machine halve the suite's time; every grade is then one
 * beside another, as on a shared CI runner — the references' flake budget
 * (`npm run flake -- --busy`) is measured beside a spinning core, which is busier.
 */
export const testJobs = Math.max(1, Number(process.env.NETPROG_TEST_JOBS ?? 2) || 1);

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Runs `work` over `items`, at most `jobs` at a time, in order of start; the
 * results come back in the items' order, each settled (one job's throw never
 * stops the others).
 */
export async function pooled<I, T>(items: I[], work: (item: I) => Promise<T>, jobs = testJobs): Promise<Array<Settled<T>>> {
  const out = new Array<Settled<T>>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        out[i] = { ok: true, value: await work(items[i]!) };
      } catch (error) {
        out[i] = { ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
  return out;
}

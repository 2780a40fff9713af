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

// A lab that cannot be built is the machine's problem, not the learner's:
// one error (the CLI prints it once and exits 2), not a failed check per scenario.
import t from 'tap';
import { grade, LabSetupError } from '../grader/grade.ts';
import { findExercise } from '../grader/exercises.ts';
import { solutionFile } from '../grader/paths.ts';
import type { LabDriver } from '../harness/lab.ts';

const broken: LabDriver = {
  name: 'docker',
  status: async () => ({ usable: true, problems: [], notes: [] }),
  reapStale: async () => {},
  create: async () => {
    throw new Error('the lab image netprog-grade-lab could not be built: debootstrap failed');
  },
  closeAll: async () => {},
};

t.test('grade() raises one LabSetupError when no lab can be built', async (t) => {
  const exercise = findExercise('connect-timeout')!;
  const outcome = await grade({ exercise, file: solutionFile('connect-timeout'), driver: broken }).catch((err: unknown) => err);
  t.ok(outcome instanceof LabSetupError, 'a LabSetupError, not a result with per-check errors');
  t.match((outcome as Error).message, /lab could not be set up .*debootstrap failed/);
});

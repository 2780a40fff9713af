/**
 * Exercism's test runner interface, version 3
 * (https://exercism.org/docs/building/tooling/test-runners/interface,
 * github.com/exercism/docs building/tooling/test-runners/interface.md):
 * `version`, `status` ("pass" | "fail" | "error": error when no test ran
 * cleanly, with a top-level `message` saying why), `message` (null
 * otherwise), and `tests[]` in the tests' order with `name`, `status`,
 * `message` (null when passing), `test_code`. `task_id` is optional and left
 * out: a check belongs to no numbered task of the exercise's README.
 */
import { type Graded, clip, nothingRan, pointsWord, totals } from './common.ts';
import { inert } from '../report.ts';

export interface ExercismTest {
  name: string;
  status: 'pass' | 'fail' | 'error';
  message: string | null;
  test_code: string;
}

export interface ExercismResult {
  version: 3;
  status: 'pass' | 'fail' | 'error';
  message: string | null;
  tests: ExercismTest[];
}

/** The newest text of the interface caps the top-level message at 65,535 characters. */
const messageMax = 65_535;

export function exercismReport(runs: readonly Graded[]): ExercismResult {
  const t = totals(runs);
  const error = !t.passed && runs.length > 0 && runs.every((g) => nothingRan(g.result));
  const why = runs
    .map(({ result: r }) =>
      r.compileError
        ? `${r.exercise}: the file does not compile, so nothing was run:\n${r.compileError}`
        : `${r.exercise}: no check could be judged: ${r.checks[0]?.message ?? 'no checks'}`,
    )
    .join('\n\n');
  return {
    version: 3,
    status: t.passed ? 'pass' : error ? 'error' : 'fail',
    message: error ? clip(inert(why), messageMax) : null,
    tests: runs.flatMap((g) =>
      g.result.checks.map(
        (c): ExercismTest => ({
          name: inert(runs.length > 1 ? `${g.result.exercise}: ${c.title}` : c.title),
          status: c.status === 'pass' ? 'pass' : c.status === 'error' ? 'error' : 'fail',
          message: c.status === 'pass' ? null : inert(c.message),
          test_code: `grade ${g.result.exercise}: check "${c.id}" (${c.category}, ${pointsWord(c.maxPoints)})`,
        }),
      ),
    ),
  };
}

/**
 * GitHub Classroom: the result object its graders (classroom-resources/
 * autograding-command-grader, -io-grader, -python-grader) hand to
 * classroom-resources/autograding-grading-reporter, base64-encoded, through
 * the reporter's `<RUNNER-ID>_RESULTS` environment variable. What the reporter
 * reads (src/main.js, src/notify-classroom.js, src/console-results.js,
 * src/helpers/test-helpers.js):
 *
 * - `status`: "fail" or "error" fails its step;
 * - `max_score` and every test's `score`: the grade it reports to Classroom is
 *   Σ tests[].score out of Σ max_score (notify-classroom.js), so one test per
 *   check with the check's points gives partial credit that adds up to the
 *   grade. (The table it prints in the log is passed tests / tests ×
 *   max_score, which is the same number only when every check weighs the same.)
 * - per test `name`, `status` ("pass" | "fail" | "error"), `message` (printed
 *   for errors), `line_no` (0: no "- line N"; it must be present), `test_code`
 *   (printed when non-empty).
 *
 * A workflow step passes it on as the graders do:
 *   npx grade <exercise> --format classroom --out out || true
 *   echo "result=$(base64 -w0 out/classroom.json)" >> "$GITHUB_OUTPUT"
 * and the reporter step gets `env: <STEP-ID>_RESULTS: ${{ steps.<step-id>.outputs.result }}`
 * with `runners: <step-id>`.
 */
import { type Graded, nothingRan, seconds, totals } from './common.ts';
import { inert } from '../report.ts';

export interface ClassroomTest {
  name: string;
  status: 'pass' | 'fail' | 'error';
  score: number;
  message: string;
  test_code: string;
  filename: string;
  line_no: number;
  execution_time: string;
}

export interface ClassroomResult {
  version: 1;
  status: 'pass' | 'fail' | 'error';
  max_score: number;
  tests: ClassroomTest[];
}

export function classroomReport(runs: readonly Graded[]): ClassroomResult {
  const t = totals(runs);
  const tests = runs.flatMap((g) =>
    g.result.checks.map(
      (c, i): ClassroomTest => ({
        name: inert(`${g.result.exercise}: ${c.title} (${c.category}, ${c.maxPoints} pt${c.maxPoints === 1 ? '' : 's'})`),
        status: c.status === 'pass' ? 'pass' : c.status === 'error' ? 'error' : 'fail',
        score: c.points,
        // The reporter prints no top-level message: the compiler's goes with the first check.
        message: inert(i === 0 && g.result.compileError ? `${c.message}:\n${g.result.compileError}` : c.message),
        test_code: '',
        filename: g.file,
        line_no: 0,
        // Checks are judged together from the exercise's scenarios: each took the exercise's time.
        execution_time: `${seconds(g.result.wallMs)}s`,
      }),
    ),
  );
  const status = t.passed ? 'pass' : runs.length > 0 && runs.every((g) => nothingRan(g.result)) ? 'error' : 'fail';
  return { version: 1, status, max_score: t.maxScore, tests };
}

/**
 * GitHub Classroom's reporter, classroom-resources/autograding-grading-reporter
 * (commit 43c2d9f), transcribed as its source computes, for the tests of the
 * classroom format and the classroom pack:
 * - src/main.js reads, for each runner id of its `runners` input, the env var
 *   `${RUNNER.toUpperCase()}_RESULTS`: base64 of the runner's JSON result;
 * - src/notify-classroom.js sends Classroom Σ tests[].score out of Σ max_score
 *   (runners with a max_score only);
 * - src/helpers/test-helpers.js getTestScore makes the log's table: passed
 *   tests / tests × max_score;
 * - a runner whose status is "fail" or "error" fails the reporter's step.
 */
export interface ReporterTest {
  status: string;
  score: number;
}

export interface ReporterResult {
  status: string;
  max_score: number;
  tests: ReporterTest[];
}

export const decode = <R extends ReporterResult>(encoded: string): R => JSON.parse(Buffer.from(encoded, 'base64').toString('utf-8')) as R;

/** What main.js reads: each runner's decoded result. */
export function readRunners<R extends ReporterResult>(runnersInput: string, env: Record<string, string | undefined>): Array<{ runner: string; results: R }> {
  return runnersInput.split(',').map((runner) => ({ runner, results: decode<R>(env[`${runner.trim().toUpperCase()}_RESULTS`] as string) }));
}

/** notify-classroom.js: the points Classroom records. */
export function notifyClassroom(runnerResults: Array<{ results: ReporterResult }>): { totalPoints: number; maxPoints: number } {
  return runnerResults.reduce(
    (acc, { results }) => {
      if (!results.max_score) return acc;
      acc.maxPoints += results.max_score;
      results.tests.forEach(({ score }) => {
        acc.totalPoints += score;
      });
      return acc;
    },
    { totalPoints: 0, maxPoints: 0 },
  );
}

/** test-helpers.js getTestScore: the log table's score of one runner. */
export function getTestScore(runnerResult: ReporterResult): number {
  const { tests } = runnerResult;
  const score = tests.reduce((acc, { status }) => (status === 'pass' ? acc + 1 : acc), 0);
  return (score / tests.length) * (runnerResult.max_score || 0);
}

export const stepFails = (r: ReporterResult): boolean => r.status === 'fail' || r.status === 'error';

/** The reporter's check of its `runners` input. */
export const validRunners = (runnersInput: string): boolean => /^([a-zA-Z0-9]+,)*[a-zA-Z0-9]+$/.test(runnersInput);

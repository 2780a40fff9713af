/**
 * PrairieLearn's external grader `results.json`
 * (https://prairielearn.readthedocs.io/en/latest/externalGrading/, "Grading
 * results"): `gradable`, `score` in [0, 1], `message`, `output`, and `tests[]`
 * with `name`, `description`, `points`, `max_points`, `message`, `output`, as
 * `<pl-external-grader-results>` renders them. A file that does not compile is
 * not gradable (`gradable: false`, with `format_errors`): PrairieLearn then
 * neither awards nor takes points, nor counts the attempt.
 */
import { type Graded, titleOf, totals } from './common.ts';
import { inert } from '../report.ts';

export interface PrairieLearnTest {
  name: string;
  description: string;
  points: number;
  max_points: number;
  message: string;
  output: string;
}

export interface PrairieLearnResult {
  gradable: boolean;
  score: number;
  message: string;
  output: string;
  format_errors?: string[];
  tests: PrairieLearnTest[];
}

export function prairielearnReport(runs: readonly Graded[]): PrairieLearnResult {
  const t = totals(runs);
  const broken = runs.filter((g) => g.result.compileError !== undefined);
  const result: PrairieLearnResult = {
    gradable: broken.length === 0,
    score: t.maxScore > 0 ? t.score / t.maxScore : 0,
    message: inert(
      broken.length > 0
        ? `Your file does not compile (${broken.map((g) => g.result.exercise).join(', ')}), so nothing was run.`
        : `Score ${t.score}/${t.maxScore}${t.passed ? ': every check passes.' : ''}`,
    ),
    output: inert(
      runs.map((g) => `${titleOf(g)} (${g.result.exercise}): ${g.result.score}/${g.result.maxScore}, seed ${g.result.seed}, driver ${g.result.driver}`).join('\n'),
    ),
    tests: runs.flatMap((g) =>
      g.result.checks.map(
        (c): PrairieLearnTest => ({
          name: inert(runs.length > 1 ? `${g.result.exercise}: ${c.title}` : c.title),
          description: `${c.category}: check ${c.id}`,
          points: c.points,
          max_points: c.maxPoints,
          message: inert(c.message),
          output: `${c.status} (${c.points}/${c.maxPoints})`,
        }),
      ),
    ),
  };
  if (broken.length > 0) result.format_errors = broken.map((g) => inert(`${g.result.exercise}: ${g.result.compileError}`));
  return result;
}

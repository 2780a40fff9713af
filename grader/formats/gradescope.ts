/**
 * Gradescope's autograder `results.json`, as its specification describes it
 * (https://gradescope-autograders.readthedocs.io/en/latest/specs/): `score`,
 * `execution_time` (seconds), `output`, and `tests[]` with `name`, `number`,
 * `score`, `max_score`, `status` ("passed" | "failed"), `output`,
 * `visibility`, `tags`. Every output is declared `text`: Gradescope's default
 * for the top-level output renders HTML, and messages quote learner output.
 */
import { type Graded, seconds, titleOf, totals } from './common.ts';
import { inert } from '../report.ts';

export interface GradescopeTest {
  name: string;
  number: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  output: string;
  visibility: 'visible';
  tags: string[];
}

export interface GradescopeResult {
  score: number;
  execution_time: number;
  output: string;
  output_format: 'text';
  test_output_format: 'text';
  test_name_format: 'text';
  tests: GradescopeTest[];
  extra_data: { exercises: Array<{ exercise: string; score: number; maxScore: number; seed: number; driver: string }> };
}

function summary(g: Graded): string {
  const r = g.result;
  const head = `${titleOf(g)} (${r.exercise}): ${r.score}/${r.maxScore}${r.passed ? ' — every check passes.' : ''}`;
  const compile = r.compileError ? `\nYour file does not compile, so nothing was run:\n${r.compileError}` : '';
  return inert(`${head}${compile}\nseed ${r.seed} (grade ${r.exercise} --seed ${r.seed} repeats this run's draws)`);
}

export function gradescopeReport(runs: readonly Graded[]): GradescopeResult {
  const t = totals(runs);
  return {
    score: t.score,
    execution_time: Math.round(seconds(t.wallMs)),
    output: runs.map(summary).join('\n\n'),
    output_format: 'text',
    test_output_format: 'text',
    test_name_format: 'text',
    tests: runs.flatMap((g, i) =>
      g.result.checks.map(
        (c, j): GradescopeTest => ({
          name: inert(runs.length > 1 ? `${g.result.exercise}: ${c.title}` : c.title),
          number: `${i + 1}.${j + 1}`,
          score: c.points,
          max_score: c.maxPoints,
          status: c.status === 'pass' ? 'passed' : 'failed',
          output: inert(c.status === 'pass' ? c.message : `${c.status === 'error' ? 'not judged' : 'failed'}: ${c.message}`),
          visibility: 'visible',
          tags: [c.category],
        }),
      ),
    ),
    extra_data: {
      exercises: runs.map(({ result: r }) => ({ exercise: r.exercise, score: r.score, maxScore: r.maxScore, seed: r.seed, driver: r.driver })),
    },
  };
}

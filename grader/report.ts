/**
 * Reports: the JSON object external tools read (exactly the documented
 * fields), and the human report grouped by category.
 */
import { categories, type CheckResult } from './types.ts';
import type { GradeResult } from './grade.ts';

export interface JsonReport {
  exercise: string;
  score: number;
  maxScore: number;
  passed: boolean;
  driver: string;
  /** The seed of the run's draws: `grade <exercise> --seed <seed>` replays them. */
  seed: number;
  checks: CheckResult[];
}

export function jsonReport(r: GradeResult): JsonReport {
  return {
    exercise: r.exercise,
    score: r.score,
    maxScore: r.maxScore,
    passed: r.passed,
    driver: r.driver,
    seed: r.seed,
    checks: r.checks.map(({ id, category, title, status, points, maxPoints, message }) => ({
      id,
      category,
      title,
      status,
      points,
      maxPoints,
      message,
    })),
  };
}

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
}

const ansi = (code: number) => (s: string) => `\x1b[${code}m${s}\x1b[0m`;
export const colour: Style = { bold: ansi(1), dim: ansi(2), green: ansi(32), red: ansi(31), yellow: ansi(33) };
export const plain: Style = { bold: (s) => s, dim: (s) => s, green: (s) => s, red: (s) => s, yellow: (s) => s };

const mark: Record<CheckResult['status'], string> = { pass: '✔', fail: '✘', error: '!', skip: '-' };

function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

export function humanReport(r: GradeResult, title: string, s: Style = plain): string {
  const lines: string[] = [];
  lines.push(s.bold(`${title} (${r.exercise})`) + s.dim(`  — driver ${r.driver}, ${(r.wallMs / 1000).toFixed(1)} s`));
  if (r.compileError) {
    lines.push('', s.red('Your file does not compile, so nothing was run:'), indent(r.compileError, '  '));
  }
  for (const cat of categories) {
    const checks = r.checks.filter((c) => c.category === cat);
    if (checks.length === 0) continue;
    const got = checks.reduce((a, c) => a + c.points, 0);
    const max = checks.reduce((a, c) => a + c.maxPoints, 0);
    lines.push('', s.bold(`${cat}`) + s.dim(`  ${got}/${max}`));
    for (const c of checks) {
      const paint = c.status === 'pass' ? s.green : c.status === 'fail' ? s.red : s.yellow;
      lines.push(`  ${paint(mark[c.status])} ${c.title} ${s.dim(`(${c.points}/${c.maxPoints})`)}`);
      if (c.status !== 'pass' && c.message && !r.compileError) lines.push(indent(c.message, '      '));
    }
  }
  lines.push('', s.dim(`seed ${r.seed} — \`grade ${r.exercise} --seed ${r.seed}\` repeats this run's draws`));
  const total = `${r.score}/${r.maxScore}`;
  lines.push('', r.passed ? s.green(s.bold(`Score ${total} — every check passes.`)) : s.bold(`Score ${total}`));
  return lines.join('\n');
}

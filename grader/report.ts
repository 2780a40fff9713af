/**
 * Reports: the JSON object external tools read (exactly the documented
 * fields), and the human report grouped by category.
 */
import { categories, type CheckResult } from './types.ts';
import { messages } from './messages.ts';
import type { Lang } from './hints.ts';
import type { GradeResult } from './grade.ts';

/**
 * Text the learner controls — its stderr quoted in a message, error messages,
 * compiler output, file names — must not drive the reader's terminal: an ESC
 * sequence could clear the screen and print a fake "Score 12/12". Every C0
 * control but \n and \t, DEL, every C1 control and the Unicode bidi
 * overrides become visible escapes (`\x1b`, `\u202e`), so what was a sequence
 * prints as inert text and nothing is hidden. CRLF becomes LF.
 */
export function inert(text: string): string {
  return String(text)
    .replace(/\r\n/g, '\n')
    .replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
      const n = c.charCodeAt(0);
      return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
    });
}

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
      // JSON escapes C0 controls, but platforms print the decoded message: no ESC (or C1) there either.
      message: inert(message),
    })),
  };
}

/** `grade --all --json`: every exercise's object as `--json` prints it alone, and the totals. */
export interface JsonAllReport {
  exercises: JsonReport[];
  score: number;
  maxScore: number;
  passed: boolean;
}

export function jsonAllReport(results: readonly GradeResult[]): JsonAllReport {
  return {
    exercises: results.map(jsonReport),
    score: results.reduce((a, r) => a + r.score, 0),
    maxScore: results.reduce((a, r) => a + r.maxScore, 0),
    passed: results.length > 0 && results.every((r) => r.passed),
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

/** The human report. Every string in it goes through inert(): only the Style adds escape sequences. */
export function humanReport(r: GradeResult, title: string, s: Style = plain, lang: Lang = 'en'): string {
  const w = messages(lang).report;
  const lines: string[] = [];
  lines.push(s.bold(inert(`${title} (${r.exercise})`)) + s.dim(inert(`  — ${w.driver(r.driver, (r.wallMs / 1000).toFixed(1))}`)));
  if (r.compileError) {
    lines.push('', s.red(w.notCompiled), indent(inert(r.compileError), '  '));
  }
  for (const cat of categories) {
    const checks = r.checks.filter((c) => c.category === cat);
    if (checks.length === 0) continue;
    const got = checks.reduce((a, c) => a + c.points, 0);
    const max = checks.reduce((a, c) => a + c.maxPoints, 0);
    lines.push('', s.bold(w.categories[cat]) + s.dim(`  ${got}/${max}`));
    for (const c of checks) {
      const paint = c.status === 'pass' ? s.green : c.status === 'fail' ? s.red : s.yellow;
      lines.push(`  ${paint(mark[c.status])} ${inert(c.title)} ${s.dim(`(${c.points}/${c.maxPoints})`)}`);
      if (c.status !== 'pass' && c.message && !r.compileError) lines.push(indent(inert(c.message), '      '));
    }
  }
  lines.push('', s.dim(inert(w.seed(r.seed, r.exercise))));
  const total = `${r.score}/${r.maxScore}`;
  lines.push('', r.passed ? s.green(s.bold(w.allPass(total))) : s.bold(w.score(total)));
  return lines.join('\n');
}

/** `grade --all`: the table after every exercise's report — each exercise's score, checks passing and time, and the total. */
export function humanAllTable(results: readonly GradeResult[], s: Style = plain, lang: Lang = 'en'): string {
  const w = messages(lang).report;
  const c = w.columns;
  const width = Math.max(c.exercise.length, ...results.map((r) => r.exercise.length));
  const row = (mark: string, id: string, score: string, checks: string, time: string) =>
    `  ${mark} ${id.padEnd(width)}  ${score.padStart(7)}  ${checks.padStart(6)}  ${time.padStart(9)}`;
  const lines = [s.bold(w.everyExercise), s.dim(row(' ', c.exercise, c.score, c.checks, c.time))];
  for (const r of results) {
    const passing = r.checks.filter((c) => c.status === 'pass').length;
    const line = row(r.passed ? '✔' : '✘', inert(r.exercise), `${r.score}/${r.maxScore}`, `${passing}/${r.checks.length}`, `${(r.wallMs / 1000).toFixed(1)} s`);
    lines.push(r.passed ? s.green(line) : line);
  }
  const score = results.reduce((a, r) => a + r.score, 0);
  const max = results.reduce((a, r) => a + r.maxScore, 0);
  const wall = results.reduce((a, r) => a + r.wallMs, 0);
  lines.push(s.dim(row(' ', c.total, `${score}/${max}`, '', `${(wall / 1000).toFixed(1)} s`)));
  const passed = results.length > 0 && results.every((r) => r.passed);
  lines.push('', passed ? s.green(s.bold(w.allExercisesPass(`${score}/${max}`))) : s.bold(w.score(`${score}/${max}`)));
  return lines.join('\n');
}

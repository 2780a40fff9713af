/**
 * What every report format is made from: the results of one run (one
 * exercise, or every exercise with `--all`), each with the learner's file as
 * the reader should see it (relative to the repository where it can be).
 * Formatters are pure functions of this: no clock, no environment, no files.
 */
import type { GradeResult } from '../grade.ts';
import { inert } from '../report.ts';

export interface Graded {
  result: GradeResult;
  /** The graded file as the report names it, e.g. `exercises/connect-timeout/index.ts`. */
  file: string;
  /** The exercise's title, e.g. "Connect with a timeout"; the id stands in when absent. */
  title?: string;
}

export interface Totals {
  score: number;
  maxScore: number;
  passed: boolean;
  checks: number;
  passing: number;
  wallMs: number;
}

export function totals(runs: readonly Graded[]): Totals {
  const checks = runs.flatMap((r) => r.result.checks);
  return {
    score: runs.reduce((a, r) => a + r.result.score, 0),
    maxScore: runs.reduce((a, r) => a + r.result.maxScore, 0),
    passed: runs.length > 0 && runs.every((r) => r.result.passed),
    checks: checks.length,
    passing: checks.filter((c) => c.status === 'pass').length,
    wallMs: runs.reduce((a, r) => a + r.result.wallMs, 0),
  };
}

/** Nothing was judged: the file does not compile, or every check errored. */
export function nothingRan(r: GradeResult): boolean {
  return r.compileError !== undefined || (r.checks.length > 0 && r.checks.every((c) => c.status === 'error'));
}

export const titleOf = (g: Graded): string => g.title ?? g.result.exercise;

/** Learner-controlled text made inert (report.ts) and on one line: for names, attributes, cells. */
export function oneLine(text: string): string {
  return inert(text).replace(/\s*\n\s*/g, ' ').replace(/\t/g, ' ').trim();
}

/** At most `max` characters (UTF-16 units, never splitting a surrogate pair), saying how much was cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = ` … (${text.length - max} more characters)`;
  let end = Math.max(0, max - note.length);
  if (end > 0 && /[\ud800-\udbff]/.test(text[end - 1]!)) end--;
  return text.slice(0, end) + note;
}

export const pointsWord = (n: number): string => `${n} point${n === 1 ? '' : 's'}`;

export const seconds = (ms: number): number => Math.round(ms) / 1000;

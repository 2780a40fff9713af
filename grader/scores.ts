/** The learner's last score per exercise, for `grade --list`. Kept in .grade/ (git-ignored). */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exerciseFile, repoRoot } from './paths.ts';

export interface SavedScore {
  score: number;
  maxScore: number;
  at: string;
  /** The best score of the exercise so far (out of the same maxScore). */
  best?: number;
}

/** GRADE_STATE_DIR moves it (tests use a scratch folder, so they never touch a learner's scores). */
const file = path.join(process.env.GRADE_STATE_DIR ?? path.join(repoRoot, '.grade'), 'scores.json');

const isScore = (s: unknown): s is SavedScore =>
  typeof s === 'object' &&
  s !== null &&
  Number.isSafeInteger((s as SavedScore).score) &&
  Number.isSafeInteger((s as SavedScore).maxScore) &&
  typeof (s as SavedScore).at === 'string' &&
  ((s as SavedScore).best === undefined || Number.isSafeInteger((s as SavedScore).best));

/** Only well-formed entries: whatever else the file holds never reaches `grade --list`. */
export function loadScores(): Record<string, SavedScore> {
  try {
    const all = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (typeof all !== 'object' || all === null || Array.isArray(all)) return {};
    return Object.fromEntries(Object.entries(all).filter(([, s]) => isScore(s))) as Record<string, SavedScore>;
  } catch {
    return {};
  }
}

/**
 * Records the learner's progress — only for a grade of its own
 * `exercises/<id>/index.ts`: a grade of the reference, of a `--file` (a
 * mutant, a classmate's copy, a test's fixture) is not the learner's progress,
 * so the CLI does not call this for them and this refuses any other file.
 * Returns whether it recorded.
 */
export function saveScore(exercise: string, gradedFile: string, s: SavedScore): boolean {
  if (path.resolve(gradedFile) !== exerciseFile(exercise)) return false;
  const all = loadScores();
  const prev = all[exercise];
  // A best out of another maxScore (the exercise's checks changed) says nothing about this one.
  const prevBest = prev && prev.maxScore === s.maxScore ? (prev.best ?? prev.score) : 0;
  all[exercise] = { score: s.score, maxScore: s.maxScore, at: s.at, best: Math.max(s.score, prevBest) };
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(all, null, 2) + '\n');
  renameSync(tmp, file);
  return true;
}

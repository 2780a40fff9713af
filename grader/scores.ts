/** The learner's last score per exercise, for `grade --list`. Kept in .grade/ (git-ignored). */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths.ts';

export interface SavedScore {
  score: number;
  maxScore: number;
  at: string;
}

/** GRADE_STATE_DIR moves it (tests use a scratch folder, so they never touch a learner's scores). */
const file = path.join(process.env.GRADE_STATE_DIR ?? path.join(repoRoot, '.grade'), 'scores.json');

export function loadScores(): Record<string, SavedScore> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, SavedScore>;
  } catch {
    return {};
  }
}

export function saveScore(exercise: string, s: SavedScore): void {
  const all = loadScores();
  all[exercise] = s;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(all, null, 2) + '\n');
}

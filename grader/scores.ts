/** The learner's last score per exercise, for `grade --list`. Kept in .grade/ (git-ignored). */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths.ts';

export interface SavedScore {
  score: number;
  maxScore: number;
  at: string;
}

const file = path.join(repoRoot, '.grade', 'scores.json');

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

/**
 * `grade` / `grade --list`: the learner's way through the course — each
 * exercise done, in progress (best and last score) or not started, in the
 * course's order, and a bar for the course as a whole. Read from the scores
 * file (grader/scores.ts), which grading itself never reads.
 */
import type { SavedScore } from './scores.ts';
import type { Lang } from './hints.ts';
import { messages } from './messages.ts';

export interface ListedExercise {
  id: string;
  title: string;
  part: string;
  vi?: { title: string; part: string };
}

/** An exercise's title and course section in `lang` (English where it has no translation). */
export const titleIn = (e: ListedExercise, lang: Lang): { title: string; part: string } => (lang === 'vi' && e.vi ? e.vi : e);

type State = 'done' | 'progress' | 'new';

const marks: Record<State, string> = { done: '✔', progress: '◐', new: '·' };

function stateOf(s: SavedScore | undefined): State {
  if (!s) return 'new';
  return (s.best ?? s.score) >= s.maxScore ? 'done' : 'progress';
}

/** A bar of `width` cells, filled in proportion to `fraction` (0…1). */
export function bar(fraction: number, width = 24): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

export function progressView(exercises: readonly ListedExercise[], scores: Record<string, SavedScore>, lang: Lang): string {
  const w = messages(lang).progress;
  const states = exercises.map((e) => stateOf(scores[e.id]));
  const done = states.filter((s) => s === 'done').length;
  // Points: each exercise weighs the same, whatever its number of points.
  const fraction = exercises.length ? exercises.reduce((sum, e) => sum + (scores[e.id] ? (scores[e.id]!.best ?? scores[e.id]!.score) / scores[e.id]!.maxScore : 0), 0) / exercises.length : 0;
  const idWidth = Math.max(...exercises.map((e) => e.id.length));
  const named = (e: ListedExercise) => {
    const t = titleIn(e, lang);
    return `${t.title} — ${t.part}`;
  };
  const titleWidth = Math.max(...exercises.map((e) => named(e).length));
  const lines = [`${w.head}:  [${bar(fraction)}]  ${w.done(done, exercises.length)} · ${w.points(Math.round(fraction * 100))}`, ''];
  exercises.forEach((e, i) => {
    const s = scores[e.id];
    const state = states[i]!;
    const score = !s ? w.notStarted : (s.best ?? s.score) === s.score ? `${s.score}/${s.maxScore}` : w.best(`${s.best ?? s.score}/${s.maxScore}`, `${s.score}/${s.maxScore}`);
    lines.push(`  ${marks[state]} ${e.id.padEnd(idWidth)}  ${named(e).padEnd(titleWidth)}  ${score}`);
  });
  const next = exercises.find((_, i) => states[i] !== 'done');
  lines.push('', next ? w.next(next.id) : w.all);
  return lines.join('\n');
}

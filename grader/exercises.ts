/** Every exercise, in course order. Adding one: write grader/exercises/<id>/index.ts and list it here. */
import type { ExerciseDef } from './types.ts';
import connectTimeout from './exercises/connect-timeout/index.ts';

export const exercises: ExerciseDef[] = [connectTimeout];

export function findExercise(id: string): ExerciseDef | undefined {
  return exercises.find((e) => e.id === id);
}

/** Every exercise, in course order. Adding one: write grader/exercises/<id>/index.ts and list it here. */
import type { ExerciseDef } from './types.ts';
import connectTimeout from './exercises/connect-timeout/index.ts';
import retryBackoff from './exercises/retry-backoff/index.ts';
import errorHandlers from './exercises/error-handlers/index.ts';
import gracefulShutdown from './exercises/graceful-shutdown/index.ts';

export const exercises: ExerciseDef[] = [connectTimeout, retryBackoff, errorHandlers, gracefulShutdown];

export function findExercise(id: string): ExerciseDef | undefined {
  return exercises.find((e) => e.id === id);
}

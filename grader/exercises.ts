/** Every exercise, in course order. Adding one: write grader/exercises/<id>/index.ts and list it here. */
import type { ExerciseDef } from './types.ts';
import { packedOnly } from './packed.ts';
import connectTimeout from './exercises/connect-timeout/index.ts';
import idleTimeout from './exercises/idle-timeout/index.ts';
import requestDeadline from './exercises/request-deadline/index.ts';
import retryBackoff from './exercises/retry-backoff/index.ts';
import safeRetry from './exercises/safe-retry/index.ts';
import circuitBreaker from './exercises/circuit-breaker/index.ts';
import reconnectingClient from './exercises/reconnecting-client/index.ts';
import resilientGet from './exercises/resilient-get/index.ts';
import errorStages from './exercises/error-stages/index.ts';
import errorHandlers from './exercises/error-handlers/index.ts';
import gracefulShutdown from './exercises/graceful-shutdown/index.ts';

/** Every exercise of the kit, whether or not this repository holds it. */
export const kitExercises: readonly ExerciseDef[] = [connectTimeout, idleTimeout, requestDeadline, retryBackoff, safeRetry, circuitBreaker, reconnectingClient, resilientGet, errorStages, errorHandlers, gracefulShutdown];

/** The exercises of this repository: every one in the full kit; in a repository made by `grade pack`, those it holds (grader/packed.json). */
export const exercises: ExerciseDef[] = packedOnly(kitExercises);

export function findExercise(id: string): ExerciseDef | undefined {
  return exercises.find((e) => e.id === id);
}

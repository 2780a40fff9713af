/**
 * Reference: circuit-breaker — a breaker with three states. Closed: every call
 * goes to fn; consecutive failures are counted and a success resets the count.
 * Open: calls fail fast with an error of the breaker's own, until cooldownMs
 * has passed since it opened. Half-open: one call is let through as a probe,
 * the others fail fast while it is in flight; its outcome closes the breaker
 * (count from zero) or opens it again for a new cooldown.
 */
export interface BreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
}

export interface Breaker<T> {
  call(): Promise<T>;
}

export class BreakerOpenError extends Error {
  readonly code = 'EOPENBREAKER';
  constructor(retryInMs: number) {
    super(`circuit open: not calling the dependency for another ${Math.max(0, Math.round(retryInMs))} ms`);
    this.name = 'BreakerOpenError';
  }
}

type State = 'closed' | 'open' | 'half-open';

export function createBreaker<T>(fn: () => Promise<T>, opts: BreakerOptions): Breaker<T> {
  let state: State = 'closed';
  let failures = 0;
  let openedAt = 0;

  const open = (): void => {
    state = 'open';
    openedAt = performance.now();
  };

  return {
    async call(): Promise<T> {
      if (state === 'open') {
        const waited = performance.now() - openedAt;
        if (waited < opts.cooldownMs) throw new BreakerOpenError(opts.cooldownMs - waited);
        state = 'half-open';
        try {
          const value = await fn();
          state = 'closed';
          failures = 0;
          return value;
        } catch (err) {
          open();
          throw err;
        }
      }
      if (state === 'half-open') throw new BreakerOpenError(0); // a probe is in flight
      try {
        const value = await fn();
        failures = 0;
        return value;
      } catch (err) {
        failures++;
        if (failures >= opts.failureThreshold) open();
        throw err;
      }
    },
  };
}

// mutant: a success while closed does not reset the count: failures add up over time
// fails: opens-at-threshold, success-resets-count, no-probe-before-cooldown, probe-after-cooldown, one-probe-at-a-time, failed-probe-reopens, probes-again-after-new-cooldown, probe-success-closes
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
        return value;
      } catch (err) {
        failures++;
        if (failures >= opts.failureThreshold) open();
        throw err;
      }
    },
  };
}

// mutant: half-open lets every call through while the probe is in flight
// fails: one-probe-at-a-time
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

// variant: promise chains without async/await, process.hrtime.bigint() for the clock, a plain object error with only a message ("circuit is open")
export interface BreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
}
export interface Breaker<T> {
  call(): Promise<T>;
}

const nowMs = (): number => Number(process.hrtime.bigint() / 1_000_000n);

export function createBreaker<T>(fn: () => Promise<T>, opts: BreakerOptions): Breaker<T> {
  let mode: 'closed' | 'open' | 'probing' = 'closed';
  let streak = 0;
  let since = 0;
  const reject = (): Promise<T> => Promise.reject(new Error('circuit is open'));
  return {
    call(): Promise<T> {
      if (mode === 'probing') return reject();
      if (mode === 'open') {
        if (nowMs() - since < opts.cooldownMs) return reject();
        mode = 'probing';
        return fn().then(
          (v) => {
            mode = 'closed';
            streak = 0;
            return v;
          },
          (e) => {
            mode = 'open';
            since = nowMs();
            return Promise.reject(e);
          },
        );
      }
      return fn().then(
        (v) => {
          streak = 0;
          return v;
        },
        (e) => {
          streak += 1;
          if (streak >= opts.failureThreshold) {
            mode = 'open';
            since = nowMs();
          }
          return Promise.reject(e);
        },
      );
    },
  };
}

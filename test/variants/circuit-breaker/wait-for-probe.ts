// variant: closure-based, cockatiel-style — calls made during the probe wait for its outcome, then go on as the state it leaves
export interface BreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
}
export interface Breaker<T> {
  call(): Promise<T>;
}

export function createBreaker<T>(fn: () => Promise<T>, opts: BreakerOptions): Breaker<T> {
  let failures = 0;
  let openedAt: number | null = null;
  let probe: Promise<unknown> | null = null;

  const openError = (): Error => {
    const err = new Error('Execution prevented because the circuit breaker is open') as Error & { code?: string };
    err.name = 'BrokenCircuitError';
    return err;
  };

  async function call(): Promise<T> {
    if (probe) {
      await probe.catch(() => undefined);
      return call();
    }
    if (openedAt !== null) {
      if (Date.now() - openedAt < opts.cooldownMs) throw openError();
      const attempt = fn();
      probe = attempt;
      try {
        const value = await attempt;
        openedAt = null;
        failures = 0;
        return value;
      } catch (err) {
        openedAt = Date.now();
        throw err;
      } finally {
        probe = null;
      }
    }
    try {
      const value = await fn();
      failures = 0;
      return value;
    } catch (err) {
      if (++failures >= opts.failureThreshold) openedAt = Date.now();
      throw err;
    }
  }
  return { call };
}

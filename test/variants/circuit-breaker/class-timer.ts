// variant: class-based, opossum-style — a timer moves the breaker to half-open when the cooldown ends; the open error has code EOPENBREAKER and says "Breaker is open"
export interface BreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
}
export interface Breaker<T> {
  call(): Promise<T>;
}

class OpenBreakerError extends Error {
  code = 'EOPENBREAKER';
  constructor() {
    super('Breaker is open');
  }
}

class CircuitBreaker<T> implements Breaker<T> {
  private state: 'CLOSED' | 'OPEN' | 'HALF_OPEN' = 'CLOSED';
  private failures = 0;
  private probing = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly action: () => Promise<T>,
    private readonly opts: BreakerOptions,
  ) {}

  private open(): void {
    this.state = 'OPEN';
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.state = 'HALF_OPEN';
    }, this.opts.cooldownMs);
    this.timer.unref();
  }

  async call(): Promise<T> {
    if (this.state === 'OPEN') throw new OpenBreakerError();
    if (this.state === 'HALF_OPEN') {
      if (this.probing) throw new OpenBreakerError();
      this.probing = true;
      try {
        const value = await this.action();
        this.state = 'CLOSED';
        this.failures = 0;
        return value;
      } catch (err) {
        this.open();
        throw err;
      } finally {
        this.probing = false;
      }
    }
    try {
      const value = await this.action();
      this.failures = 0;
      return value;
    } catch (err) {
      this.failures += 1;
      if (this.failures >= this.opts.failureThreshold) this.open();
      throw err;
    }
  }
}

export function createBreaker<T>(fn: () => Promise<T>, opts: BreakerOptions): Breaker<T> {
  return new CircuitBreaker(fn, opts);
}

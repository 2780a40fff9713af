// variant: a class holding the policy, AbortController timers on node:http, the course's additive jitter (up to +30% on the capped delay)
import http from 'node:http';

export interface SafeRequest {
  method: 'GET' | 'HEAD' | 'PUT' | 'DELETE' | 'POST' | 'PATCH';
  url: string;
  body?: string;
  idempotencyKey?: string;
}
export interface SafeRetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  attemptTimeoutMs: number;
}
type Result = { status: number; body: string };

class RetryPolicy {
  constructor(private readonly opts: SafeRetryOptions) {}

  canRetry(req: SafeRequest): boolean {
    return req.idempotencyKey != null || req.method === 'GET' || req.method === 'HEAD' || req.method === 'PUT' || req.method === 'DELETE';
  }

  retryStatus(status: number): boolean {
    return status === 500 || status === 502 || status === 503 || status === 504;
  }

  retryError(err: unknown): boolean {
    const code = (err as { code?: string }).code;
    return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH' || code === 'EPIPE' || code === 'ETIMEDOUT' || (err as Error).name === 'AbortError';
  }

  delay(retry: number): number {
    const exp = Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** (retry - 1));
    return Math.floor(exp + Math.random() * exp * 0.3);
  }
}

class Client {
  constructor(private readonly policy: RetryPolicy, private readonly opts: SafeRetryOptions) {}

  private once(req: SafeRequest): Promise<Result> {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), this.opts.attemptTimeoutMs);
    return new Promise<Result>((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = {};
      if (req.idempotencyKey != null) headers['idempotency-key'] = req.idempotencyKey;
      const r = http.request(req.url, { method: req.method, headers, signal: ac.signal }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (b: Buffer) => parts.push(b));
        res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(parts).toString() }));
        res.on('error', reject);
      });
      r.on('error', reject);
      r.end(req.body);
    }).finally(() => clearTimeout(timer));
  }

  async send(req: SafeRequest): Promise<Result> {
    const limit = this.policy.canRetry(req) ? this.opts.maxAttempts : 1;
    let attempt = 0;
    for (;;) {
      attempt++;
      let outcome: Result | undefined;
      try {
        outcome = await this.once(req);
      } catch (err) {
        if (attempt >= limit || !this.policy.retryError(err)) throw err;
      }
      if (outcome && (attempt >= limit || !this.policy.retryStatus(outcome.status))) return outcome;
      await new Promise((r) => setTimeout(r, this.policy.delay(attempt)));
    }
  }
}

export function requestWithRetry(req: SafeRequest, opts: SafeRetryOptions): Promise<Result> {
  return new Client(new RetryPolicy(opts), opts).send(req);
}

// variant: a class around node:http (a timer per attempt destroys the request), decorrelated jitter
import http from 'node:http';

export interface ResilientOptions {
  attemptTimeoutMs: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

class Backoff {
  private prev: number;
  constructor(private readonly base: number, private readonly cap: number) {
    this.prev = base;
  }
  next(): number {
    this.prev = Math.min(this.cap, this.base + Math.random() * (this.prev * 3 - this.base));
    return this.prev;
  }
}

class ResilientClient {
  constructor(private readonly opts: ResilientOptions) {}

  private attempt(url: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request(url, { method: 'GET' });
      const timer = setTimeout(() => req.destroy(Object.assign(new Error('attempt timed out'), { code: 'ETIMEDOUT' })), this.opts.attemptTimeoutMs);
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (s: string) => (body += s));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode!, body });
        });
        res.on('error', reject);
        res.on('aborted', () => reject(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })));
      });
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.on('close', () => clearTimeout(timer));
      req.end();
    });
  }

  async get(url: string): Promise<string> {
    const backoff = new Backoff(this.opts.baseDelayMs, this.opts.maxDelayMs);
    let error: unknown;
    for (let n = 1; ; n++) {
      try {
        const { status, body } = await this.attempt(url);
        if (status >= 200 && status < 300) return body;
        error = new Error(`GET ${url}: ${status}`);
        if (status < 500) throw error;
      } catch (err) {
        if (err === error && err instanceof Error && /: 4\d\d$/.test(err.message)) throw err;
        error = err;
      }
      if (n >= this.opts.maxAttempts) throw error;
      await new Promise((r) => setTimeout(r, backoff.next()));
    }
  }
}

export function resilientGet(url: string, opts: ResilientOptions): Promise<string> {
  return new ResilientClient(opts).get(url);
}

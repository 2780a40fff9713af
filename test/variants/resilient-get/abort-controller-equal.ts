// variant: node:http with an AbortController aborted by a timer per attempt, equal jitter (half the capped delay, plus a random half)
import { request } from 'node:http';

export interface ResilientOptions {
  attemptTimeoutMs: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

type Outcome = { ok: true; body: string } | { ok: false; retry: boolean; error: unknown };

function tryOnce(url: string, ms: number): Promise<Outcome> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), ms);
  return new Promise<Outcome>((done) => {
    const req = request(url, { signal: ac.signal }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (s: string) => (text += s));
      res.on('error', (error) => done({ ok: false, retry: true, error }));
      res.on('end', () => {
        const s = res.statusCode ?? 0;
        if (s >= 200 && s < 300) done({ ok: true, body: text });
        else done({ ok: false, retry: s >= 500, error: new Error(`unexpected status ${s} from ${url}`) });
      });
    });
    req.on('error', (error) => done({ ok: false, retry: true, error: ac.signal.aborted ? Object.assign(new Error('attempt timeout'), { code: 'ETIMEDOUT' }) : error }));
    req.end();
  }).finally(() => clearTimeout(timer));
}

export const resilientGet = async (url: string, opts: ResilientOptions): Promise<string> => {
  let error: unknown;
  for (let n = 0; n < opts.maxAttempts; n++) {
    if (n > 0) {
      const cap = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (n - 1));
      await new Promise((r) => setTimeout(r, cap / 2 + Math.random() * (cap / 2)));
    }
    const out = await tryOnce(url, opts.attemptTimeoutMs);
    if (out.ok) return out.body;
    error = out.error;
    if (!out.retry) break;
  }
  throw error;
};

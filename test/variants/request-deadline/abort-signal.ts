// variant: node:http with an AbortController for the overall deadline and socket events for the other two
import http from 'node:http';

export interface Deadlines {
  connectMs: number;
  idleMs: number;
  totalMs: number;
}

export function getWithDeadlines(url: string, d: Deadlines): Promise<{ status: number; body: string }> {
  const ac = new AbortController();
  const fail = (msg: string) => ac.abort(Object.assign(new Error(msg), { code: 'ETIMEDOUT' }));
  const total = setTimeout(() => fail(`timeout: no complete response in ${d.totalMs} ms`), d.totalMs);
  const connect = setTimeout(() => fail(`timeout: not connected in ${d.connectMs} ms`), d.connectMs);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.get(url, { signal: ac.signal }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (b: Buffer) => parts.push(b));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(parts).toString() }));
      res.on('error', () => reject(ac.signal.reason ?? new Error('response failed')));
    });
    req.on('socket', (s) => {
      const connected = () => {
        clearTimeout(connect);
        s.setTimeout(d.idleMs, () => fail(`timeout: idle for ${d.idleMs} ms`));
      };
      if (s.connecting) s.once('connect', connected);
      else connected();
    });
    // An abort destroys the request with an AbortError; the reason is our timeout error.
    req.on('error', (err) => reject(ac.signal.aborted ? ac.signal.reason : err));
  }).finally(() => {
    clearTimeout(total);
    clearTimeout(connect);
  });
}

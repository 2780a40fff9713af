// variant: raw node:net, one connection per attempt with "Connection: close", chunked-free HTTP/1.1 written by hand, full jitter
import net from 'node:net';

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

function attempt(req: SafeRequest, timeoutMs: number): Promise<Result> {
  const u = new URL(req.url);
  const body = Buffer.from(req.body ?? '', 'utf8');
  const head =
    `${req.method} ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nConnection: close\r\n` +
    (req.idempotencyKey !== undefined ? `Idempotency-Key: ${req.idempotencyKey}\r\n` : '') +
    (req.body !== undefined ? `Content-Length: ${body.length}\r\n` : '') +
    '\r\n';
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(u.port), u.hostname);
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => s.destroy(Object.assign(new Error('attempt timeout'), { code: 'ETIMEDOUT' })), timeoutMs);
    const parse = (): Result | undefined => {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return undefined;
      const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
      const status = Number(lines[0]!.split(' ')[1]);
      const cl = lines.find((l) => /^content-length:/i.test(l));
      const len = cl ? Number(cl.split(':')[1]) : 0;
      if (buf.length < end + 4 + len) return undefined;
      return { status, body: buf.subarray(end + 4, end + 4 + len).toString('utf8') };
    };
    s.on('connect', () => s.write(Buffer.concat([Buffer.from(head, 'latin1'), body])));
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const r = parse();
      if (r) {
        clearTimeout(timer);
        s.destroy();
        resolve(r);
      }
    });
    s.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    s.on('close', () => {
      clearTimeout(timer);
      reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    });
  });
}

export async function requestWithRetry(req: SafeRequest, opts: SafeRetryOptions): Promise<Result> {
  const n = req.method === 'POST' || req.method === 'PATCH' ? (req.idempotencyKey === undefined ? 1 : opts.maxAttempts) : opts.maxAttempts;
  for (let k = 1; ; k++) {
    try {
      const r = await attempt(req, opts.attemptTimeoutMs);
      if (k >= n || ![500, 502, 503, 504].includes(r.status)) return r;
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (k >= n || !['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'EPIPE', 'ETIMEDOUT'].includes(code)) throw err;
    }
    await new Promise((r) => setTimeout(r, Math.random() * Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (k - 1))));
  }
}

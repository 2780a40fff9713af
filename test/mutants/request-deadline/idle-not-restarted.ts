// mutant: an idle timer started once at connect and never restarted by the bytes that arrive — a slow but steady body is cut as if idle
// fails: slow-steady-resolves, total-deadline
import http from 'node:http';
import type { Socket } from 'node:net';

export interface Deadlines {
  connectMs: number;
  idleMs: number;
  totalMs: number;
}

const timeout = (what: string): Error => Object.assign(new Error(`${what} timeout`), { code: 'ETIMEDOUT' });

export function getWithDeadlines(url: string, d: Deadlines): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let idleTimer: NodeJS.Timeout | undefined;
    const finish = (err: Error | null, value?: { status: number; body: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(totalTimer);
      clearTimeout(idleTimer);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(value!);
    };
    const req = http.get(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish(null, { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    const connectTimer = setTimeout(() => finish(timeout('connect')), d.connectMs);
    const totalTimer = setTimeout(() => finish(timeout('overall')), d.totalMs);
    req.on('socket', (socket: Socket) => {
      const armIdle = () => {
        clearTimeout(connectTimer);
        idleTimer = setTimeout(() => finish(timeout('idle')), d.idleMs);
      };
      if (!socket.connecting) armIdle();
      else socket.once('connect', armIdle);
    });
    req.on('error', (err) => finish(err));
  });
}

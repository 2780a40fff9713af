// mutant: rejects with an error that does not say it is a timeout
// fails: timeouts-read-as-timeouts
import http from 'node:http';
import type { Socket } from 'node:net';

export interface Deadlines {
  connectMs: number;
  idleMs: number;
  totalMs: number;
}

function timeoutError(what: string, limitMs: number): Error {
  const err = new Error(`${what}: gave up after ${limitMs} ms`) as NodeJS.ErrnoException;
  return err;
}

export function getWithDeadlines(url: string, d: Deadlines): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | null, value?: { status: number; body: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(totalTimer);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(value!);
    };
    const req = http.get(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish(null, { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (err) => finish(err));
      res.on('aborted', () => finish(new Error('response aborted')));
    });
    const connectTimer = setTimeout(() => finish(timeoutError('connect', d.connectMs)), d.connectMs);
    const totalTimer = setTimeout(() => finish(timeoutError('overall request', d.totalMs)), d.totalMs);
    req.on('socket', (socket: Socket) => {
      if (!socket.connecting) clearTimeout(connectTimer);
      else socket.once('connect', () => clearTimeout(connectTimer));
    });
    // Applies once connected: an idle timer on the socket, restarted by every byte either way.
    req.setTimeout(d.idleMs, () => finish(timeoutError('idle', d.idleMs)));
    req.on('error', (err) => finish(err));
  });
}

// variant: a class that owns the request and its three timers, on node:http
import http from 'node:http';

export interface Deadlines {
  connectMs: number;
  idleMs: number;
  totalMs: number;
}

class TimeoutError extends Error {
  override name = 'TimeoutError';
}

class DeadlineRequest {
  private timers: NodeJS.Timeout[] = [];
  private done = false;
  private req!: http.ClientRequest;

  constructor(
    private readonly url: string,
    private readonly d: Deadlines,
  ) {}

  run(): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const settle = (err: Error | null, value?: { status: number; body: string }) => {
        if (this.done) return;
        this.done = true;
        this.timers.forEach(clearTimeout);
        if (err) {
          this.req.destroy();
          reject(err);
        } else resolve(value!);
      };
      this.req = http.request(this.url, { method: 'GET' }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (s: string) => (body += s));
        res.on('end', () => settle(null, { status: res.statusCode!, body }));
        res.on('error', settle);
      });
      const connect = setTimeout(() => settle(new TimeoutError(`connect took over ${this.d.connectMs} ms`)), this.d.connectMs);
      this.timers.push(connect, setTimeout(() => settle(new TimeoutError(`request took over ${this.d.totalMs} ms`)), this.d.totalMs));
      this.req.on('socket', (s) => {
        if (s.connecting) s.once('connect', () => clearTimeout(connect));
        else clearTimeout(connect);
      });
      this.req.setTimeout(this.d.idleMs, () => settle(new TimeoutError(`no data for ${this.d.idleMs} ms`)));
      this.req.on('error', settle);
      this.req.end();
    });
  }
}

export function getWithDeadlines(url: string, d: Deadlines): Promise<{ status: number; body: string }> {
  return new DeadlineRequest(url, d).run();
}

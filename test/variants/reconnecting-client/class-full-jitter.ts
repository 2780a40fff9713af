// variant: a class; full jitter; the heartbeat is a chain of setTimeout calls and the liveness check a timer restarted on every 'data'
import { Socket } from 'node:net';

export interface ReconnectOptions {
  host: string;
  port: number;
  minDelayMs: number;
  maxDelayMs: number;
  heartbeatMs: number;
  deadAfterMs: number;
}

type Listener = (topic: string, payload: string) => void;

class Client {
  private topics: string[] = [];
  private listeners: Listener[] = [];
  private sock?: Socket;
  private ready = false;
  private stopped = false;
  private failures = 0;
  private retry?: NodeJS.Timeout;
  private ping?: NodeJS.Timeout;
  private dead?: NodeJS.Timeout;
  private pending = '';

  constructor(private readonly o: ReconnectOptions) {
    this.open();
  }

  subscribe(topic: string): void {
    if (this.topics.includes(topic)) return;
    this.topics.push(topic);
    if (this.ready) this.sock?.write(`SUB ${topic}\n`);
  }

  onMessage(l: Listener): void {
    this.listeners.push(l);
  }

  close(): void {
    this.stopped = true;
    this.stopTimers();
    if (this.retry) clearTimeout(this.retry);
    this.retry = undefined;
    this.sock?.destroy();
  }

  private stopTimers(): void {
    if (this.ping) clearTimeout(this.ping);
    if (this.dead) clearTimeout(this.dead);
    this.ping = this.dead = undefined;
  }

  private armDead(): void {
    if (this.dead) clearTimeout(this.dead);
    this.dead = setTimeout(() => this.sock?.destroy(), this.o.deadAfterMs);
  }

  private schedulePing(): void {
    this.ping = setTimeout(() => {
      if (!this.ready) return;
      this.sock?.write('PING\n');
      this.schedulePing();
    }, this.o.heartbeatMs);
  }

  private open(): void {
    if (this.stopped) return;
    const s = new Socket();
    this.sock = s;
    this.pending = '';
    s.on('connect', () => {
      this.ready = true;
      this.failures = 0;
      for (const t of this.topics) s.write(`SUB ${t}\n`);
      this.armDead();
      this.schedulePing();
    });
    s.on('data', (d: Buffer) => {
      this.armDead();
      this.pending += d.toString('utf8');
      const lines = this.pending.split('\n');
      this.pending = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^MSG (\S+) (.*)$/.exec(line);
        if (m) for (const l of this.listeners) l(m[1]!, m[2]!);
      }
    });
    s.on('error', () => undefined);
    s.on('close', () => {
      this.ready = false;
      this.stopTimers();
      if (this.stopped) return;
      this.failures++;
      const cap = Math.min(this.o.maxDelayMs, this.o.minDelayMs * 2 ** (this.failures - 1));
      this.retry = setTimeout(() => {
        this.retry = undefined;
        this.open();
      }, Math.random() * cap);
    });
    s.connect(this.o.port, this.o.host);
  }
}

export function createReconnectingClient(opts: ReconnectOptions): Client {
  return new Client(opts);
}

// variant: a class that owns the socket and the timers, with one method per stage and one close() for every outcome
import dns from 'node:dns';
import net from 'node:net';

export type Stage = 'lookup' | 'connect' | 'write' | 'read' | 'idle';
export type ProbeResult = { ok: true; reply: string } | { ok: false; stage: Stage; code: string };

class Probe {
  private stage: Stage = 'lookup';
  private socket?: net.Socket;
  private connectTimer?: NodeJS.Timeout;
  private idleTimer?: NodeJS.Timeout;
  private chunks: Buffer[] = [];
  private finished = false;
  private resolve!: (r: ProbeResult) => void;
  readonly result = new Promise<ProbeResult>((r) => (this.resolve = r));

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly request: string,
    private readonly opts: { connectMs: number; idleMs: number },
  ) {}

  start(): Promise<ProbeResult> {
    dns.lookup(this.host, { family: 4 }, (err, address) => (err ? this.fail(err) : this.connect(address)));
    return this.result;
  }

  private connect(address: string): void {
    this.stage = 'connect';
    const s = (this.socket = net.createConnection({ host: address, port: this.port }));
    this.connectTimer = setTimeout(() => this.close({ ok: false, stage: 'connect', code: 'ETIMEDOUT' }), this.opts.connectMs);
    s.on('error', (err) => this.fail(err));
    s.once('connect', () => this.write());
    s.on('data', (c: Buffer) => {
      this.chunks.push(c);
      this.restartIdle();
    });
    s.once('end', () => this.close({ ok: true, reply: Buffer.concat(this.chunks).toString('utf8') }));
  }

  private write(): void {
    clearTimeout(this.connectTimer);
    this.stage = 'write';
    this.socket!.write(this.request, (err) => {
      if (err || this.finished) return;
      this.stage = 'read';
      this.restartIdle();
    });
  }

  private restartIdle(): void {
    if (this.stage !== 'read' || this.finished) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.close({ ok: false, stage: 'idle', code: 'ETIMEDOUT' }), this.opts.idleMs);
  }

  private fail(err: NodeJS.ErrnoException): void {
    this.close({ ok: false, stage: this.stage, code: err.code ?? 'UNKNOWN' });
  }

  private close(r: ProbeResult): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.connectTimer);
    clearTimeout(this.idleTimer);
    this.socket?.destroy();
    this.resolve(r);
  }
}

export function probe(host: string, port: number, request: string, opts: { connectMs: number; idleMs: number }): Promise<ProbeResult> {
  return new Probe(host, port, request, opts).start();
}

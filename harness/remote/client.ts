/**
 * The grader's side of a lab server (harness/remote/server.ts): a Lab whose
 * namespaces, router and programs live in another process — a container under
 * the docker driver — and whose programs are LabProcesses here, so events,
 * signatures, exits and limits mean what they mean under the netns driver.
 */
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import { PassThrough, Writable } from 'node:stream';
import type { Fault, FlowCount } from '../faults.ts';
import type { Counter, Delay, Lab, LabAddresses, LabSpec, Limits, LinkShape, ProgramSpec } from '../lab.ts';
import { cpuUse, LabProcess, type CpuUse, type ProgramHandle } from '../process.ts';
import type { WireEvent } from '../wire.ts';
import type { Answer, Created, Push, Request, Started } from './protocol.ts';

type Body<R> = R extends { id: number } ? Omit<R, 'id'> : never;

/** A program of the lab server, as a ProgramHandle: its streams fed from the server's pushes. */
export class RemoteProgram extends EventEmitter implements ProgramHandle {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly events = new PassThrough();
  readonly stdin: Writable;
  cpuMs: number | undefined;
  oom = false;

  constructor(
    readonly pid: number | undefined,
    writeLine: (line: string) => void,
  ) {
    super();
    let buf = '';
    this.stdin = new Writable({
      write(chunk: Buffer, _enc, cb) {
        buf += chunk.toString();
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          writeLine(buf.slice(0, nl));
          buf = buf.slice(nl + 1);
        }
        cb();
      },
    });
  }

  exited(p: Extract<Push, { ev: 'exit' }>): void {
    this.oom = p.oom;
    if (p.cpuMs !== undefined) this.cpuMs = p.cpuMs;
    this.stdout.end();
    this.stderr.end();
    this.events.end();
    this.emit('exit', p.code, p.signal, p.t, p.killedByHarness);
  }
}

export class LabServerConnection {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly programs = new Map<string, RemoteProgram>();
  readonly labs = new Map<string, RemoteLab>();
  private gone: string | undefined;
  readonly ready: Promise<void>;

  constructor(
    private readonly child: ChildProcess,
    /** Says what the server is, in errors ("the lab container"). */
    private readonly what: string,
  ) {
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString();
    });
    let readyResolve!: () => void;
    let readyReject!: (e: Error) => void;
    this.ready = new Promise((res, rej) => ((readyResolve = res), (readyReject = rej)));
    child.stdin?.on('error', () => {});
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let m: Answer | Push | { ready: true };
      try {
        m = JSON.parse(line);
      } catch {
        return;
      }
      if ('ready' in m) readyResolve();
      else if ('re' in m) {
        const p = this.pending.get(m.re);
        this.pending.delete(m.re);
        if (m.ok) p?.resolve(m.value);
        else p?.reject(new Error(m.error));
      } else this.push(m);
    });
    child.on('exit', (code, signal) => {
      this.gone = `${this.what} stopped (${signal ?? `exit ${code}`})${stderr.trim() ? `: ${stderr.trim().slice(-1500)}` : ''}`;
      readyReject(new Error(this.gone));
      for (const p of this.pending.values()) p.reject(new Error(this.gone));
      this.pending.clear();
      // Programs of a server that is gone are gone too.
      for (const [id, prog] of this.programs) {
        prog.exited({ ev: 'exit', proc: id, code: null, signal: 'SIGKILL', t: performance.now(), killedByHarness: true, oom: false });
      }
      this.programs.clear();
    });
  }

  request<T>(body: Body<Request>): Promise<T> {
    if (this.gone) return Promise.reject(new Error(this.gone));
    const id = this.nextId++;
    const answered = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.stdin!.write(JSON.stringify({ id, ...body }) + '\n');
    });
    this.holdOpen();
    void answered.then(
      () => this.holdOpen(),
      () => this.holdOpen(),
    );
    return answered;
  }

  /**
   * The server keeps this process alive only while something waits on it (a
   * request, an open lab): an idle connection must not stop a test file or
   * the CLI from ending. Ending this process ends the server (its stdin closes).
   */
  holdOpen(): void {
    const busy = this.pending.size > 0 || this.labs.size > 0 || this.programs.size > 0;
    const handles = [this.child, this.child.stdin, this.child.stdout, this.child.stderr] as Array<{ ref?: () => void; unref?: () => void } | null>;
    for (const h of handles) (busy ? h?.ref : h?.unref)?.call(h);
  }

  /**
   * Output and exits of a program whose start has not been answered here yet
   * (the answer and its first output can come in one read): kept until it is.
   */
  private readonly early = new Map<string, Push[]>();

  /** Takes a started program's handle and gives it what already came for it. */
  attach(proc: string, handle: RemoteProgram): void {
    this.programs.set(proc, handle);
    const early = this.early.get(proc) ?? [];
    this.early.delete(proc);
    for (const m of early) this.push(m);
  }

  private push(m: Push): void {
    if (m.ev === 'out' || m.ev === 'exit') {
      const p = this.programs.get(m.proc);
      if (!p) {
        const list = this.early.get(m.proc) ?? [];
        if (list.length < 10_000) list.push(m);
        this.early.set(m.proc, list);
      } else if (m.ev === 'out') {
        if (m.stream === 'events') p.events.write(m.data + '\n');
        else p[m.stream].write(m.data);
      } else {
        this.programs.delete(m.proc);
        p.exited(m);
        this.holdOpen();
      }
    } else {
      for (const [id, s] of Object.entries(m.labs)) this.labs.get(id)?.mirror(s.from, s.wire, s.lost);
      for (const [id, ms] of Object.entries(m.cpu)) {
        const p = this.programs.get(id);
        if (p) p.cpuMs = ms;
      }
    }
  }

  get alive(): boolean {
    return this.gone === undefined;
  }

  /** Ends the conversation: the server closes every lab and exits. */
  end(): void {
    this.child.stdin?.end();
  }
}

export class RemoteLab implements Lab {
  private readonly wireEvents: WireEvent[] = [];
  private lost = 0;
  private readonly learners: LabProcess[] = [];
  private closing: Promise<void> | undefined;

  constructor(
    private readonly conn: LabServerConnection,
    readonly id: string,
    readonly addresses: LabAddresses,
    /** Called once the lab is closed (the driver forgets it). */
    private readonly onClosed: () => void,
  ) {}

  /**
   * The server's events from index `from` on. Events already here are updated
   * in place (a later trace line gave one its verdict or payload), so copies
   * of wire() taken earlier see the change, as they do under netns.
   */
  mirror(from: number, events: WireEvent[], lost: number): void {
    events.forEach((ev, i) => {
      const have = this.wireEvents[from + i];
      if (have) Object.assign(have, ev);
      else this.wireEvents[from + i] = ev;
    });
    this.lost = lost;
  }

  private async start(op: 'peer' | 'learner', name: string, body: Body<Request>): Promise<LabProcess> {
    const started = await this.conn.request<Started>(body);
    const handle = new RemoteProgram(started.pid, (line) => void this.conn.request({ op: 'stdin', proc: started.proc, line }).catch(() => {}));
    const proc = new LabProcess(name, handle, async (signal) => {
      await this.conn.request({ op: 'signal', proc: started.proc, signal });
    });
    this.conn.attach(started.proc, handle);
    proc.memoryLimitHit = () => handle.oom;
    if (op === 'learner') {
      proc.cpuUsedMs = () => handle.cpuMs;
      this.learners.push(proc);
    }
    return proc;
  }

  startPeer(host: string, program: ProgramSpec): Promise<LabProcess> {
    return this.start('peer', `peer ${host}`, { op: 'peer', lab: this.id, host, program });
  }

  startLearner(program: ProgramSpec, limits: Partial<Limits> = {}): Promise<LabProcess> {
    return this.start('learner', 'learner', { op: 'learner', lab: this.id, program, limits });
  }

  async addFault(fault: Fault): Promise<void> {
    await this.conn.request({ op: 'addFault', lab: this.id, fault });
  }
  async removeFault(id: string): Promise<void> {
    await this.conn.request({ op: 'removeFault', lab: this.id, fault: id });
  }
  async expireMappings(id: string): Promise<void> {
    await this.conn.request({ op: 'expireMappings', lab: this.id, fault: id });
  }
  async shape(s: LinkShape): Promise<void> {
    await this.conn.request({ op: 'shape', lab: this.id, shape: s });
  }
  async delay(d: Delay): Promise<void> {
    await this.conn.request({ op: 'delay', lab: this.id, delay: d });
  }
  counters(): Promise<Record<string, Counter>> {
    return this.conn.request({ op: 'counters', lab: this.id });
  }
  flows(): Promise<FlowCount[]> {
    return this.conn.request({ op: 'flows', lab: this.id });
  }
  wire(): WireEvent[] {
    return this.wireEvents;
  }
  wireLost(): number {
    return this.lost;
  }
  learnerCpu(): CpuUse | undefined {
    return cpuUse(this.learners);
  }
  async settleWire(): Promise<void> {
    if (!this.closing && this.conn.alive) await this.conn.request({ op: 'settle', lab: this.id });
  }
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.conn.alive) await this.conn.request({ op: 'close', lab: this.id }).catch(() => {});
      this.onClosed();
    })();
    return this.closing;
  }
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** Creates a lab on a connected server. */
export async function createRemoteLab(conn: LabServerConnection, spec: LabSpec, onClosed: (lab: RemoteLab) => void): Promise<RemoteLab> {
  await conn.ready;
  const c = await conn.request<Created>({ op: 'create', spec });
  const lab: RemoteLab = new RemoteLab(conn, c.lab, c.addresses, () => {
    conn.labs.delete(c.lab);
    conn.holdOpen();
    onClosed(lab);
  });
  conn.labs.set(c.lab, lab);
  conn.holdOpen();
  return lab;
}

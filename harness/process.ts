/**
 * The grader's handle on a program running in a lab host: its events (JSON
 * lines on fd 3, written by harness/agent.ts), its output, and its exit.
 */
import type { ChildProcess } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { nowMs } from './clock.ts';
import { RecordVerifier } from './records.ts';

export interface AgentEvent {
  /** Monotonic ms (harness/clock.ts) at the emitting process. */
  t: number;
  type: string;
  [key: string]: unknown;
}

export interface ExitInfo {
  t: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The harness stopped it (wall-time limit or lab close), not the program itself. */
  killedByHarness: boolean;
}

const outputCap = 256 * 1024;
/** A program cannot make the grader hold more than this many events or this long a line. */
const eventCap = 200_000;
const lineCap = 256 * 1024;

/** Stderr as it arrived: each chunk with the time the grader received it. */
export interface OutputChunk {
  t: number;
  text: string;
}

/** Splits a byte stream into lines, dropping any line longer than `lineCap` (a flood, not an event). */
function eachLine(stream: Readable, onLine: (line: string) => void): void {
  const decoder = new StringDecoder('utf8');
  let buf = '';
  let skipping = false;
  stream.on('data', (d: Buffer | string) => {
    buf += typeof d === 'string' ? d : decoder.write(d);
    for (;;) {
      const nl = buf.indexOf('\n');
      if (nl < 0) {
        if (buf.length > lineCap) {
          buf = '';
          skipping = true;
        }
        return;
      }
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (skipping) skipping = false;
      else onLine(line);
    }
  });
}

/**
 * A program that is not a local child process (the docker driver's
 * containers): the same streams, with the event lines as a stream of their
 * own, and 'exit' (code, signal, t?) where `t` is when the program ended, if
 * the driver knows it better than the moment it heard.
 */
export interface ProgramHandle extends EventEmitter {
  readonly pid?: number;
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  readonly events: Readable | null;
  /** Milliseconds that bring the program's clock to this machine's (a daemon on another kernel). */
  clockShift?(): number;
}

export class LabProcess {
  readonly events: AgentEvent[] = [];
  readonly startedAt = nowMs();
  private out = '';
  private err = '';
  /** Stderr chunks with their arrival times (up to the same cap as stderr). */
  readonly stderrChunks: OutputChunk[] = [];
  private verifier: RecordVerifier | undefined;
  /** Milliseconds to add to a record's time to bring it to this machine's clock (Docker Desktop). */
  private clockShift = 0;
  private waiters = new Set<() => void>();
  private exitInfo: ExitInfo | undefined;
  private harnessKill = false;
  readonly exited: Promise<ExitInfo>;
  /** Did the program hit its memory limit? Set by drivers that can tell. */
  memoryLimitHit: () => boolean = () => false;
  /** CPU time the program (its whole cgroup or container) used so far, ms; undefined where the driver cannot tell. */
  cpuUsedMs: () => number | undefined = () => undefined;
  /**
   * Sees every raw chunk of output and every event line as it arrives (a lab
   * server relays them to a grader elsewhere, which checks the records' signatures itself).
   */
  tap: ((stream: 'stdout' | 'stderr' | 'events', data: string) => void) | undefined;

  constructor(
    readonly name: string,
    private readonly child: ChildProcess | ProgramHandle,
    private readonly killTree: (signal: NodeJS.Signals) => Promise<void>,
  ) {
    child.stdout?.on('data', (d: Buffer) => {
      this.tap?.('stdout', d.toString());
      if (this.out.length < outputCap) this.out += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      this.tap?.('stderr', d.toString());
      if (this.err.length < outputCap) {
        const text = d.toString();
        this.err += text;
        this.stderrChunks.push({ t: nowMs(), text });
      }
    });
    if (!('stdio' in child)) this.clockShift = child.clockShift?.() ?? 0;
    const events = ('stdio' in child ? child.stdio[3] : child.events) as Readable | null | undefined;
    if (events) {
      eachLine(events, (line) => {
        this.tap?.('events', line);
        this.record(line);
      });
      events.on('error', () => {});
    }
    (child.stdin as Writable | null)?.on('error', () => {});
    // 'exit' can come before the last event lines are read: wait (briefly) for the event stream to end.
    const eventsEnded = events
      ? new Promise<void>((r) => {
          events.once('end', r);
          events.once('close', r);
        })
      : Promise.resolve();
    this.exited = new Promise((resolve) => {
      child.on('exit', (code: number | null, signal: NodeJS.Signals | null, t?: number, killedByHarness?: boolean) => {
        const info: ExitInfo = { t: t ?? nowMs(), code, signal, killedByHarness: this.harnessKill || killedByHarness === true };
        let timer: NodeJS.Timeout | undefined;
        const drained = new Promise<void>((r) => (timer = setTimeout(r, 200)));
        void Promise.race([eventsEnded, drained]).then(() => {
          clearTimeout(timer);
          this.exitInfo = info;
          resolve(info);
          this.notify();
        });
      });
      child.on('error', () => {
        this.exitInfo = { t: nowMs(), code: null, signal: null, killedByHarness: false };
        resolve(this.exitInfo);
        this.notify();
      });
    });
  }

  /**
   * From now on only records signed with `key` count (harness/runner-kit.ts):
   * anything else the program writes to the event channel is dropped.
   */
  requireSigned(key: Buffer): void {
    this.verifier = new RecordVerifier(key);
  }

  /** Records dropped as not genuine (unsigned, bad signature, out of order, from the future). */
  get refusedRecords(): readonly string[] {
    return this.verifier?.refused ?? [];
  }

  private record(line: string): void {
    if (this.events.length >= eventCap) return;
    const receivedAt = nowMs();
    let ev: AgentEvent;
    if (this.verifier) {
      const rec = this.verifier.accept(line, receivedAt - this.clockShift);
      if (!rec) return;
      ev = rec as AgentEvent;
    } else {
      try {
        ev = JSON.parse(line) as AgentEvent;
      } catch {
        return; // not an event line
      }
      if (typeof ev?.type !== 'string' || typeof ev.t !== 'number') return;
    }
    ev.t += this.clockShift;
    this.events.push(ev);
    this.notify();
  }

  /** Stderr received after monotonic time `t` (the grader's clock): what the program said after a fault. */
  stderrSince(t: number): string {
    return this.stderrChunks
      .filter((c) => c.t >= t)
      .map((c) => c.text)
      .join('');
  }

  /** Writes one raw line to the program's stdin (the runner's instructions). */
  writeLine(line: string): void {
    const stdin = this.child.stdin;
    if (stdin && !stdin.destroyed) stdin.write(line + '\n');
  }

  get pid(): number | undefined {
    return this.child.pid;
  }
  get stdout(): string {
    return this.out;
  }
  get stderr(): string {
    return this.err;
  }
  get exit(): ExitInfo | undefined {
    return this.exitInfo;
  }
  get running(): boolean {
    return this.exitInfo === undefined;
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Sends one command (a JSON line) to the program's stdin. */
  send(command: Record<string, unknown>): void {
    const stdin = this.child.stdin;
    if (stdin && !stdin.destroyed) stdin.write(JSON.stringify(command) + '\n');
  }

  /**
   * A signal to the program itself (e.g. SIGTERM for a graceful shutdown).
   * Resolves once it is delivered: at once under netns; under Docker when the
   * daemon's kill call returns, which on a busy machine takes a few hundred ms.
   */
  signal(sig: NodeJS.Signals): Promise<void> {
    return this.running ? this.killTree(sig).catch(() => {}) : Promise.resolve();
  }

  /** Stops the program and everything it started. */
  async kill(): Promise<ExitInfo> {
    if (this.running) {
      this.harnessKill = true;
      await this.killTree('SIGKILL').catch(() => {});
    }
    return this.exited;
  }

  /**
   * Resolves with the first event of `type` (matching `pred`), or null when the
   * program exits or `timeoutMs` passes first. Events already seen count.
   */
  waitFor(type: string, timeoutMs: number, pred: (e: AgentEvent) => boolean = () => true): Promise<AgentEvent | null> {
    return new Promise((resolve) => {
      let index = 0;
      const check = (): boolean => {
        for (; index < this.events.length; index++) {
          const e = this.events[index]!;
          if (e.type === type && pred(e)) {
            done(e);
            return true;
          }
        }
        if (!this.running) {
          done(null);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => done(null), timeoutMs);
      const done = (e: AgentEvent | null): void => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(e);
      };
      const waiter = (): void => {
        check();
      };
      if (!check()) this.waiters.add(waiter);
    });
  }

  /** Resolves with the exit, or null if the program is still running after `timeoutMs`. */
  async waitExit(timeoutMs: number): Promise<ExitInfo | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((r) => (timer = setTimeout(() => r(null), timeoutMs)));
    const result = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    return result;
  }

  eventsOf(type: string): AgentEvent[] {
    return this.events.filter((e) => e.type === type);
  }
}

/** CPU time used by programs (ms), and how many they were. */
export interface CpuUse {
  cpuMs: number;
  programs: number;
}

/** What `procs` used together; undefined if any of them cannot be accounted. */
export function cpuUse(procs: readonly LabProcess[]): CpuUse | undefined {
  let cpuMs = 0;
  for (const p of procs) {
    const ms = p.cpuUsedMs();
    if (ms === undefined) return undefined;
    cpuMs += ms;
  }
  return { cpuMs, programs: procs.length };
}

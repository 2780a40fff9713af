/**
 * The grader's handle on a program running in a lab host: its events (JSON
 * lines on fd 3, written by harness/agent.ts), its output, and its exit.
 */
import type { ChildProcess } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import { nowMs } from './clock.ts';

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
}

export class LabProcess {
  readonly events: AgentEvent[] = [];
  readonly startedAt = nowMs();
  private out = '';
  private err = '';
  private waiters = new Set<() => void>();
  private exitInfo: ExitInfo | undefined;
  private harnessKill = false;
  readonly exited: Promise<ExitInfo>;
  /** Did the program hit its memory limit? Set by drivers that can tell. */
  memoryLimitHit: () => boolean = () => false;

  constructor(
    readonly name: string,
    private readonly child: ChildProcess | ProgramHandle,
    private readonly killTree: (signal: NodeJS.Signals) => Promise<void>,
  ) {
    child.stdout?.on('data', (d: Buffer) => {
      if (this.out.length < outputCap) this.out += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      if (this.err.length < outputCap) this.err += d.toString();
    });
    const events = ('stdio' in child ? child.stdio[3] : child.events) as Readable | null | undefined;
    if (events) {
      createInterface({ input: events }).on('line', (line) => {
        try {
          const ev = JSON.parse(line) as AgentEvent;
          if (typeof ev.type === 'string' && typeof ev.t === 'number') {
            this.events.push(ev);
            this.notify();
          }
        } catch {
          // Not an event line: ignore. Only harness code writes to fd 3.
        }
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
      child.on('exit', (code: number | null, signal: NodeJS.Signals | null, t?: number) => {
        const info: ExitInfo = { t: t ?? nowMs(), code, signal, killedByHarness: this.harnessKill };
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

  /** A signal to the program itself (e.g. SIGTERM for a graceful shutdown). */
  signal(sig: NodeJS.Signals): void {
    if (this.running) this.killTree(sig).catch(() => {});
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

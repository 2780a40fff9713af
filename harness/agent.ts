/**
 * The program side of harness/process.ts, for peers and learner runners:
 * events go out as JSON lines on fd 3 (stdout and stderr stay the program's
 * own), commands come in as JSON lines on stdin.
 */
import { createWriteStream, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { nowMs } from './clock.ts';

const eventsFd = Number(process.env.LAB_EVENTS_FD ?? 3);
let stream: ReturnType<typeof createWriteStream> | undefined;

function out(): ReturnType<typeof createWriteStream> {
  stream ??= createWriteStream('', { fd: eventsFd });
  stream.on('error', () => {});
  return stream;
}

/** Records an event with the time it happened. */
export function emit(type: string, data: Record<string, unknown> = {}): void {
  out().write(JSON.stringify({ ...data, t: nowMs(), type }) + '\n');
}

/** Like emit, but written before returning: for the last words before an exit. */
export function emitSync(type: string, data: Record<string, unknown> = {}): void {
  try {
    writeSync(eventsFd, JSON.stringify({ ...data, t: nowMs(), type }) + '\n');
  } catch {
    // the grader is gone; nothing to tell
  }
}

export type Command = { cmd: string; [key: string]: unknown };

/** Calls `handler` for every command line on stdin. */
export function onCommand(handler: (c: Command) => void | Promise<void>): void {
  createInterface({ input: process.stdin }).on('line', (line) => {
    let c: Command;
    try {
      c = JSON.parse(line) as Command;
    } catch {
      return;
    }
    Promise.resolve(handler(c)).catch((err: unknown) => emit('agent-error', { cmd: c.cmd, message: String(err) }));
  });
}

/** The JSON config the grader passed as the program's first argument. */
export function config<T>(): T {
  return JSON.parse(process.argv[2] ?? '{}') as T;
}

/** Describes an error the way checks read it: every field a learner may have used. */
export function describeError(err: unknown): Record<string, unknown> {
  if (err && typeof err === 'object') {
    const e = err as { name?: unknown; code?: unknown; message?: unknown; errno?: unknown; syscall?: unknown; cause?: unknown };
    return {
      isError: err instanceof Error,
      name: typeof e.name === 'string' ? e.name : undefined,
      code: typeof e.code === 'string' || typeof e.code === 'number' ? String(e.code) : undefined,
      message: typeof e.message === 'string' ? e.message.slice(0, 500) : undefined,
      errno: typeof e.errno === 'number' ? e.errno : undefined,
      syscall: typeof e.syscall === 'string' ? e.syscall : undefined,
      cause: e.cause !== undefined && e.cause !== err ? describeError(e.cause) : undefined,
    };
  }
  return { isError: false, message: String(err).slice(0, 500) };
}

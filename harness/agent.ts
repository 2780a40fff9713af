/**
 * The program side of harness/process.ts, for peers and learner runners:
 * events go out as JSON lines on fd 3 (stdout and stderr stay the program's
 * own), commands come in as JSON lines on stdin.
 *
 * With LAB_EVENTS=stderr (the docker driver: `docker attach` carries only
 * stdin, stdout and stderr) each event goes to stderr instead, as one record
 * `eventRecordMark` + JSON + newline, written synchronously; the driver takes
 * the records out again (harness/docker/stream.ts), so the program's stderr
 * reaches the grader as the program wrote it.
 */
import { createWriteStream, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { nowMs } from './clock.ts';

import { eventRecordMark } from './records.ts';

export { eventRecordMark };
export { describeError } from './describe-error.ts';

const toStderr = process.env.LAB_EVENTS === 'stderr';
// The channel is the harness's business, not the program's environment.
if (toStderr) delete process.env.LAB_EVENTS;
const eventsFd = toStderr ? 2 : Number(process.env.LAB_EVENTS_FD ?? 3);
let stream: ReturnType<typeof createWriteStream> | undefined;

/** Writes all of `text` to stderr before returning, even to a non-blocking pipe. */
function writeRecordSync(text: string): void {
  const buf = Buffer.from(eventRecordMark + text);
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(2, buf, off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

function out(): ReturnType<typeof createWriteStream> {
  if (!stream) {
    stream = createWriteStream('', { fd: eventsFd });
    stream.on('error', () => {});
  }
  return stream;
}

/** Records an event with the time it happened. */
export function emit(type: string, data: Record<string, unknown> = {}): void {
  if (toStderr) return emitSync(type, data);
  out().write(JSON.stringify({ ...data, t: nowMs(), type }) + '\n');
}

/** Like emit, but written before returning: for the last words before an exit. */
export function emitSync(type: string, data: Record<string, unknown> = {}): void {
  try {
    const line = JSON.stringify({ ...data, t: nowMs(), type }) + '\n';
    if (toStderr) writeRecordSync(line);
    else writeSync(eventsFd, line);
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


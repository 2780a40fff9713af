/**
 * The runner's side of a module exercise: the harness program that loads the
 * learner's module in the learner's sandbox, calls it, and reports what it
 * did. The learner's code shares this process, so nothing it can reach may
 * tell it what the scenario is, and nothing it can write may pass for a report:
 *
 *   1. Before anything of the learner's exists, the runner reads one line from
 *      stdin: a per-run key, its instructions (the scenario's config) and the
 *      name of the learner's bundle. The line is gone from the pipe once read;
 *      argv and env say nothing.
 *   2. It captures what it relies on (the clock, HMAC, the write to the event
 *      descriptor, serialisation), neutralises what could read its memory
 *      (heap snapshots, V8 flags; the inspector, files and child processes are
 *      closed by Node's permission model, see harness/node-flags.ts) and
 *      freezes the built-in prototypes its bookkeeping uses.
 *   3. Only then it imports the learner's module (`importLearner`).
 *   4. Every event is one JSON line signed with the key (`"mac"`, HMAC-SHA256
 *      over the line without it) and numbered (`"seq"`); the grader drops any
 *      line that does not verify, is out of sequence, or is stamped later than
 *      it arrived (harness/process.ts).
 *
 * Import this module first in a runner: ES modules evaluate in import order,
 * so its top level runs before any other code of the runner.
 */
import { createHmac, createSecretKey } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { eventRecordMark } from './records.ts';

export { describeError } from './describe-error.ts';

// ---- captured before the learner's module can touch anything -------------
const uncurry =
  <A extends unknown[], R>(fn: (...args: A) => R) =>
  (self: unknown, ...args: A): R =>
    Reflect.apply(fn, self, args) as R;
// Named imports of built-ins are live bindings that syncBuiltinESMExports() updates after a
// learner patches fs.writeSync: these consts keep the functions as they were at load.
const readSync = fs.readSync;
const writeSync = fs.writeSync;
const hrtimeBigint = process.hrtime.bigint.bind(process.hrtime);
const jsonStringify = JSON.stringify;
const jsonParse = JSON.parse;
const objectKeys = Object.keys;
const isArray = Array.isArray;
const numberIsFinite = Number.isFinite;
const stringSlice = uncurry(String.prototype.slice);
const arrayJoin = uncurry(Array.prototype.join);
const arrayPush = uncurry(Array.prototype.push);
const bufferFrom = Buffer.from.bind(Buffer);
const hmacOf = createHmac;
const hmacProto = Object.getPrototypeOf(createHmac('sha256', 'x')) as { update: (d: string) => unknown; digest: (e: 'hex') => string };
const hmacUpdate = uncurry(hmacProto.update);
const hmacDigest = uncurry(hmacProto.digest);
const reallyExit = (process as unknown as { reallyExit: (code: number) => never }).reallyExit.bind(process);
const sabWait = Atomics.wait;
const sharedInt = new Int32Array(new SharedArrayBuffer(4));
const setTimer = setTimeout;
const clearTimer = clearTimeout;

/** Monotonic ms (the same clock as harness/clock.ts), read through a reference taken before the learner loaded. */
export function now(): number {
  return Number(hrtimeBigint()) / 1e6;
}

// ---- the secret line -------------------------------------------------------
interface Secret {
  key: string;
  config: unknown;
  /** The learner's bundle, relative to this runner's file. */
  learner: string;
}

/**
 * Reads the first line of stdin byte by byte. Every buffer that holds the key is
 * Buffer.alloc'd (never a slice of Node's shared pool, which any Buffer's
 * .buffer exposes) and zeroed once read; the key itself ends up in a KeyObject,
 * outside the JavaScript heap.
 */
function readSecretLine(): Secret {
  let line = Buffer.alloc(4096);
  let len = 0;
  const one = Buffer.alloc(1);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, one, 0, 1, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
        sabWait(sharedInt, 0, 0, 2);
        continue;
      }
      throw err;
    }
    if (n === 0 || one[0] === 0x0a) break;
    if (len === line.length) {
      if (len >= 1 << 20) throw new Error('runner: secret line too long');
      const bigger = Buffer.alloc(len * 2);
      line.copy(bigger);
      line.fill(0);
      line = bigger;
    }
    line[len++] = one[0]!;
  }
  one.fill(0);
  const text = line.toString('utf8', 0, len);
  line.fill(0);
  if (!text) throw new Error('runner: no instructions on stdin (this program is started by the grader)');
  return jsonParse(text) as Secret;
}

const secret = readSecretLine();
const key = (() => {
  const raw = Buffer.alloc(32);
  raw.write(secret.key, 'hex');
  const k = createSecretKey(raw);
  raw.fill(0);
  return k;
})();
secret.key = '';

/** The scenario's instructions, as the grader sent them. */
export function config<T>(): T {
  return secret.config as T;
}

// ---- signed events ---------------------------------------------------------
const toStderr = process.env.LAB_EVENTS === 'stderr';
if (toStderr) delete process.env.LAB_EVENTS;
const eventsFd = toStderr ? 2 : 3;
let seq = 0;

/**
 * Serialises without consulting anything the learner could have patched
 * (toJSON, getters on prototypes): only own enumerable data of plain values.
 */
function canon(value: unknown, depth = 0): string {
  if (depth > 20) return 'null';
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return jsonStringify(value);
    case 'number':
      return numberIsFinite(value) ? jsonStringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return jsonStringify(`${value}`);
    case 'object': {
      const parts: string[] = [];
      if (isArray(value)) {
        for (let i = 0; i < value.length; i++) arrayPush(parts, canon(value[i], depth + 1));
        return `[${arrayJoin(parts, ',')}]`;
      }
      const keys = objectKeys(value);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        const v = (value as Record<string, unknown>)[k];
        if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
        arrayPush(parts, `${jsonStringify(k)}:${canon(v, depth + 1)}`);
      }
      return `{${arrayJoin(parts, ',')}}`;
    }
    default:
      return 'null';
  }
}

function signedLine(type: string, data: Record<string, unknown>): string {
  const body = canon({ ...data, seq: seq++, t: now(), type });
  const h = hmacOf('sha256', key);
  hmacUpdate(h, body);
  const mac = hmacDigest(h, 'hex');
  return `${stringSlice(body, 0, -1)},"mac":"${mac}"}\n`;
}

function writeAll(text: string): void {
  const buf = bufferFrom(toStderr ? eventRecordMark + text : text);
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(eventsFd, buf, off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      sabWait(sharedInt, 0, 0, 1);
    }
  }
}

/** Records an event with the time it happened, signed; written before returning. */
export function emit(type: string, data: Record<string, unknown> = {}): void {
  try {
    writeAll(signedLine(type, data));
  } catch {
    // the channel is closed (by the grader, or by the learner's code): nothing to tell
  }
}

/** Same as emit (every record is written synchronously): for the last words before an exit. */
export const emitSync = emit;

/** Ends the process with `code`, whatever the learner did to process.exit. */
export function exitNow(code: number): never {
  return reallyExit(code);
}

/** A timer the learner's code cannot replace. */
export function after(ms: number, fn: () => void): { cancel(): void } {
  const t = setTimer(fn, ms);
  return { cancel: () => clearTimer(t) };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimer(resolve, ms));
}

// ---- what could read this process's memory, and what it relies on ---------
function lockdown(): void {
  const require = createRequire(import.meta.url);
  const refuse = (what: string) => () => {
    throw Object.assign(new Error(`${what} is not available to exercise code`), { code: 'ERR_ACCESS_DENIED' });
  };
  const v8 = require('node:v8') as Record<string, unknown>;
  for (const name of ['getHeapSnapshot', 'writeHeapSnapshot', 'setFlagsFromString', 'queryObjects']) {
    if (name in v8) v8[name] = refuse(`v8.${name}`);
  }
  try {
    const inspector = require('node:inspector') as { Session?: { prototype: Record<string, unknown> } };
    if (inspector.Session) {
      inspector.Session.prototype.connect = refuse('inspector');
      inspector.Session.prototype.connectToMainThread = refuse('inspector');
    }
  } catch {
    // no inspector in this build
  }
  syncBuiltinESMExports();
  // Frozen: the built-ins the runners' bookkeeping uses. Error.prototype stays
  // writable (code that sets err.name on an instance would throw otherwise).
  // The globals themselves stay put, so `new Map()` in a runner is the real one.
  for (const name of [
    'Object', 'Array', 'Map', 'Set', 'WeakMap', 'Promise', 'JSON', 'Math', 'Reflect', 'Number', 'String', 'Boolean',
    'Symbol', 'BigInt', 'Atomics', 'Buffer', 'process', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval',
    'setImmediate', 'queueMicrotask',
  ]) {
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    if (d && d.configurable) {
      if ('value' in d) Object.defineProperty(globalThis, name, { value: d.value, writable: false, configurable: false, enumerable: d.enumerable });
      else Object.defineProperty(globalThis, name, { ...d, configurable: false });
    }
  }
  for (const o of [
    Object, Object.prototype, Array, Array.prototype, Function.prototype, Map, Map.prototype, Set, Set.prototype,
    WeakMap, WeakMap.prototype, Promise, Promise.prototype, JSON, Math, Reflect, Number, Number.prototype,
    String, String.prototype, Boolean.prototype, Symbol, BigInt, BigInt.prototype, Atomics,
  ]) {
    Object.freeze(o);
  }
}

let imported: Promise<Record<string, unknown>> | undefined;

/** Locks the process down, then loads the learner's module (once). */
export function importLearner(): Promise<Record<string, unknown>> {
  imported ??= (async () => {
    lockdown();
    return (await import(new URL(secret.learner, import.meta.url).href)) as Record<string, unknown>;
  })();
  return imported;
}

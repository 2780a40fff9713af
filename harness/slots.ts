/**
 * Lab slots shared by every grader on the machine. Graders run side by side on
 * a shared machine (a bootcamp's server, a CI runner grading a class); each one
 * alone keeps its labs to a few per core, but four at once would put four
 * times that on the CPU and turn load into lost points. A slot is a directory
 * made atomically (mkdir) in a folder only the grader's user can write,
 * holding its owner's pid; a slot whose owner died (kill -9) is taken over.
 *
 * Run as root, the folder is /run/netprog-grade-slots: every grader of the
 * machine counts. Run as another user (the Docker driver needs no root), it is
 * that user's own folder: graders of one user count together, other users'
 * cannot be seen (nor can they hold this user's slots).
 *
 * NETPROG_LAB_SLOTS sets the count (default: 3 per core, at least 4).
 */
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ownerAlive } from './sandbox.ts';

export function slotCount(): number {
  const set = Number(process.env.NETPROG_LAB_SLOTS);
  if (Number.isInteger(set) && set > 0) return set;
  return Math.max(4, os.availableParallelism() * 3);
}

export function slotDir(): string {
  const uid = process.getuid?.() ?? 0;
  if (uid === 0) return '/run/netprog-grade-slots';
  const runtime = process.env.XDG_RUNTIME_DIR;
  return runtime ? path.join(runtime, 'netprog-grade-slots') : path.join(os.tmpdir(), `netprog-grade-${uid}`, 'slots');
}

/** The folder, made if missing; refused if it is not a real folder of this user (a planted link, say). */
function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  const uid = process.getuid?.() ?? 0;
  if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o022) !== 0) {
    throw new Error(`${dir} is not a private folder of this user: remove it, then grade again`);
  }
}

/** A slot folder with no owner file this long is one whose taker died between mkdir and writing it. */
const ownerlessStaleMs = 10_000;

/** The owner's pid; 0 while it is being written; undefined without an owner file. */
function ownerPid(slot: string): number | undefined {
  try {
    return Number(readFileSync(path.join(slot, 'owner'), 'utf8')) || 0;
  } catch {
    return undefined;
  }
}

function readOwner(slot: string): number | 'none' | 'fresh' {
  const pid = ownerPid(slot);
  if (pid) return pid;
  if (pid === 0) return 'fresh';
  try {
    return Date.now() - statSync(slot).mtimeMs > ownerlessStaleMs ? 'none' : 'fresh';
  } catch {
    return 'fresh'; // just given back
  }
}

function writeOwner(slot: string): void {
  const tmp = path.join(slot, `owner.${process.pid}`);
  writeFileSync(tmp, String(process.pid));
  renameSync(tmp, path.join(slot, 'owner'));
}

function tryTake(dir: string, i: number): boolean {
  const slot = path.join(dir, `slot-${i}`);
  try {
    mkdirSync(slot);
  } catch {
    // taken: by a live grader, or by one that died
    const owner = readOwner(slot);
    if (owner === 'fresh' || (typeof owner === 'number' && ownerAlive(owner))) return false;
    // The owner died (kill -9). Several graders may see that at once: the one
    // that creates the claim for that owner first takes the slot over; the
    // folder stays (removing it would race with a taker's mkdir).
    const claim = path.join(slot, `takeover-${owner}`);
    try {
      writeFileSync(claim, String(process.pid), { flag: 'wx' });
    } catch {
      return false;
    }
    if (ownerPid(slot) !== (owner === 'none' ? undefined : owner)) {
      // the slot changed hands in between (given back and taken afresh): not ours
      rmSync(claim, { force: true });
      return false;
    }
    writeOwner(slot);
    return true;
  }
  writeOwner(slot);
  return true;
}

/** Gives a slot back. Never throws: a folder that cannot be removed now is taken over once its owner has exited. */
function release(slot: string): void {
  try {
    rmSync(slot, { recursive: true, force: true, maxRetries: 3, retryDelay: 20 });
  } catch {
    try {
      rmSync(path.join(slot, 'owner'), { force: true });
    } catch {
      // nothing more to do
    }
  }
}

export interface SlotOptions {
  dir?: string;
  count?: number;
  /** Called once, when the first try finds every slot taken. */
  onWait?: () => void;
  /** Stops waiting (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
}

/** Waits for a free slot; resolves with the function that gives it back. */
export async function acquireSlot(opts: SlotOptions = {}): Promise<() => void> {
  const dir = opts.dir ?? slotDir();
  const count = opts.count ?? slotCount();
  ensureDir(dir);
  const start = Math.floor(Math.random() * count);
  let waited = false;
  for (let round = 0; ; round++) {
    opts.signal?.throwIfAborted();
    for (let k = 0; k < count; k++) {
      const i = (start + k) % count;
      if (tryTake(dir, i)) {
        const slot = path.join(dir, `slot-${i}`);
        let released = false;
        return () => {
          if (released) return;
          released = true;
          release(slot);
        };
      }
    }
    if (!waited) {
      waited = true;
      opts.onWait?.();
    }
    await new Promise((r) => setTimeout(r, Math.min(200, 20 + round * 10) + Math.random() * 20));
  }
}

/** Runs `task` in a slot, given back however the task ends. */
export async function inSlot<T>(task: () => Promise<T>, opts: SlotOptions = {}): Promise<T> {
  const release = await acquireSlot(opts);
  try {
    return await task();
  } finally {
    release();
  }
}

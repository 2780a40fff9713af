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
import { mkdirSync, readFileSync, rmSync, writeFileSync, lstatSync } from 'node:fs';
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

function tryTake(dir: string, i: number): boolean {
  const slot = path.join(dir, `slot-${i}`);
  try {
    mkdirSync(slot);
  } catch {
    // taken: by a live grader, or by one that died
    let owner = 0;
    try {
      owner = Number(readFileSync(path.join(slot, 'owner'), 'utf8'));
    } catch {
      // being written right now (no owner yet), or just released: not ours this round
      return false;
    }
    if (!owner || ownerAlive(owner)) return false;
    rmSync(slot, { recursive: true, force: true });
    try {
      mkdirSync(slot);
    } catch {
      return false;
    }
  }
  writeFileSync(path.join(slot, 'owner'), String(process.pid));
  return true;
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
          rmSync(slot, { recursive: true, force: true });
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

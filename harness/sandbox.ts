/**
 * Limits for learner code: a user id of its own, no capabilities, and cgroup
 * limits on memory and processes (v1 or v2, whichever the machine mounts).
 * Where no cgroup controller is writable, RLIMIT_NPROC (per uid, so per lab)
 * and V8's heap limit still hold, and `sandboxReport` says so.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Limits } from './lab.ts';

const root = '/sys/fs/cgroup';
/** Learner uids are taken from this range: one per lab, so labs cannot signal each other. */
export const uidBase = 61000;
export const uidSpan = 4000;

/**
 * Learner uids are leased system-wide, one per lab: a lease is a directory
 * made atomically under /run, holding its owner's pid. Two graders running at
 * once never share a uid, so killing a lab's uid never touches another run.
 */
const leaseDir = '/run/netprog-grade-uids';

function ownerAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function leaseUid(): number {
  mkdirSync(leaseDir, { recursive: true, mode: 0o700 });
  const start = Math.floor(Math.random() * uidSpan);
  for (let i = 0; i < uidSpan; i++) {
    const uid = uidBase + ((start + i) % uidSpan);
    try {
      mkdirSync(path.join(leaseDir, String(uid)));
    } catch {
      continue;
    }
    writeFileSync(path.join(leaseDir, String(uid), 'owner'), String(process.pid));
    return uid;
  }
  throw new Error(`no free learner uid in ${uidBase}..${uidBase + uidSpan - 1}: too many labs at once`);
}

export function releaseUid(uid: number): void {
  rmSync(path.join(leaseDir, String(uid)), { recursive: true, force: true });
}

/** Leases whose owner died (kill -9). Kill what still runs as those uids, then release them. */
export function staleUidLeases(): number[] {
  const freed: number[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync(leaseDir);
  } catch {
    return freed;
  }
  for (const e of entries) {
    let owner = 0;
    try {
      owner = Number(readFileSync(path.join(leaseDir, e, 'owner'), 'utf8'));
    } catch {
      // a lease being written right now has no owner file yet: leave it
      continue;
    }
    if (owner && owner !== process.pid && !ownerAlive(owner)) freed.push(Number(e));
  }
  return freed;
}

export type CgroupMode = 'v1' | 'v2' | 'none';

export function cgroupMode(): CgroupMode {
  if (existsSync(path.join(root, 'cgroup.controllers'))) {
    const controllers = readFileSync(path.join(root, 'cgroup.controllers'), 'utf8');
    return controllers.includes('memory') && controllers.includes('pids') ? 'v2' : 'none';
  }
  if (existsSync(path.join(root, 'memory', 'tasks')) && existsSync(path.join(root, 'pids', 'tasks'))) return 'v1';
  return 'none';
}

export function sandboxReport(mode = cgroupMode()): string {
  switch (mode) {
    case 'v1':
      return 'memory and process limits enforced by cgroup v1 (memory, pids controllers)';
    case 'v2':
      return 'memory and process limits enforced by cgroup v2 (memory.max, pids.max)';
    case 'none':
      return 'no writable cgroup controllers: processes limited by RLIMIT_NPROC, memory only by V8 heap size';
  }
}

/** A cgroup (one per controller under v1) holding one learner program. */
export class Cgroup {
  private dirs: string[] = [];
  constructor(
    readonly name: string,
    readonly mode: CgroupMode,
  ) {}

  create(limits: Limits): void {
    const bytes = String(limits.memoryMb * 1024 * 1024);
    try {
      if (this.mode === 'v1') {
        const mem = path.join(root, 'memory', this.name);
        const pids = path.join(root, 'pids', this.name);
        mkdirSync(mem);
        this.dirs.push(mem);
        writeFileSync(path.join(mem, 'memory.limit_in_bytes'), bytes);
        // Swap would let a process outgrow its limit; where memsw exists, bound it too.
        const memsw = path.join(mem, 'memory.memsw.limit_in_bytes');
        if (existsSync(memsw)) writeFileSync(memsw, bytes);
        mkdirSync(pids);
        this.dirs.push(pids);
        writeFileSync(path.join(pids, 'pids.max'), String(limits.pids));
      } else if (this.mode === 'v2') {
        const dir = path.join(root, this.name);
        mkdirSync(dir);
        this.dirs.push(dir);
        writeFileSync(path.join(dir, 'memory.max'), bytes);
        if (existsSync(path.join(dir, 'memory.swap.max'))) writeFileSync(path.join(dir, 'memory.swap.max'), '0');
        writeFileSync(path.join(dir, 'pids.max'), String(limits.pids));
      }
    } catch (err) {
      this.remove();
      throw err;
    }
  }

  /** Files a shell writes its own pid into, to enter the cgroup before exec. */
  procsFiles(): string[] {
    return this.dirs.map((d) => path.join(d, 'cgroup.procs'));
  }

  /** Was the memory limit hit? */
  oomKilled(): boolean {
    try {
      if (this.mode === 'v1') {
        // memory.failcnt can stay 0 after an OOM kill on some kernels; oom_control counts the kills.
        const f = path.join(root, 'memory', this.name, 'memory.oom_control');
        return /oom_kill [1-9]/.test(readFileSync(f, 'utf8'));
      }
      if (this.mode === 'v2') {
        const ev = readFileSync(path.join(root, this.name, 'memory.events'), 'utf8');
        return /oom_kill [1-9]/.test(ev);
      }
    } catch {
      // gone already
    }
    return false;
  }

  pids(): number[] {
    const out = new Set<number>();
    for (const f of this.procsFiles()) {
      try {
        for (const l of readFileSync(f, 'utf8').split('\n')) if (l.trim()) out.add(Number(l));
      } catch {
        // gone already
      }
    }
    return [...out];
  }

  killAll(): void {
    if (this.mode === 'v2') {
      try {
        writeFileSync(path.join(root, this.name, 'cgroup.kill'), '1');
      } catch {
        // older kernels have no cgroup.kill; fall through
      }
    }
    for (const pid of this.pids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  remove(): void {
    for (const d of this.dirs.splice(0)) removeCgroupDir(d);
  }
}

function removeCgroupDir(dir: string): void {
  // rmdir fails while a dying process is still charged; retry briefly.
  for (let i = 0; i < 50; i++) {
    try {
      rmdirSync(dir);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      const until = Date.now() + 10;
      while (Date.now() < until) {
        // brief spin: this runs during cleanup only
      }
    }
  }
}

/** Cgroups whose name starts with `prefix` (all controllers), for the reaper. */
export function listCgroups(prefix: string): string[] {
  const parents = [path.join(root, 'memory'), path.join(root, 'pids'), root];
  const out: string[] = [];
  for (const p of parents) {
    try {
      for (const d of readdirSync(p)) if (d.startsWith(prefix)) out.push(path.join(p, d));
    } catch {
      // controller not mounted
    }
  }
  return out;
}

export function reapCgroup(dir: string): void {
  try {
    for (const l of readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n')) {
      if (l.trim()) {
        try {
          process.kill(Number(l), 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
  } catch {
    // gone
  }
  removeCgroupDir(dir);
}

/**
 * The argv that drops to `uid` with no capabilities and no way to regain
 * them, and caps its process count.
 */
export function dropPrivileges(uid: number, limits: Limits): string[] {
  return [
    'prlimit',
    `--nproc=${limits.pids}`,
    '--core=0',
    '--',
    'setpriv',
    `--reuid=${uid}`,
    `--regid=${uid}`,
    '--clear-groups',
    '--inh-caps=-all',
    '--ambient-caps=-all',
    '--bounding-set=-all',
    '--no-new-privs',
    '--',
  ];
}

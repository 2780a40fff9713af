/**
 * Limits for learner code: a user id of its own, no capabilities, and cgroup
 * limits on memory, processes and CPU (v1 or v2, whichever the machine
 * mounts), with a kill that freezes the cgroup first where cgroup.kill is
 * missing (v1 freezer), so a fork loop cannot outrun it; and what it may see
 * (learnerFstab): a /tmp and /dev/shm of its own, its program folder
 * read-only, no repository, only its own processes in /proc.
 * Where no cgroup controller is writable, RLIMIT_NPROC (per uid, so per lab)
 * and V8's heap limit still hold, and `sandboxReport` says so.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Limits } from './lab.ts';
import { join, type Localized } from '../grader/i18n.ts';
import { words } from './words.ts';

const root = '/sys/fs/cgroup';
/**
 * Learner uids are taken from this range: one per lab, so labs cannot signal
 * each other. 60100–61099 sits in Debian's on-demand range (60000–64999),
 * below systemd's DynamicUser range (61184–65519); a uid that an account or a
 * running process has is skipped all the same (uidInUse).
 */
/**
 * Rootless mode (harness/rootless/driver.ts): the lab server runs in a user
 * namespace of an ordinary user where only that user's uid exists (as 0), so
 * learner code runs as the same uid as the harness, without capabilities;
 * and no cgroup is ours to write. Set once, at the server's start.
 */
let oneUid = false;
export function useSingleUid(): void {
  oneUid = true;
}
export const singleUid = (): boolean => oneUid;

export const uidBase = 60100;
export const uidSpan = 1000;

/** An account (/etc/passwd) or a live process (real or effective uid) has this uid. */
export function uidInUse(uid: number): boolean {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) if (Number(line.split(':')[2]) === uid && line.includes(':')) return true;
  } catch {
    // no passwd file: processes still tell
  }
  for (const d of readdirSync('/proc')) {
    if (d.charCodeAt(0) < 48 || d.charCodeAt(0) > 57) continue;
    try {
      const m = /^Uid:\s+(\d+)\s+(\d+)/m.exec(readFileSync(`/proc/${d}/status`, 'utf8'));
      if (m && (Number(m[1]) === uid || Number(m[2]) === uid)) return true;
    } catch {
      // exited meanwhile
    }
  }
  return false;
}

/**
 * Learner uids are leased system-wide, one per lab: a lease is a directory
 * made atomically under /run, holding its owner's pid. Two graders running at
 * once never share a uid, so killing a lab's uid never touches another run.
 */
const leaseDir = '/run/netprog-grade-uids';

export function ownerAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function leaseUid(): number {
  if (oneUid) return process.getuid?.() ?? 0;
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
    // Not ours to take (and its processes not ours to kill at teardown): someone else's uid.
    if (uidInUse(uid)) {
      releaseUid(uid);
      continue;
    }
    return uid;
  }
  throw new Error(`no free learner uid in ${uidBase}..${uidBase + uidSpan - 1}: too many labs at once`);
}

export function releaseUid(uid: number): void {
  if (oneUid) return;
  rmSync(path.join(leaseDir, String(uid)), { recursive: true, force: true });
}

/** How many tasks (threads) run as `uid` (real uid): what RLIMIT_NPROC counts. */
function processesOf(uid: number): number {
  let n = 0;
  for (const d of readdirSync('/proc')) {
    if (d.charCodeAt(0) < 48 || d.charCodeAt(0) > 57) continue;
    try {
      const status = readFileSync(`/proc/${d}/status`, 'utf8');
      if (Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]) === uid) n += Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 1);
    } catch {
      // exited meanwhile
    }
  }
  return n;
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
  if (oneUid) return 'none';
  if (existsSync(path.join(root, 'cgroup.controllers'))) {
    const controllers = readFileSync(path.join(root, 'cgroup.controllers'), 'utf8');
    return controllers.includes('memory') && controllers.includes('pids') ? 'v2' : 'none';
  }
  if (existsSync(path.join(root, 'memory', 'tasks')) && existsSync(path.join(root, 'pids', 'tasks'))) return 'v1';
  return 'none';
}

/** The v1 hierarchies a learner joins, by controller (missing ones absent). cpu and cpuacct are often one hierarchy. */
function v1Hierarchies(): Partial<Record<'memory' | 'pids' | 'cpu' | 'cpuacct' | 'freezer', string>> {
  const probe = { memory: 'tasks', pids: 'tasks', cpu: 'cpu.cfs_quota_us', cpuacct: 'cpuacct.usage', freezer: 'tasks' } as const;
  const out: Partial<Record<keyof typeof probe, string>> = {};
  for (const [c, file] of Object.entries(probe) as [keyof typeof probe, string][]) {
    const dir = path.join(root, c);
    if (existsSync(path.join(dir, file))) out[c] = dir;
  }
  return out;
}

/** Does the v2 root hand the cpu controller to its children (cpu.max)? */
function v2Cpu(): boolean {
  try {
    return /\bcpu\b/.test(readFileSync(path.join(root, 'cgroup.subtree_control'), 'utf8'));
  } catch {
    return false;
  }
}

export function sandboxReport(mode = cgroupMode()): Localized {
  switch (mode) {
    case 'v1': {
      const h = v1Hierarchies();
      return join(h.cpu ? words.cgroupV1 : words.cgroupV1NoCpu, '; ', h.freezer ? words.killFreezer : words.killNoFreezer);
    }
    case 'v2':
      return join(v2Cpu() ? words.cgroupV2 : words.cgroupV2NoCpu, '; ', words.killV2);
    case 'none':
      return words.noCgroups;
  }
}

/** CFS period for learner cgroups: short, so a throttled program stalls for a few ms, not 100 ms, mid-measurement. */
export const cpuPeriodUs = 10_000;

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `done` every ms until it holds or `ms` passes. */
async function waitUntil(done: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (done()) return true;
    if (Date.now() >= until) return false;
    await pause(1);
  }
}

function readIds(file: string): number[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map(Number);
  } catch {
    // gone already
    return [];
  }
}

function killIds(ids: number[]): void {
  for (const id of ids) {
    try {
      process.kill(id, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function tryWrite(file: string, text: string): boolean {
  try {
    writeFileSync(file, text);
    return true;
  } catch {
    return false;
  }
}

/** How long a kill may wait for a freeze, and for the cgroup to empty. */
const freezeWaitMs = 1000;
const emptyWaitMs = 3000;

/**
 * Kills everything in v1 cgroups `dirs`. With a freezer cgroup the tasks are
 * frozen first, so a fork loop cannot add a task between reading the list and
 * killing it; killed tasks die when thawed. Then waits (bounded) until every
 * dir is empty, killing any straggler (a freeze that did not complete in time).
 */
async function killV1(dirs: string[], freezer: string | undefined): Promise<boolean> {
  const tasks = (): number[] => [...new Set(dirs.flatMap((d) => readIds(path.join(d, 'tasks'))))];
  if (freezer && tryWrite(path.join(freezer, 'freezer.state'), 'FROZEN')) {
    await waitUntil(() => {
      try {
        return readFileSync(path.join(freezer, 'freezer.state'), 'utf8').trim() === 'FROZEN';
      } catch {
        return true;
      }
    }, freezeWaitMs);
    killIds(tasks());
    tryWrite(path.join(freezer, 'freezer.state'), 'THAWED');
  }
  return waitUntil(() => {
    const left = tasks();
    killIds(left);
    return left.length === 0;
  }, emptyWaitMs);
}

function v2Populated(dir: string): boolean {
  try {
    return /^populated 1$/m.test(readFileSync(path.join(dir, 'cgroup.events'), 'utf8'));
  } catch {
    return false;
  }
}

/** Kills everything in v2 cgroup `dir`: cgroup.kill, or freeze, kill, thaw where the kernel has none (< 5.14). */
async function killV2(dir: string): Promise<boolean> {
  if (!tryWrite(path.join(dir, 'cgroup.kill'), '1')) {
    if (tryWrite(path.join(dir, 'cgroup.freeze'), '1')) {
      await waitUntil(() => {
        try {
          return /^frozen 1$/m.test(readFileSync(path.join(dir, 'cgroup.events'), 'utf8'));
        } catch {
          return true;
        }
      }, freezeWaitMs);
    }
    killIds(readIds(path.join(dir, 'cgroup.procs')));
    tryWrite(path.join(dir, 'cgroup.freeze'), '0');
  }
  return waitUntil(() => {
    if (!v2Populated(dir)) return true;
    killIds(readIds(path.join(dir, 'cgroup.procs')));
    return false;
  }, emptyWaitMs);
}

/** A cgroup (one per controller hierarchy under v1) holding one learner program. */
export class Cgroup {
  private dirs: string[] = [];
  private freezer: string | undefined;
  constructor(
    readonly name: string,
    readonly mode: CgroupMode,
  ) {}

  private mk(dir: string): string {
    if (!this.dirs.includes(dir)) {
      mkdirSync(dir);
      this.dirs.push(dir);
    }
    return dir;
  }

  create(limits: Limits): void {
    const bytes = String(limits.memoryMb * 1024 * 1024);
    const quota = String(Math.max(1000, Math.round(limits.cpus * cpuPeriodUs)));
    try {
      if (this.mode === 'v1') {
        const h = v1Hierarchies();
        const mem = this.mk(path.join(h.memory!, this.name));
        writeFileSync(path.join(mem, 'memory.limit_in_bytes'), bytes);
        // Swap would let a process outgrow its limit; where memsw exists, bound it too.
        const memsw = path.join(mem, 'memory.memsw.limit_in_bytes');
        if (existsSync(memsw)) writeFileSync(memsw, bytes);
        const pids = this.mk(path.join(h.pids!, this.name));
        writeFileSync(path.join(pids, 'pids.max'), String(limits.pids));
        // cpu and cpuacct may be one hierarchy (cpu,cpuacct): realpath tells.
        const real = (d: string | undefined): string | undefined => (d ? realpathSync(d) : undefined);
        if (h.cpu) {
          const cpu = this.mk(path.join(real(h.cpu)!, this.name));
          writeFileSync(path.join(cpu, 'cpu.cfs_period_us'), String(cpuPeriodUs));
          writeFileSync(path.join(cpu, 'cpu.cfs_quota_us'), quota);
        }
        // cpuacct only accounts (cpuUsageUs): the time a learner used, as cpu.stat has it under v2.
        if (h.cpuacct) this.mk(path.join(real(h.cpuacct)!, this.name));
        if (h.freezer) this.freezer = this.mk(path.join(h.freezer, this.name));
      } else if (this.mode === 'v2') {
        const dir = this.mk(path.join(root, this.name));
        writeFileSync(path.join(dir, 'memory.max'), bytes);
        if (existsSync(path.join(dir, 'memory.swap.max'))) writeFileSync(path.join(dir, 'memory.swap.max'), '0');
        writeFileSync(path.join(dir, 'pids.max'), String(limits.pids));
        if (existsSync(path.join(dir, 'cpu.max'))) writeFileSync(path.join(dir, 'cpu.max'), `${quota} ${cpuPeriodUs}`);
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

  /** CPU time used so far by everything in the cgroup, in µs (undefined where not accounted). */
  cpuUsageUs(): number | undefined {
    return cgroupCpuUsageUs(this.name, this.mode);
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
    return [...new Set(this.procsFiles().flatMap(readIds))];
  }

  /**
   * Kills every process in the cgroup, fork loops included, and resolves once
   * the cgroup is empty (false if it still was not after a few seconds).
   */
  async killAll(): Promise<boolean> {
    if (this.dirs.length === 0) return true;
    if (this.mode === 'v2') return killV2(this.dirs[0]!);
    return killV1(this.dirs, this.freezer);
  }

  remove(): void {
    for (const d of this.dirs.splice(0)) removeCgroupDir(d);
    this.freezer = undefined;
  }
}

/** CPU time (µs) used by learner cgroup `name`: cpuacct.usage under v1, cpu.stat's usage_usec under v2. */
export function cgroupCpuUsageUs(name: string, mode = cgroupMode()): number | undefined {
  try {
    if (mode === 'v1') {
      const acct = v1Hierarchies().cpuacct;
      return acct ? Number(readFileSync(path.join(realpathSync(acct), name, 'cpuacct.usage'), 'utf8')) / 1000 : undefined;
    }
    if (mode === 'v2') {
      const m = /^usage_usec (\d+)$/m.exec(readFileSync(path.join(root, name, 'cpu.stat'), 'utf8'));
      return m ? Number(m[1]) : undefined;
    }
  } catch {
    // gone already
  }
  return undefined;
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

/** Cgroups whose name starts with `prefix` (every hierarchy), for the reaper. */
export function listCgroups(prefix: string): string[] {
  // Co-mounted controllers (cpu,cpuacct) are one hierarchy under two names: list it once.
  const hierarchies = ['memory', 'pids', 'cpu', 'cpuacct', 'freezer'].map((c) => path.join(root, c)).filter((p) => existsSync(p));
  const parents = [...new Set(hierarchies.map((p) => realpathSync(p)))];
  const out: string[] = [];
  for (const p of [...parents, root]) {
    try {
      for (const d of readdirSync(p)) if (d.startsWith(prefix)) out.push(path.join(p, d));
    } catch {
      // controller not mounted
    }
  }
  return out;
}

/**
 * Kills what a dead grader left in cgroup `dir`, then removes it. Under v1 the
 * freezer cgroup of the same name (maybe left FROZEN mid-kill) is frozen, its
 * tasks killed and thawed, or nothing in it could die and no rmdir succeed.
 */
export async function reapCgroup(dir: string): Promise<void> {
  if (path.dirname(dir) === root) {
    await killV2(dir);
  } else {
    const freezer = path.join(root, 'freezer', path.basename(dir));
    const hasFreezer = existsSync(path.join(freezer, 'freezer.state'));
    await killV1(hasFreezer ? [dir, freezer] : [dir], hasFreezer ? freezer : undefined);
  }
  removeCgroupDir(dir);
}

/** Options of the learner's /proc: other users' processes are not there at all. */
export const procOptions = 'nosuid,nodev,noexec,hidepid=invisible';

/**
 * Can /proc be mounted with hidepid=invisible in a mount namespace of our
 * own? Needs Linux 5.8+, where each proc mount has its own options (before,
 * the options were the pid namespace's, and "invisible" is refused anyway).
 * Tried once, in a throwaway mount namespace.
 */
let hidepid: Promise<boolean> | undefined;
export function procHidepid(): Promise<boolean> {
  hidepid ??= new Promise((resolve) => {
    const [major = 0, minor = 0] = os.release().split('.').map((n) => parseInt(n, 10));
    if (major < 5 || (major === 5 && minor < 8)) return resolve(false);
    execFile(
      'unshare',
      ['--mount', '--propagation', 'private', '--', 'mount', '-t', 'proc', '-o', procOptions, 'proc', '/proc'],
      { timeout: 5000 },
      (err) => resolve(!err),
    );
  });
  return hidepid;
}

export async function privacyReport(): Promise<Localized> {
  return (await procHidepid()) ? words.privateViewHidden : words.privateViewNoHidepid;
}

/** A path in fstab(5): blanks and backslashes as octal escapes. */
function fstabPath(p: string): string {
  return p.replace(/[ \t\n\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

/**
 * The learner's mounts, as an fstab(5) for one `mount -a -c` in its private
 * mount namespace (one process, where a `mount` per line costs ~1.5 ms each),
 * run with the program's folder as working directory: the repository becomes
 * an empty tmpfs; /tmp and /dev/shm fresh private tmpfs (not the host's:
 * other runs' bundles, the grader's caches); the program's folder, still
 * reachable as /proc/self/cwd once /tmp is covered, bound back read-only at
 * its own path (-c: not canonicalized into the new, empty /tmp; X-mount.mkdir
 * makes the path in it); and, where the kernel allows, a /proc that shows
 * only the learner's own processes. First of all, with `resolvConf`, the
 * lab's resolv.conf over /etc/resolv.conf. Sources are unique names: `mount -a`
 * skips what looks mounted already.
 */
export function learnerFstab(opts: { repoRoot: string; programDir: string; hidepid: boolean; resolvConf?: string }): string {
  const tmpfs = 'rw,nosuid,nodev,size=16m,mode=1777';
  const lines = [
    // The lab's resolv.conf (harness/resolver.ts), from a file already unlinked, over the host's.
    ...(opts.resolvConf ? [[opts.resolvConf, '/etc/resolv.conf', 'none', 'bind,ro']] : []),
    ['netprog-hide', opts.repoRoot, 'tmpfs', 'size=1k,mode=0755'],
    ['netprog-tmp', '/tmp', 'tmpfs', tmpfs],
    ...(existsSync('/dev/shm') ? [['netprog-shm', '/dev/shm', 'tmpfs', tmpfs]] : []),
    ['/proc/self/cwd', opts.programDir, 'none', 'bind,ro,nosuid,nodev,noexec,X-mount.mkdir'],
    ...(opts.hidepid ? [['netprog-proc', '/proc', 'proc', procOptions]] : []),
  ];
  return lines.map(([src, dst, type, o]) => `${fstabPath(src!)} ${fstabPath(dst!)} ${type} ${o} 0 0\n`).join('');
}

/**
 * The argv that drops to `uid` with no capabilities and no way to regain
 * them, and caps its process count.
 */
export function dropPrivileges(uid: number, limits: Limits): string[] {
  if (oneUid) {
    // One uid for everything: RLIMIT_NPROC counts every process of it, so the cap is what runs now plus the learner's share.
    // setgroups is denied in the user namespace (no --clear-groups), and the uid stays the only one there is.
    return ['prlimit', `--nproc=${processesOf(uid) + limits.pids}`, '--core=0', '--', 'setpriv', '--inh-caps=-all', '--ambient-caps=-all', '--bounding-set=-all', '--no-new-privs', '--'];
  }
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

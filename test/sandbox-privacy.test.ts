/**
 * What learner code may see and use under the netns driver: a /tmp and a
 * /dev/shm of its own (not the host's: other runs' bundles, the grader's
 * caches), its own program folder read-only at the same path, only its own
 * processes in /proc; at most its CPU share; and a kill that a fork loop does
 * not survive. Real labs, netns driver (root only).
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { bundle } from '../harness/bundle.ts';
import { defaultLimits, type Lab } from '../harness/lab.ts';
import { NetnsDriver } from '../harness/netns/driver.ts';
import { cgroupCpuUsageUs, cgroupMode, cpuPeriodUs, procHidepid } from '../harness/sandbox.ts';
import { repoRoot } from '../grader/paths.ts';
import { runDir } from '../grader/grade.ts';

const driver = new NetnsDriver();
const status = await driver.status();
if (!status.usable) {
  t.plan(0, `netns driver not usable here: ${status.problems.join('; ')}`);
  process.exit(0);
}
const hidepid = await procHidepid();

// A run's folder of bundles, as the grader makes it: /tmp/netprog-grade-<uid>/<pid>-<hex>.
const out = runDir();
const probe = await bundle({ entry: path.join(repoRoot, 'test/fixtures/privacy/privacy-probe.ts'), outDir: out });
const sibling = 'sibling.txt';
writeFileSync(path.join(out, sibling), 'next to the program', { mode: 0o644 });
// Readable by anyone: only the private /tmp keeps it from the learner.
const secret = path.join(os.tmpdir(), `netprog-secret-${randomBytes(6).toString('hex')}`);
writeFileSync(secret, 'the grader only', { mode: 0o644 });
// A host process with a recognisable command line.
const host = spawn('sleep', ['1234567'], { stdio: 'ignore' });

t.teardown(async () => {
  host.kill('SIGKILL');
  await driver.closeAll();
  rmSync(out, { recursive: true, force: true });
  rmSync(secret, { force: true });
});

/** Processes of `uid` that are alive (state not Z: zombies wait for a slow reaper, they run nothing). */
function liveProcessesOf(uid: number): string[] {
  const live: string[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const status = readFileSync(`/proc/${d}/status`, 'utf8');
      const owner = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
      const state = /^State:\s+(\S)/m.exec(status)?.[1];
      if (owner === uid && state !== 'Z' && state !== 'X') live.push(`${d} ${state} ${/^Name:\s+(.*)$/m.exec(status)?.[1]}`);
    } catch {
      // exited meanwhile
    }
  }
  return live;
}

/** Cgroup directories of a lab, in every hierarchy. */
function cgroupsOf(lab: Lab): string[] {
  const parents = ['memory', 'pids', 'cpu', 'cpuacct', 'freezer'].map((c) => `/sys/fs/cgroup/${c}`).filter((p) => existsSync(p));
  return [...parents, '/sys/fs/cgroup'].flatMap((p) => readdirSync(p).filter((d) => d.startsWith(`${lab.id}-`)).map((d) => `${p}/${d}`));
}

t.test('learner code sees a /tmp of its own, its own folder read-only, and only its own processes', async (t) => {
  await using lab = await driver.create({ peers: ['server'], label: 'sandbox-privacy' });
  const marker = `privacy-${randomBytes(4).toString('hex')}`;
  const cfg = { try: 'look', secret, hostPid: host.pid, graderPid: process.pid, marker, sibling };
  const p = await lab.startLearner({ file: probe, args: [JSON.stringify(cfg)] });
  t.ok(await p.waitFor('done', 10_000), `the probe ran to its end\n${p.stderr}`);

  const tmp = p.eventsOf('tmp')[0]!;
  const entries = tmp.entries as { ok: boolean; value?: string[] };
  t.ok(entries.ok, 'the learner can list its /tmp');
  t.notOk(entries.value?.includes(path.basename(secret)), 'the secret is not in its /tmp');
  // All there is: the way down to its own folder.
  if (out.startsWith('/tmp/')) t.same(entries.value, [out.split('/')[2]], `nothing of the host's /tmp (${entries.value?.join(', ')})`);
  t.same((tmp.shm as { value?: string[] }).value, [], 'an empty /dev/shm');
  t.equal(p.eventsOf('secret')[0]!.read, 'ENOENT', 'the secret cannot be read');

  const wrote = p.eventsOf('wrote')[0]!;
  t.equal(wrote.tmp, 'succeeded', 'writing to /tmp works');
  t.equal(wrote.shm, 'succeeded', 'writing to /dev/shm works');
  t.same(wrote.tmpBack, { ok: true, value: 'learner' }, 'and reads back');
  t.notOk(existsSync(`/tmp/${marker}`), "but not in the host's /tmp");
  t.notOk(existsSync(`/dev/shm/${marker}`), "nor in the host's /dev/shm");
  t.equal(wrote.programDir, 'EROFS', 'its program folder is read-only');
  t.notOk(existsSync(path.join(out, 'learner-was-here')), 'and unchanged on the host');

  const own = p.eventsOf('own')[0]!;
  t.equal(own.self, 'succeeded', 'it reads its own program file');
  t.same(own.sibling, { ok: true, value: 'next to the program' }, 'and a file beside it');

  const proc = p.eventsOf('proc')[0]!;
  t.equal(proc.self, 'succeeded', '/proc/self works');
  const id = p.eventsOf('identity')[0]!;
  t.ok((proc.pids as number[]).includes(id.pid as number), 'it sees its own process');
  const fds = (proc.fds as { value?: string }[]).map((f) => f.value ?? '');
  t.same(fds.filter((f) => f.includes('netprog-fstab')), [], "the sandbox's own files are closed");
  if (!hidepid) {
    t.pass('other processes are hidden', { skip: `/proc with hidepid=invisible is not available on this kernel (${os.release()})` });
    return;
  }
  t.equal(proc.host, 'ENOENT', 'a host process is not in its /proc');
  t.equal(proc.grader, 'ENOENT', 'nor the grader');
  const cmdlines = proc.cmdlines as string[];
  t.notOk(cmdlines.some((c) => c.includes('1234567')), "no other process's command line");
  t.ok(cmdlines.every((c) => c.includes('node')), `only its own node process (${cmdlines.join(' | ')})`);
});

t.test(`a CPU spinner gets its share (${defaultLimits.cpus} CPUs), not the machine`, async (t) => {
  await using lab = await driver.create({ peers: ['server'], label: 'sandbox-cpu' });
  const p = await lab.startLearner({ file: probe, args: [JSON.stringify({ try: 'spin', threads: 3 })] });
  t.ok(await p.waitFor('spinning', 10_000), `the spinner started ${p.stderr}`);
  const name = `${lab.id}-learner0`;
  const quota = Math.round(defaultLimits.cpus * cpuPeriodUs);
  if (cgroupMode() === 'v2') {
    t.equal(readFileSync(`/sys/fs/cgroup/${name}/cpu.max`, 'utf8').trim(), `${quota} ${cpuPeriodUs}`, 'cpu.max holds the share, over a 10 ms period');
  } else {
    t.equal(readFileSync(`/sys/fs/cgroup/cpu/${name}/cpu.cfs_period_us`, 'utf8').trim(), String(cpuPeriodUs), 'a 10 ms period');
    t.equal(readFileSync(`/sys/fs/cgroup/cpu/${name}/cpu.cfs_quota_us`, 'utf8').trim(), String(quota), 'the quota');
  }
  // Let the workers start, then measure over 1.5 s.
  await new Promise((r) => setTimeout(r, 300));
  const usage = (): number => cgroupCpuUsageUs(name)!;
  t.type(cgroupCpuUsageUs(name), 'number', 'the cgroup accounts CPU time');
  const u0 = usage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, 1500));
  const cpus = (usage() - u0) / ((performance.now() - t0) * 1000);
  t.ok(cpus < 1.7, `at most its share: ${cpus.toFixed(2)} CPUs`);
  // Low only to say it runs at all: on a loaded machine (load 20 on 2 cores, seen) the share is the scheduler's, not ours.
  t.ok(cpus > 0.2, `but it does run: ${cpus.toFixed(2)} CPUs`);
  await p.kill();
});

/** Every task still in the learner's cgroups (they outlive a kill until lab.close()). */
function tasksIn(dirs: string[]): string[] {
  return dirs.flatMap((d) => {
    try {
      return readFileSync(path.join(d, d.startsWith('/sys/fs/cgroup/npg') ? 'cgroup.procs' : 'tasks'), 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  });
}

/** Live processes of `uid`, scanned a few times: a process that keeps changing its pid can slip through one scan. */
async function survivorsOf(uid: number): Promise<string[]> {
  const seen = new Set<string>();
  for (let i = 0; i < 5; i++) {
    for (const p of liveProcessesOf(uid)) seen.add(p);
    await new Promise((r) => setTimeout(r, 10));
  }
  return [...seen];
}

/** The learner starts fork loops: plain `sleep 100 &` ones, and ones whose sleeps leave by setsid and a double fork, as daemons do. */
const forkLoop = JSON.stringify({ try: 'fork' });

t.test('fork loops die with proc.kill()', async (t) => {
  await using lab = await driver.create({ peers: ['server'], label: 'sandbox-fork-kill' });
  const p = await lab.startLearner({ file: probe, args: [forkLoop] });
  t.ok(await p.waitFor('forking', 10_000), `the loops started ${p.stderr}`);
  const uid = p.eventsOf('identity')[0]!.uid as number;
  const cgroups = cgroupsOf(lab);
  const running = liveProcessesOf(uid);
  t.ok(running.some((l) => l.endsWith(' sleep')) && running.length > 10, `the loops run (${running.length} processes)`);
  const t0 = performance.now();
  const exit = await p.kill();
  const ms = performance.now() - t0;
  t.ok(exit.killedByHarness, 'killed by the harness');
  t.same(tasksIn(cgroups), [], `its cgroups are empty (kill took ${ms.toFixed(0)} ms)`);
  t.same(await survivorsOf(uid), [], "nothing of the learner's uid lives on");
});

t.test('fork loops die with lab.close(), which leaves no cgroup', async (t) => {
  const lab = await driver.create({ peers: ['server'], label: 'sandbox-fork-close' });
  const p = await lab.startLearner({ file: probe, args: [forkLoop] });
  t.ok(await p.waitFor('forking', 10_000), `the loops started ${p.stderr}`);
  const uid = p.eventsOf('identity')[0]!.uid as number;
  t.ok(cgroupsOf(lab).length >= 1, `the learner has cgroups (${cgroupsOf(lab).join(', ')})`);
  const t0 = performance.now();
  await lab.close();
  const ms = performance.now() - t0;
  t.same(await survivorsOf(uid), [], `nothing of the learner's uid lives on (close took ${ms.toFixed(0)} ms)`);
  t.same(cgroupsOf(lab), [], 'no cgroup of the lab is left');
});

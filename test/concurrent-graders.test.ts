/**
 * Graders side by side (a bootcamp's server, a CI runner grading a class): four `grade <exercise>
 * --solution --json` processes at once, three rounds, under every driver the machine runs. Every
 * grade is full — load turns into waiting for a lab slot (harness/slots.ts), never into lost
 * points — and nothing any of them made is left: namespaces, cgroups, uid leases, lab slots,
 * run folders, containers and networks, looked up by each grader's pid.
 */
import t from 'tap';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../grader/paths.ts';
import { testedDrivers } from './lib/conformance.ts';
import { testDriver } from './lib/grade.ts';

const run = promisify(execFile);
const exercise = 'connect-timeout';
const graders = 4;
const rounds = 3;

interface Outcome {
  pid: number;
  code: number | null;
  score?: number;
  maxScore?: number;
  seed?: number;
  failed: string[];
  stderr: string;
}

function gradeOnce(driver: string): { pid: number; done: Promise<Outcome> } {
  let pid = 0;
  const done = new Promise<Outcome>((resolve) => {
    const c = spawn(process.execPath, [path.join(repoRoot, 'bin/grade.mjs'), exercise, '--solution', '--json', '--driver', driver], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    pid = c.pid!;
    let out = '';
    let err = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (err += d));
    c.on('exit', (code) => {
      const o: Outcome = { pid: c.pid!, code, failed: [], stderr: err.slice(-2000) };
      try {
        const r = JSON.parse(out) as { score: number; maxScore: number; seed: number; checks: Array<{ id: string; status: string; message: string }> };
        Object.assign(o, { score: r.score, maxScore: r.maxScore, seed: r.seed });
        o.failed = r.checks.filter((x) => x.status !== 'pass').map((x) => `${x.id}: ${x.message}`);
      } catch {
        o.failed = [`no JSON report: ${out.slice(0, 500)}`];
      }
      resolve(o);
    });
  });
  return { pid, done };
}

const list = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};
const ownedBy = (file: string, pids: Set<number>): boolean => {
  try {
    return pids.has(Number(readFileSync(file, 'utf8')));
  } catch {
    return false;
  }
};

/** What the graders with these pids left behind. */
async function leftovers(driver: string, pids: Set<number>): Promise<string[]> {
  const found: string[] = [];
  const prefixes = [...pids].map((p) => `npg${p}-`);
  const mine = (name: string): boolean => prefixes.some((p) => name.startsWith(p));
  for (const e of list('/run/netprog-grade-uids')) if (ownedBy(path.join('/run/netprog-grade-uids', e, 'owner'), pids)) found.push(`uid lease ${e}`);
  for (const e of list('/run/netprog-grade-slots')) if (ownedBy(path.join('/run/netprog-grade-slots', e, 'owner'), pids)) found.push(`lab slot ${e}`);
  const base = path.join(os.tmpdir(), `netprog-grade-${process.getuid?.() ?? 0}`);
  for (const e of list(base)) if ([...pids].some((p) => e.startsWith(`${p}-`))) found.push(`run folder ${e}`);
  if (driver === 'netns') {
    const { stdout } = await run('ip', ['netns', 'list']).catch(() => ({ stdout: '' }));
    for (const l of stdout.split('\n')) if (mine(l)) found.push(`netns ${l.split(' ')[0]}`);
    const root = '/sys/fs/cgroup';
    for (const dir of [root, ...(existsSync(root) ? list(root).map((c) => path.join(root, c)) : [])]) for (const e of list(dir)) if (mine(e)) found.push(`cgroup ${dir}/${e}`);
  } else {
    for (const pid of pids) {
      const filters = ['--filter', `label=netprog-grade.owner=${os.hostname()}:${pid}`, '-q'];
      const c = await run('docker', ['ps', '-a', ...filters]);
      const n = await run('docker', ['network', 'ls', ...filters]);
      found.push(...c.stdout.split('\n').filter(Boolean).map((x) => `container ${x}`), ...n.stdout.split('\n').filter(Boolean).map((x) => `network ${x}`));
    }
  }
  return found;
}

const drivers = await testedDrivers();
for (const driver of drivers) {
  t.test(`driver ${driver}: ${graders} graders at once, ${rounds} rounds`, async (t) => {
    await testDriver(driver as 'netns' | 'docker');
    for (let round = 1; round <= rounds; round++) {
      const t0 = performance.now();
      const started = Array.from({ length: graders }, () => gradeOnce(driver));
      // The probe must see the labs while they run, or "nothing left" would prove nothing. It looks
      // every half second until it does (how soon graders build labs depends on the machine's load).
      const all = Promise.all(started.map((s) => s.done));
      let finished = false;
      void all.then(() => (finished = true));
      let seen: string[] = [];
      while (round === 1 && !finished && seen.length === 0) {
        await new Promise((r) => setTimeout(r, 500));
        if (!finished) seen = await leftovers(driver, new Set(started.map((s) => s.pid)));
      }
      const outcomes = await all;
      if (round === 1) t.ok(seen.length > 0, `the leftover probe saw the running graders' labs (${seen.slice(0, 4).join(', ')}…)`);
      t.comment(`round ${round}: ${((performance.now() - t0) / 1000).toFixed(1)} s, seeds ${outcomes.map((o) => o.seed).join(', ')}`);
      for (const o of outcomes) {
        t.equal(o.code, 0, `round ${round}, grader ${o.pid}: exit 0, ${o.score}/${o.maxScore} (seed ${o.seed})\n${o.failed.join('\n')}\n${o.stderr}`);
      }
      const pids = new Set(outcomes.map((o) => o.pid));
      let left: string[] = [];
      for (let i = 0; i < 30; i++) {
        left = await leftovers(driver, pids);
        if (left.length === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      t.same(left, [], `round ${round}: nothing left behind`);
    }
  });
}

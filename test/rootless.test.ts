/**
 * Rootless mode (harness/rootless/driver.ts): an ordinary user — here
 * `nobody`, neither root nor in the docker group — grades with the netns
 * driver inside a user namespace of its own. Every reference scores full,
 * a stub 0; doctor says what the mode gives up; and nothing of the user's
 * grades is left running afterwards, after Ctrl-C or after a kill -9.
 * Under CI=true a kernel that forbids unprivileged user namespaces fails
 * this file instead of skipping it.
 */
import t, { type Test } from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { kitExercises } from '../grader/exercises.ts';
import { repoRoot } from '../grader/paths.ts';
import { sleep } from '../harness/clock.ts';
import { pooled } from './lib/grade.ts';

const uid = 65534;
const bin = path.join(repoRoot, 'bin', 'grade.mjs');
const env = { PATH: `${process.env.PATH}:/usr/sbin:/sbin`, HOME: '/tmp', LANG: 'C.UTF-8', NODE_OPTIONS: '', GRADE_STATE_DIR: `/tmp/netprog-rootless-state-${process.pid}` };
const asUser = ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--'];

function why(): string | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return 'needs root, to run as another user';
  try {
    accessSync(bin, constants.R_OK);
  } catch {
    return `${bin} is not readable`;
  }
  const probe = spawnSync(asUser[0]!, [...asUser.slice(1), 'unshare', '--user', '--map-root-user', '--net', '--mount', '--', 'true'], { encoding: 'utf8' });
  if (probe.status !== 0) return `this kernel does not let an ordinary user make user namespaces: ${probe.stderr.trim()}`;
  const read = spawnSync(asUser[0]!, [...asUser.slice(1), 'test', '-r', bin], {});
  if (read.status !== 0) return `user ${uid} cannot read the repository at ${repoRoot}`;
  return undefined;
}
const cannot = why();
if (cannot) {
  if (process.env.CI === 'true' && process.getuid?.() === 0) t.fail(`rootless mode cannot be tested: ${cannot}`);
  else t.plan(0, cannot);
  process.exit(process.env.CI === 'true' && process.getuid?.() === 0 ? 1 : 0);
}

function grade(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(asUser[0]!, [...asUser.slice(1), process.execPath, bin, ...args], { cwd: repoRoot, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Live (not zombie) processes of the user. */
function live(): string[] {
  const out: string[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = readFileSync(`/proc/${d}/status`, 'utf8');
      if (Number(/^Uid:\s+(\d+)/m.exec(s)?.[1]) === uid && !/^State:\s+[ZX]/m.test(s)) out.push(`${d} ${/^Name:\s+(.*)$/m.exec(s)?.[1]}`);
    } catch {
      // gone
    }
  }
  return out;
}

async function nothingLeft(t: Test, what: string): Promise<void> {
  let left: string[] = [];
  for (let i = 0; i < 60 && (left = live()).length > 0; i++) await sleep(100);
  t.same(left, [], `${what}: no process of the user is left`);
}

// Every reference (ROOTLESS_ONE=1: one, for a quick look). A grade spawned from here once took 60 s more to
// exit than from a shell: tap's process-info hook, injected into child processes, throws in an 'exit'
// listener as this user (it cannot write .tap/), and process.exit passed that on; the CLI now exits anyway.
t.test('every reference scores full and a stub 0, as an ordinary user', async (t) => {
  const ids = process.env.ROOTLESS_ONE === '1' ? ['error-handlers'] : kitExercises.map((e) => e.id);
  const results = await pooled(ids, (id) => grade([id, '--solution', '--json']), 2);
  results.forEach((r, i) => {
    if (!r.ok) return t.fail(String(r.error));
    const { code, stdout, stderr } = r.value;
    let j: { score?: number; maxScore?: number; driver?: string } = {};
    try {
      j = JSON.parse(stdout);
    } catch {
      // said below
    }
    t.equal(code, 0, `${ids[i]}: exit 0\n${stderr.slice(-1500)}`);
    t.ok(j.maxScore && j.score === j.maxScore, `${ids[i]}: ${j.score}/${j.maxScore} under driver ${j.driver}`);
  });
  const stub = await grade(['connect-timeout', '--json']);
  t.equal(stub.code, 1, 'the stub: exit 1');
  t.equal((JSON.parse(stub.stdout) as { score: number }).score, 0, 'the stub scores 0');
  await nothingLeft(t, 'after the grades');
});

t.test('doctor says the rootless mode applies, and what it gives up', async (t) => {
  const r = spawnSync(asUser[0]!, [...asUser.slice(1), process.execPath, bin, 'doctor'], { cwd: repoRoot, env, encoding: 'utf8' });
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /driver netns: usable/);
  t.match(r.stdout, /rootless/);
  t.match(r.stdout, /gives up: learner code runs as your own uid/);
});

t.test('Ctrl-C and kill -9 leave nothing behind', async (t) => {
  for (const sig of ['SIGINT', 'SIGKILL'] as const) {
    const child = spawn(asUser[0]!, [...asUser.slice(1), process.execPath, bin, 'graceful-shutdown', '--solution'], { cwd: repoRoot, env, stdio: 'ignore' });
    // Wait until the lab server runs (a process of the user's named unshare or node beyond the grader itself).
    for (let i = 0; i < 200 && live().length < 3; i++) await sleep(50);
    await sleep(1500);
    t.ok(live().length >= 3, `${sig}: the grade was under way (${live().join(', ')})`);
    // setpriv execs node: the child's pid is the grader's.
    child.kill(sig);
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    if (sig === 'SIGINT') t.equal(code, 130, 'Ctrl-C: exit 130');
    await nothingLeft(t, sig);
  }
});

/**
 * The CLI contract external tools depend on: exit codes, one JSON object on
 * stdout, clear errors without stack traces — and no lab left behind after
 * Ctrl-C or kill -9.
 */
import t from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../grader/paths.ts';

const bin = path.join(repoRoot, 'bin', 'grade.mjs');
const { npm_lifecycle_event: _e, INIT_CWD: _i, ...parentEnv } = process.env;
const cleanEnv = { ...parentEnv, NODE_OPTIONS: '', GRADE_STATE_DIR: t.testdirName + '-state' };

function grade(args: string[], cwd = repoRoot) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: cleanEnv, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const labsOf = (pid: number) => readdirSync('/run/netns').filter((n) => n.startsWith(`npg${pid}-`));
const cgroupsOf = (pid: number) =>
  ['/sys/fs/cgroup/memory', '/sys/fs/cgroup/pids', '/sys/fs/cgroup'].flatMap((d) => {
    try {
      return readdirSync(d).filter((n) => n.startsWith(`npg${pid}-`));
    } catch {
      return [];
    }
  });

t.test('usage errors exit 2 with a helpful message and no stack trace', async (t) => {
  const unknown = grade(['conect-timeout']);
  t.equal(unknown.code, 2);
  t.match(unknown.stderr, /unknown exercise "conect-timeout"\. Did you mean: connect-timeout\b/);
  t.notMatch(unknown.stderr, /\n\s+at /, 'no stack trace');
  const missing = grade(['connect-timeout', '--file', 'nope.ts']);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /no such file: .*nope\.ts/);
  const ext = grade(['connect-timeout', '--file', 'package.json']);
  t.equal(ext.code, 2);
  t.match(ext.stderr, /expected a \.ts, \.mts, \.js or \.mjs file/);
  const both = grade(['connect-timeout', '--file', 'x.ts', '--solution']);
  t.equal(both.code, 2);
  const driver = grade(['connect-timeout', '--driver', 'vm']);
  t.equal(driver.code, 2);
  t.match(driver.stderr, /unknown driver "vm"/);
  const flag = grade(['--frobnicate']);
  t.equal(flag.code, 2);
  t.match(flag.stderr, /Unknown option '--frobnicate'/);
});

t.test('--list names every exercise with its course part', async (t) => {
  const r = grade(['--list']);
  t.equal(r.code, 0);
  for (const id of ['connect-timeout', 'retry-backoff', 'error-handlers', 'graceful-shutdown']) t.match(r.stdout, id);
  const j = grade(['--list', '--json']);
  const parsed = JSON.parse(j.stdout) as Array<{ id: string; part: string }>;
  t.ok(parsed.some((e) => e.id === 'connect-timeout' && /Part 10/.test(e.part)));
});

t.test('--json prints exactly one JSON object; exit 0 when every check passes', async (t) => {
  const r = grade(['connect-timeout', '--solution', '--json', '--driver', 'netns']);
  t.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  t.equal(lines.length, 1, 'one line');
  const j = JSON.parse(lines[0]!) as Record<string, unknown>;
  t.same(Object.keys(j).sort(), ['checks', 'driver', 'exercise', 'maxScore', 'passed', 'score', 'seed']);
  t.equal(j.score, j.maxScore);
  t.equal(j.driver, 'netns');
  t.ok(Number.isSafeInteger(j.seed) && (j.seed as number) > 0, 'the seed of the run');
});

t.test('--seed takes a whole number and refuses anything else with exit 2', async (t) => {
  for (const bad of ['abc', '0', '-5', '1.5', String(2 ** 31)]) {
    const r = grade(['connect-timeout', '--seed', bad, '--driver', 'netns']);
    t.equal(r.code, 2, `--seed ${bad}`);
    t.match(r.stderr, /--seed/);
    t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

t.test('a file that does not compile: score 0, exit 1, the compiler message, no stack', async (t) => {
  const dir = t.testdir({ 'broken.ts': "import net from 'node:net';\nexport function connectWithTimeout( {\n" });
  const r = grade(['connect-timeout', '--file', path.join(dir, 'broken.ts')]);
  t.equal(r.code, 1);
  t.match(r.stdout, /does not compile/);
  t.match(r.stdout, /broken\.ts:\d+:\d+/);
  const j = JSON.parse(grade(['connect-timeout', '--file', path.join(dir, 'broken.ts'), '--json']).stdout) as { score: number; checks: Array<{ status: string }> };
  t.equal(j.score, 0);
  t.ok(j.checks.every((c) => c.status === 'error'));
});

t.test('a file that imports a package is told only node built-ins are allowed', async (t) => {
  const dir = t.testdir({ 'pkg.ts': "import { $ } from 'zx';\nexport const connectWithTimeout = () => $;\n" });
  const r = grade(['connect-timeout', '--file', path.join(dir, 'pkg.ts')]);
  t.equal(r.code, 1);
  t.match(r.stdout, /"zx" is not a Node built-in/);
});

t.test('--file is relative to where the command runs; .mjs works', async (t) => {
  const js = t.testdir({
    'mine.mjs': `import { Socket } from 'node:net';
export function connectWithTimeout(host, port, ms) {
  return new Promise((resolve, reject) => {
    const s = new Socket();
    const timer = setTimeout(() => { s.destroy(); reject(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })); }, ms);
    s.once('connect', () => { clearTimeout(timer); s.removeAllListeners('error'); resolve(s); });
    s.once('error', (e) => { clearTimeout(timer); reject(e); });
    s.connect(port, host);
  });
}
`,
  });
  const r = grade(['connect-timeout', '--file', 'mine.mjs', '--json', '--driver', 'netns'], js);
  t.equal(r.code, 0, r.stderr + r.stdout);
});

t.test('Ctrl-C removes every lab', async (t) => {
  const child = spawn(process.execPath, [bin, 'connect-timeout', '--solution', '--driver', 'netns'], { cwd: repoRoot, env: cleanEnv, stdio: 'ignore' });
  const pid = child.pid!;
  // Wait until its labs exist, then interrupt.
  for (let i = 0; i < 400 && labsOf(pid).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  t.ok(labsOf(pid).length > 0, 'labs were up');
  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  t.equal(code, 130);
  t.same(labsOf(pid), [], 'no namespace left');
  t.same(cgroupsOf(pid), [], 'no cgroup left');
});

t.test('after kill -9, the next run removes what the dead one left', async (t) => {
  const child = spawn(process.execPath, [bin, 'connect-timeout', '--solution', '--driver', 'netns'], { cwd: repoRoot, env: cleanEnv, stdio: 'ignore' });
  const pid = child.pid!;
  for (let i = 0; i < 400 && labsOf(pid).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 300));
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  t.ok(labsOf(pid).length > 0, 'the dead run left namespaces');
  const next = grade(['connect-timeout', '--solution', '--json', '--driver', 'netns']);
  t.equal(next.code, 0);
  t.same(labsOf(pid), [], 'reaped');
  t.same(cgroupsOf(pid), [], 'cgroups reaped');
  const leases = readdirSync('/run/netprog-grade-uids').filter((u) => {
    try {
      return readFileSync(`/run/netprog-grade-uids/${u}/owner`, 'utf8') === String(pid);
    } catch {
      return false;
    }
  });
  t.same(leases, [], 'the dead run\'s learner uids are released');
});

t.test('a first run on a machine that is not ready: one short message with the command to run, exit 2', { skip: process.getuid?.() === 0 ? false : 'needs root to run as another user' }, async (t) => {
  // As `nobody`: neither root nor in the docker group, and rootless mode turned off, so no driver can run.
  const asNobody = (lang: string) =>
    spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', process.execPath, bin, 'retry-backoff'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: '/tmp', LANG: lang, NODE_OPTIONS: '', NETPROG_ROOTLESS: '0', GRADE_STATE_DIR: '/tmp' },
    });
  const en = asNobody('C.UTF-8');
  t.equal(en.status, 2, en.stderr);
  t.match(en.stderr, /^grade cannot build its lab on this machine yet\./);
  t.match(en.stderr, /sudo (usermod -aG docker|npx grade retry-backoff|bin\/setup)/, 'names the command to run');
  t.ok(en.stderr.trim().split('\n').length <= 3, `three lines at most:\n${en.stderr}`);
  t.notMatch(en.stderr, /\n\s+at /, 'no stack trace');
  const vi = asNobody('vi_VN.UTF-8');
  t.equal(vi.status, 2);
  t.match(vi.stderr, /^grade chưa dựng được lab trên máy này\./, 'in the learner’s language');
});

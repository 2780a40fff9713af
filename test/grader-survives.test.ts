/**
 * The grader survives what it grades: no code planted in a shared folder gets
 * run (tsx's compile cache, the run folders), the learner's text cannot drive
 * the terminal, grades of other files never touch the learner's progress, and
 * a grader that fails says so (exit 2, a JSON error) after closing its labs.
 */
import t, { type Test } from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../grader/paths.ts';
import { runDir, type GradeResult } from '../grader/grade.ts';
import { humanReport, inert, jsonReport, colour } from '../grader/report.ts';

const bin = path.join(repoRoot, 'bin', 'grade.mjs');
const uid = process.getuid!();
const asRoot = uid === 0 && existsSync('/run/netns') ? false : 'needs root and network namespaces (the netns driver)';
const { npm_lifecycle_event: _e, INIT_CWD: _i, TSX_DISABLE_CACHE: _c, GRADE_TEST_CRASH: _g, ...parentEnv } = process.env;
const stateDir = t.testdirName + '-state';
const env = { ...parentEnv, NODE_OPTIONS: '', GRADE_STATE_DIR: stateDir };

function grade(args: string[], extra: Record<string, string> = {}, nodeArgs: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeArgs, bin, ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...env, ...extra }, timeout: 180_000 });
  return { pid: r.pid, code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

const labsOf = (pid: number) => (existsSync('/run/netns') ? readdirSync('/run/netns').filter((n) => n.startsWith(`npg${pid}-`)) : []);
const cgroupsOf = (pid: number) =>
  ['/sys/fs/cgroup/memory', '/sys/fs/cgroup/pids', '/sys/fs/cgroup'].flatMap((d) => {
    try {
      return readdirSync(d).filter((n) => n.startsWith(`npg${pid}-`));
    } catch {
      return [];
    }
  });

/** A pid that was a process a moment ago and is not any more. */
const deadPid = (): number => spawnSync('true').pid!;

// ---------------------------------------------------------------------------
// 1. Nothing runs from a place another user can write.

/** $TMPDIR/tsx-<uid> filled by tsx itself, then planted: every entry announces itself when run. */
function plantedCache(t: Test): { tmp: string; cache: string } {
  const tmp = t.testdir();
  const cache = path.join(tmp, `tsx-${uid}`);
  const fill = spawnSync(process.execPath, ['--import', 'tsx/esm', 'grader/cli.ts', '--list'], { cwd: repoRoot, encoding: 'utf8', env: { ...env, TMPDIR: tmp } });
  t.equal(fill.status, 0, fill.stderr);
  const entries = readdirSync(cache);
  t.ok(entries.length > 10, `tsx cached the kit's modules (${entries.length})`);
  for (const name of entries) {
    const f = path.join(cache, name);
    const entry = JSON.parse(readFileSync(f, 'utf8')) as { code: string };
    entry.code = `globalThis.__planted ??= process.stdout.write("PLANTED\\n");\n${entry.code}`;
    writeFileSync(f, JSON.stringify(entry));
    chmodSync(f, 0o666);
  }
  chmodSync(cache, 0o777);
  const check = spawnSync(process.execPath, ['--import', 'tsx/esm', 'grader/cli.ts', '--list'], { cwd: repoRoot, encoding: 'utf8', env: { ...env, TMPDIR: tmp } });
  t.match(check.stdout, /PLANTED/, 'the planted entries are what tsx runs when its cache is on');
  return { tmp, cache };
}

t.test('a compile cache planted in $TMPDIR/tsx-<uid> is never run by bin/grade.mjs', async (t) => {
  const { tmp } = plantedCache(t);
  const r = grade(['--list'], { TMPDIR: tmp });
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /connect-timeout/);
  t.notMatch(r.stdout + r.stderr, /PLANTED/, 'the grader compiled its own modules');
  // (Under tap, @tapjs/processinfo puts a --import into every child's NODE_OPTIONS, which starts Node's
  // hooks thread before bin/grade.mjs runs: the case where setting TSX_DISABLE_CACHE in process.env
  // alone does not reach tsx. From a shell, the plain case, the same holds.)
});

t.test('tsx preloaded with its cache on (node --import tsx): only a private folder of ours is used', async (t) => {
  const preloaded = (tmp: string) => grade(['--list'], { TMPDIR: tmp }, ['--import', 'tsx']);
  t.test('ours but world-writable: its contents are not trusted', async (t) => {
    const { tmp, cache } = plantedCache(t);
    const r = preloaded(tmp);
    t.equal(r.code, 0, r.stderr);
    t.notMatch(r.stdout, /PLANTED/);
    const st = lstatSync(cache);
    t.ok(st.isDirectory() && st.uid === uid && (st.mode & 0o777) === 0o700, 'made private again (0700)');
  });
  t.test("someone else's folder: the grade stops, exit 2", { skip: uid === 0 ? false : 'chown needs root' }, async (t) => {
    const { tmp, cache } = plantedCache(t);
    chmodSync(cache, 0o755);
    chownSync(cache, 65534, 65534);
    const r = preloaded(tmp);
    t.equal(r.code, 2);
    t.notMatch(r.stdout, /PLANTED/);
    t.match(r.stderr, /tsx-\d+ .*is not a private folder of this user/);
  });
  t.test('a symlink: the grade stops, exit 2', async (t) => {
    const { tmp, cache } = plantedCache(t);
    const moved = path.join(tmp, 'moved');
    renameSync(cache, moved);
    chmodSync(moved, 0o700);
    symlinkSync(moved, cache);
    const r = preloaded(tmp);
    t.equal(r.code, 2);
    t.notMatch(r.stdout, /PLANTED/);
  });
  t.test('absent: made 0700', async (t) => {
    const tmp = t.testdir();
    const r = preloaded(tmp);
    t.equal(r.code, 0, r.stderr);
    const st = lstatSync(path.join(tmp, `tsx-${uid}`));
    t.equal(st.mode & 0o777, 0o700);
  });
});

t.test('runDir(): a run folder only inside a base that is ours; otherwise a fresh private one', async (t) => {
  const saved = process.env.TMPDIR;
  t.teardown(() => {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  });
  const setup = (): { tmp: string; base: string } => {
    const tmp = t.testdir();
    process.env.TMPDIR = tmp;
    return { tmp, base: path.join(tmp, `netprog-grade-${uid}`) };
  };
  const isPrivateFallback = (t: Test, dir: string, tmp: string) => {
    t.equal(path.dirname(dir), tmp, 'a folder of its own in tmp');
    t.match(path.basename(dir), new RegExp(`^netprog-grade-${uid}\\.${process.pid}-[A-Za-z0-9]{6}$`));
    const st = lstatSync(dir);
    t.ok(st.isDirectory() && !st.isSymbolicLink(), 'a real directory');
    t.equal(st.uid, uid, 'owned by this uid');
    t.equal(st.mode & 0o777, 0o711, 'mode 0711');
  };

  t.test('no base yet: made, 0711, one <pid>-<hex> folder per run', async (t) => {
    const { base } = setup();
    const dir = runDir();
    t.equal(path.dirname(dir), base);
    t.match(path.basename(dir), new RegExp(`^${process.pid}-[0-9a-f]{12}$`));
    for (const p of [base, dir]) {
      const st = lstatSync(p);
      t.ok(st.isDirectory());
      t.equal(st.uid, uid);
      t.equal(st.mode & 0o777, 0o711);
    }
  });

  t.test('base is a symlink: never followed', async (t) => {
    const { tmp, base } = setup();
    const target = path.join(tmp, 'elsewhere');
    mkdirSync(target);
    chmodSync(target, 0o777);
    symlinkSync(target, base);
    const dir = runDir();
    isPrivateFallback(t, dir, tmp);
    t.same(readdirSync(target), [], 'nothing made where the link points');
    t.ok(lstatSync(base).isSymbolicLink(), 'the link itself left alone');
    t.equal(lstatSync(target).mode & 0o777, 0o777, 'its target not chmod-ed');
  });

  t.test('base is a file: no crash, a private folder', async (t) => {
    const { tmp, base } = setup();
    writeFileSync(base, 'squatter');
    isPrivateFallback(t, runDir(), tmp);
    t.equal(readFileSync(base, 'utf8'), 'squatter');
  });

  t.test('base is a folder anyone can write (even if ours): not used', async (t) => {
    const { tmp, base } = setup();
    mkdirSync(base);
    chmodSync(base, 0o777);
    isPrivateFallback(t, runDir(), tmp);
    t.same(readdirSync(base), []);
    t.equal(lstatSync(base).mode & 0o777, 0o777, 'not chmod-ed into something we trust');
  });

  t.test("base is someone else's folder: not used", { skip: uid === 0 ? false : 'chown needs root' }, async (t) => {
    const { tmp, base } = setup();
    mkdirSync(base, { mode: 0o755 });
    chmodSync(base, 0o755);
    chownSync(base, 65534, 65534);
    isPrivateFallback(t, runDir(), tmp);
    t.same(readdirSync(base), []);
    t.equal(lstatSync(base).uid, 65534);
  });

  t.test('folders of dead graders go on the next run; live ones, and what is not ours, stay', async (t) => {
    const { tmp, base } = setup();
    mkdirSync(base, { mode: 0o711 });
    chmodSync(base, 0o711);
    const dead = deadPid();
    const live = spawn('sleep', ['30']);
    t.teardown(() => live.kill('SIGKILL'));
    const mk = (p: string) => {
      mkdirSync(p, { mode: 0o711 });
      chmodSync(p, 0o711);
      writeFileSync(path.join(p, 'learner.mjs'), '// a bundle');
      return p;
    };
    const deadRun = mk(path.join(base, `${dead}-aaaaaaaaaaaa`));
    const liveRun = mk(path.join(base, `${live.pid}-bbbbbbbbbbbb`));
    const ownRun = mk(path.join(base, `${process.pid}-cccccccccccc`));
    const deadFallback = mk(path.join(tmp, `netprog-grade-${uid}.${dead}-Ab12Cd`));
    const liveFallback = mk(path.join(tmp, `netprog-grade-${uid}.${live.pid}-Ef34Gh`));
    // A dead-looking name that is a symlink: removing "it" must not remove what it points to.
    const victim = mk(path.join(tmp, 'victim'));
    symlinkSync(victim, path.join(base, `${dead}-dddddddddddd`));
    symlinkSync(victim, path.join(tmp, `netprog-grade-${uid}.${dead}-Ij56Kl`));
    // Another user's folder under a matching name is not ours to remove.
    const foreign = uid === 0 ? mk(path.join(tmp, `netprog-grade-${uid}.${dead}-Mn78Op`)) : undefined;
    if (foreign) chownSync(foreign, 65534, 65534);

    const dir = runDir();
    t.equal(path.dirname(dir), base);
    t.notOk(existsSync(deadRun), 'a dead run folder removed');
    t.notOk(existsSync(deadFallback), 'a dead fallback folder removed');
    for (const kept of [liveRun, ownRun, liveFallback, dir]) t.ok(existsSync(kept), `${path.basename(kept)} kept`);
    t.ok(existsSync(path.join(victim, 'learner.mjs')), 'nothing followed through a symlink');
    if (foreign) t.ok(existsSync(foreign), "another user's folder kept");
  });
});

// ---------------------------------------------------------------------------
// 2. The terminal is the learner's only as far as plain text goes.

const hostile = 'connect ECONNREFUSED\n\x1b[2J\x1b[H Score 12/12 — every check passes.\x07\r\x9b31m\u202e';
const result: GradeResult = {
  exercise: 'connect-timeout',
  score: 0,
  maxScore: 3,
  passed: false,
  driver: 'netns',
  seed: 7,
  drawn: {},
  wallMs: 10,
  timings: [],
  checks: [
    { id: 'a', category: 'correctness', title: 'A', status: 'fail', points: 0, maxPoints: 2, message: `your stderr said: ${hostile}` },
    { id: 'b', category: 'timeouts', title: `B ${hostile}`, status: 'error', points: 0, maxPoints: 1, message: hostile },
  ],
};

t.test('inert(): control characters become visible escapes; \\n and \\t stay', async (t) => {
  t.equal(inert('a\x1b[2Jb'), 'a\\x1b[2Jb');
  t.equal(inert('line\r\nnext\tcol'), 'line\nnext\tcol');
  t.equal(inert('\x00\x07\x08\x0b\x0c\r\x7f\x85\x9b'), '\\x00\\x07\\x08\\x0b\\x0c\\x0d\\x7f\\x85\\x9b');
  t.equal(inert('\u202eevil\u2066'), '\\u202eevil\\u2066');
  t.equal(inert('naïve — ✔ ok'), 'naïve — ✔ ok', 'printable text untouched');
});

t.test('the human report carries no escape sequence the learner wrote, in any style', async (t) => {
  // Only the Style's own colour codes may be there: strip exactly those, then no ESC may remain.
  const styleCodes = /\x1b\[(?:0|1|2|31|32|33)m/g;
  for (const r of [result, { ...result, compileError: `../x\x1b[2J.ts:1:1: ${hostile}` }]) {
    const plainText = humanReport(r, 'Connect with a timeout');
    t.notOk(plainText.includes('\x1b'), 'plain: no ESC byte');
    t.notMatch(plainText, /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]/, 'plain: no other control character');
    t.match(plainText, /\\x1b\[2J\\x1b\[H Score 12\/12/, 'what the learner wrote is still visible, as text');
    const coloured = humanReport(r, 'Connect with a timeout', colour).replace(styleCodes, '');
    t.notOk(coloured.includes('\x1b'), 'colour: no ESC byte beyond the report\'s own colours');
    t.notOk(coloured.includes('\x9b'), 'no C1 CSI');
  }
});

t.test('JSON messages carry no ESC (platforms print the decoded message)', async (t) => {
  const j = jsonReport(result);
  for (const c of j.checks) t.notMatch(c.message, /[\x1b\x9b\x07]/);
  t.notOk(JSON.stringify(j).includes('\x1b'));
});

t.test('the CLI: a file name and compiler output with escapes reach neither stdout nor stderr raw', async (t) => {
  const dir = t.testdir();
  const evil = path.join(dir, 'x\x1b[2J\x1b[Hy.ts');
  writeFileSync(evil, "import net from 'node:net';\nexport function connectWithTimeout( {\n");
  const r = grade(['connect-timeout', '--file', evil, '--driver', 'netns']);
  t.equal(r.code, 1, r.stderr);
  t.match(r.stdout, /does not compile/);
  t.match(r.stdout, /x\\x1b\[2J\\x1b\[Hy\.ts:\d+:\d+/, 'the name, escaped');
  t.notOk(r.stdout.includes('\x1b'), 'no ESC on stdout');
  t.notOk(r.stderr.includes('\x1b'), 'no ESC on stderr');
  const missing = grade(['connect-timeout', '--file', path.join(dir, 'nope\x1b[2J.ts')]);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /no such file: .*nope\\x1b\[2J\.ts/);
  t.notOk(missing.stderr.includes('\x1b'), 'usage errors: no ESC either');
  const unknown = grade(['conect\x1b[2J-timeout']);
  t.equal(unknown.code, 2);
  t.notOk(unknown.stderr.includes('\x1b'));
});

// ---------------------------------------------------------------------------
// 3. Only a grade of the learner's own exercises/<id>/index.ts is its progress.

t.test('--file and --solution grades leave the last score alone', async (t) => {
  const state = t.testdir();
  const scores = path.join(state, 'scores.json');
  const dir = t.testdir({ 'broken.ts': 'export function connectWithTimeout( {\n' });
  const viaFile = grade(['connect-timeout', '--file', path.join(dir, 'broken.ts'), '--driver', 'netns'], { GRADE_STATE_DIR: state });
  t.equal(viaFile.code, 1, viaFile.stderr);
  t.notOk(existsSync(scores), '--file: no score written');
  t.test('--solution, and --file naming the learner\'s own file', { skip: asRoot }, async (t) => {
    const r = grade(['connect-timeout', '--solution', '--json', '--driver', 'netns'], { GRADE_STATE_DIR: state });
    t.equal(r.code, 0, r.stderr);
    t.notOk(existsSync(scores), '--solution: no score written');
    const own = grade(['connect-timeout', '--file', path.join(repoRoot, 'exercises', 'connect-timeout', 'index.ts'), '--json', '--driver', 'netns'], {
      GRADE_STATE_DIR: state,
    });
    t.ok(own.code === 0 || own.code === 1, own.stderr);
    t.notOk(existsSync(scores), 'a --file grade is never progress');
  });
});

t.test('saveScore() refuses any file but the exercise\'s own', async (t) => {
  const state = t.testdir();
  const saved = process.env.GRADE_STATE_DIR;
  process.env.GRADE_STATE_DIR = state;
  // scores.ts reads GRADE_STATE_DIR when it loads: a fresh copy of the module for this folder.
  const { saveScore, loadScores } = (await import(`../grader/scores.ts?state=${Date.now()}`)) as typeof import('../grader/scores.ts');
  if (saved === undefined) delete process.env.GRADE_STATE_DIR;
  else process.env.GRADE_STATE_DIR = saved;
  const s = { score: 3, maxScore: 12, at: new Date().toISOString() };
  t.equal(saveScore('connect-timeout', path.join(repoRoot, 'solutions', 'connect-timeout', 'index.ts'), s), false, 'the reference');
  t.equal(saveScore('connect-timeout', path.join(os.tmpdir(), 'mutant.ts'), s), false, 'any other file');
  t.equal(saveScore('connect-timeout', path.join(repoRoot, 'exercises', 'retry-backoff', 'index.ts'), s), false, 'another exercise\'s file');
  t.notOk(existsSync(path.join(state, 'scores.json')));
  t.equal(saveScore('connect-timeout', path.join(repoRoot, 'exercises', 'connect-timeout', 'index.ts'), s), true, 'the learner\'s own');
  t.same(loadScores()['connect-timeout'], { ...s, best: 3 });
  saveScore('connect-timeout', path.join(repoRoot, 'exercises', 'connect-timeout', 'index.ts'), { ...s, score: 1 });
  t.same(loadScores()['connect-timeout'], { ...s, score: 1, best: 3 }, 'the last score, and the best so far');
  // Whatever else the file holds never reaches `grade --list`.
  writeFileSync(path.join(state, 'scores.json'), JSON.stringify({ 'connect-timeout': { score: '\x1b[2J12', maxScore: 12, at: 'x' }, x: s }));
  t.same(loadScores(), { x: s });
});

t.test("a grade of the learner's own exercises/<id>/index.ts records its score", { skip: asRoot }, async (t) => {
  const state = t.testdir();
  const r = grade(['connect-timeout', '--json', '--driver', 'netns'], { GRADE_STATE_DIR: state });
  t.ok(r.code === 0 || r.code === 1, r.stderr);
  const j = JSON.parse(r.stdout) as { score: number; maxScore: number };
  const saved = JSON.parse(readFileSync(path.join(state, 'scores.json'), 'utf8')) as Record<string, { score: number; maxScore: number }>;
  t.equal(saved['connect-timeout']?.score, j.score);
  t.equal(saved['connect-timeout']?.maxScore, j.maxScore);
});

// ---------------------------------------------------------------------------
// 4. A grader that fails is not a failing learner: exit 2, a JSON error, labs closed.

t.test('usage text documents exit 2 for a failed grader', async (t) => {
  const r = grade(['--help']);
  t.equal(r.code, 0);
  t.match(r.stdout, /Exit status:/);
  t.match(r.stdout, /2 +a usage or environment error, or the grader itself failed/);
  t.match(r.stdout, /"error": "\.\.\.", "exercise": "<id>"/);
});

t.test('the grader throws once the driver is picked: exit 2, JSON error, nothing left', { skip: asRoot }, async (t) => {
  const r = grade(['connect-timeout', '--solution', '--json', '--driver', 'netns'], { GRADE_TEST_CRASH: '1' });
  t.equal(r.code, 2, r.stderr);
  const lines = r.stdout.trim().split('\n');
  t.equal(lines.length, 1, 'one line on stdout');
  t.same(JSON.parse(lines[0]!), { error: 'GRADE_TEST_CRASH=1: the grader failed on purpose', exercise: 'connect-timeout' });
  t.match(r.stderr, /not a verdict on your code/);
  t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
  t.same(labsOf(r.pid), [], 'no namespace left');
  const human = grade(['connect-timeout', '--solution', '--driver', 'netns'], { GRADE_TEST_CRASH: '1' });
  t.equal(human.code, 2);
  t.equal(human.stdout, '', 'no report, no JSON without --json');
  t.match(human.stderr, /GRADE_TEST_CRASH=1/);
});

/** Runs a grade that crashes on purpose while labs are up; what it printed, and the labs it had. */
async function crashWhileLabsRun(mode: string, nodeArgs: string[] = []) {
  const child = spawn(process.execPath, [...nodeArgs, bin, 'connect-timeout', '--solution', '--json', '--driver', 'netns'], {
    cwd: repoRoot,
    env: { ...env, GRADE_TEST_CRASH: mode },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid!;
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let labsSeen = 0;
  const poll = setInterval(() => (labsSeen = Math.max(labsSeen, labsOf(pid).length)), 20);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('close', (c, s) => r([c, s])));
  clearInterval(poll);
  return { pid, code, signal, stdout, stderr, labsSeen };
}

t.test('an uncaught exception while labs run: exit 2, JSON error, every lab closed', { skip: asRoot }, async (t) => {
  const r = await crashWhileLabsRun('lab');
  t.ok(r.labsSeen > 0, `labs were up (${r.labsSeen} namespaces)`);
  t.equal(r.code, 2, r.stderr);
  const lines = r.stdout.trim().split('\n');
  t.equal(lines.length, 1, 'one line on stdout');
  t.same(JSON.parse(lines[0]!), { error: 'GRADE_TEST_CRASH=lab: the grader failed on purpose', exercise: 'connect-timeout' });
  t.same(labsOf(r.pid), [], 'no namespace left');
  t.same(cgroupsOf(r.pid), [], 'no cgroup left');
});

t.test('the heap running out while labs run: exit 2 (not a V8 abort), JSON error, every lab closed', { skip: asRoot }, async (t) => {
  const r = await crashWhileLabsRun('oom', ['--max-old-space-size=512']);
  t.ok(r.labsSeen > 0, `labs were up (${r.labsSeen} namespaces)`);
  t.equal(r.signal, null, 'not killed by a signal (V8 aborts with SIGABRT)');
  t.equal(r.code, 2, r.stderr.slice(0, 2000));
  const j = JSON.parse(r.stdout.trim()) as { error: string; exercise: string };
  t.match(j, { error: /out of memory/, exercise: 'connect-timeout' });
  t.same(labsOf(r.pid), [], 'no namespace left');
  t.same(cgroupsOf(r.pid), [], 'no cgroup left');
});

t.test('learner uids: outside systemd DynamicUser (61184–65519), and one in use is never leased', { skip: asRoot }, async (t) => {
  const { uidBase, uidSpan, uidInUse, leaseUid, releaseUid } = await import('../harness/sandbox.ts');
  t.ok(uidBase + uidSpan - 1 < 61184, `range ${uidBase}–${uidBase + uidSpan - 1} ends below 61184`);
  t.ok(uidInUse(0), 'root is in use');
  const taken = uidBase + 7;
  t.notOk(uidInUse(taken), `${taken} is free before`);
  const sleeper = spawn('sleep', ['30'], { uid: taken, gid: taken, stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 200));
    t.ok(uidInUse(taken), `${taken} is in use while a process runs as it`);
    // Lease until the range would have come round to it: the random start may be anywhere, so lease them all.
    const leased: number[] = [];
    try {
      for (let i = 0; i < uidSpan; i++) leased.push(leaseUid());
    } catch {
      // the range is exhausted (others' leases, the one in use): what matters is below
    }
    for (const u of leased) releaseUid(u);
    t.notOk(leased.includes(taken), `a uid a process runs as is skipped (${leased.length} leased)`);
  } finally {
    sleeper.kill('SIGKILL');
  }
});

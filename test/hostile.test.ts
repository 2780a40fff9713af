/**
 * Hostile learners: files a determined cheater would hand in (test/fixtures/hostile/), each graded
 * for real, under every driver this machine runs (both under CI=true, where a driver that cannot run
 * fails the suite; GRADE_DRIVER=<name> picks one). For each attack:
 *   (a) it loses what it tried to take: named checks do not pass, or the file does not compile;
 *   (b) the grade returns in bounded time;
 *   (c) nothing is left behind: no live process of a learner uid, no network namespace, no cgroup,
 *       no uid lease, no container or network of the lab, no run folder under /tmp/netprog-grade-<uid>/.
 *
 * What a fixture found is read back through the check messages: it rejects with an error whose code
 * is REPORT[...] (test/fixtures/hostile/channel.ts), or, for a program, prints `Error: REPORT[...]`
 * and exits; the test comments those reports.
 *
 * Grades run a few at a time (Promise.all) in batches, and the leftovers are looked for after each
 * batch, when none of this process's grades is running. Outside CI other graders may share the
 * machine, so leftovers are those of this process (namespaces and cgroups named npg<pid>-, uids this
 * process leased, containers labelled with this process as owner); under CI=true, anything of any
 * grader counts.
 */
import t, { type Test } from 'tap';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { DriverName } from '../grader/drivers.ts';
import { runDir, type GradeResult } from '../grader/grade.ts';
import { repoRoot, solutionFile } from '../grader/paths.ts';
import { testedDrivers } from './lib/conformance.ts';
import { pooled } from './lib/grade.ts';
import { uidBase, uidSpan } from '../harness/sandbox.ts';
import { bundle } from '../harness/bundle.ts';
import { failures, gradeFile, testDriver } from './lib/grade.ts';
import { ContainerLabsDriver } from '../harness/docker/labs-container.ts';
import { label } from '../harness/docker/runtime.ts';
import { sleep } from '../harness/clock.ts';

const run = promisify(execFile);
const strict = process.env.CI === 'true';
const fixture = (name: string): string => path.join(repoRoot, 'test/fixtures/hostile', name);
const suiteStart = performance.now();

// ---- grading and reading results --------------------------------------------------------------

interface Graded {
  name: string;
  r: GradeResult;
  /** Wall time of the whole call, as this test measured it. */
  ms: number;
}

async function graded(name: string, exercise: string, file: string, driver: DriverName): Promise<Graded> {
  const t0 = performance.now();
  const r = await gradeFile(exercise, file, driver);
  return { name, r, ms: performance.now() - t0 };
}

const passedIds = (r: GradeResult): string[] => r.checks.filter((c) => c.status === 'pass').map((c) => c.id);
const check = (r: GradeResult, id: string) => {
  const c = r.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in ${r.exercise}`);
  return c;
};

/** What the fixture reported through the check messages, each report once. */
function reportsOf(r: GradeResult): string[] {
  const out = new Set<string>();
  for (const c of r.checks) for (const m of c.message.matchAll(/REPORT\[([^\]]*)\]?/g)) out.add(m[1]!);
  return [...out];
}

function describe(g: Graded): string {
  const reports = reportsOf(g.r);
  return (
    `${g.name}: ${g.r.score}/${g.r.maxScore} in ${(g.ms / 1000).toFixed(1)} s (seed ${g.r.seed})` +
    (g.r.compileError ? `; compile error: ${g.r.compileError.split('\n')[0]}` : '') +
    (passedIds(g.r).length ? `; passed: ${passedIds(g.r).join(', ')}` : '') +
    (reports.length ? `; reported: ${reports.join(' | ')}` : '')
  );
}

/** The attack took none of `ids`. */
function deniesChecks(t: Test, g: Graded, ids: string[]): void {
  for (const id of ids) {
    const c = check(g.r, id);
    t.not(c.status, 'pass', `${g.name}: ${id} does not pass — ${c.message}`);
  }
}

/**
 * The grade ended within its bound: `limitMs` for one try of its scenarios, times the tries a
 * busy machine made it take (grader/grade.ts runs a scenario again, up to 3 tries, when the
 * machine was too busy to judge it) — a hostile program never holds a grade past its deadlines.
 */
function boundedBy(t: Test, g: Graded, limitMs: number): void {
  // a scenario run again on a busy machine, and a trial run again on an overflowed trace, each take their time again
  const tries = Math.max(1, ...g.r.timings.map((x) => x.runs * (x.traceTries ?? 1)));
  const bound = limitMs * tries;
  t.ok(g.ms < bound, `${g.name}: graded in ${(g.ms / 1000).toFixed(1)} s (limit ${bound / 1000} s for ${tries} tr${tries > 1 ? 'ies' : 'y'}; the grade's own wallMs ${(g.r.wallMs / 1000).toFixed(1)} s)`);
}

// ---- what a grade may leave behind ------------------------------------------------------------

const uidLeases = '/run/netprog-grade-uids';
const learnerUids = { from: uidBase, to: uidBase + uidSpan - 1 };
const own = `npg${process.pid}-`;

/**
 * Docker's one-container design (harness/docker/labs-container.ts) builds every lab of a grader
 * inside that grader's lab container, with the netns driver: its namespaces, cgroups and uid leases
 * are the container's, seen from here through /proc/<its pid>/root. Every one of them counts (the
 * container is this process's alone); the container itself is the driver's while it is open, and
 * must be gone once the driver is closed ('the lab container ends with the driver', below).
 */
let labContainers: Array<{ id: string; root: string }> = [];
/** Only while the docker driver's one-container design is under test (a netns run must not count another grader's container). */
let lookInside = false;
let refreshing: Promise<void> | undefined;
function refreshLabContainers(): Promise<void> {
  if (!lookInside) return Promise.resolve();
  refreshing ??= (async () => {
    const filters = ['--filter', `label=${label.role}=labs`];
    if (!strict) filters.push('--filter', `label=${label.owner}=${os.hostname()}:${process.pid}`);
    const { stdout } = await run('docker', ['ps', ...filters, '-q', '--no-trunc']).catch(() => ({ stdout: '' }));
    const found: typeof labContainers = [];
    for (const id of stdout.split('\n').filter(Boolean)) {
      const pid = await run('docker', ['inspect', '-f', '{{.State.Pid}}', id]).then((r) => Number(r.stdout.trim()), () => 0);
      if (pid > 0) found.push({ id, root: `/proc/${pid}/root` });
    }
    labContainers = found;
  })().finally(() => (refreshing = undefined));
  return refreshing;
}
const inside = (rel: string): Array<{ id: string; dir: string }> => (lookInside ? labContainers : []).map((c) => ({ id: c.id, dir: path.join(c.root, rel) }));
const short = (id: string): string => id.slice(0, 12);

/** Learner uids this process leases while a batch runs (a lease lives as long as its lab), here or in its lab container. */
function watchLeases(): { uids: Set<number>; stop(): void } {
  const uids = new Set<number>();
  const sample = (): void => {
    for (const { dir, anyOwner } of [{ dir: uidLeases, anyOwner: false }, ...inside(uidLeases).map((c) => ({ dir: c.dir, anyOwner: true }))]) {
      let entries: string[] = [];
      try {
        entries = readdirSync(dir);
      } catch {
        continue;
      }
      for (const e of entries) {
        try {
          if (anyOwner || Number(readFileSync(path.join(dir, e, 'owner'), 'utf8')) === process.pid) uids.add(Number(e));
        } catch {
          // released meanwhile
        }
      }
    }
  };
  sample();
  const timer = setInterval(sample, 25);
  // A lab container starts with the first lab of its driver: look for it now and then.
  const finder = setInterval(() => void refreshLabContainers(), 500);
  return {
    uids,
    stop() {
      clearInterval(timer);
      clearInterval(finder);
      sample();
    },
  };
}

/** Live (not zombie) processes of learner uids: any of them under CI, else those of uids we leased or in our cgroups. */
function learnerProcesses(ours: Set<number>): string[] {
  const live: string[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const status = readFileSync(`/proc/${d}/status`, 'utf8');
      const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
      const state = /^State:\s+(\S)/m.exec(status)?.[1];
      if (uid < learnerUids.from || uid > learnerUids.to || state === 'Z' || state === 'X') continue;
      const cgroup = readFileSync(`/proc/${d}/cgroup`, 'utf8');
      const mine = ours.has(uid) || cgroup.includes(`/${own}`) || labContainers.some((c) => cgroup.includes(c.id));
      if (strict || mine) live.push(`pid ${d} uid ${uid} ${/^Name:\s+(.*)$/m.exec(status)?.[1]}`);
    } catch {
      // exited meanwhile
    }
  }
  return live;
}

const entries = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return []; // not a directory, or gone
  }
};

/** Cgroups named after this process's labs, in every hierarchy (v1) or at the v2 root; any of a lab container's. */
function ownCgroups(): string[] {
  const hierarchies = (root: string): string[] => [root, ...entries(root).map((c) => path.join(root, c))];
  const out: string[] = [];
  for (const dir of hierarchies('/sys/fs/cgroup')) for (const e of entries(dir)) if (e.startsWith(strict ? 'npg' : own)) out.push(path.join(dir, e));
  for (const c of inside('sys/fs/cgroup')) {
    for (const dir of hierarchies(c.dir)) for (const e of entries(dir)) if (e.startsWith('npg')) out.push(`${path.relative(c.dir, path.join(dir, e))} in ${short(c.id)}`);
  }
  return out;
}

function ownLeases(): string[] {
  const mine = entries(uidLeases).filter((e) => {
    try {
      return Number(readFileSync(path.join(uidLeases, e, 'owner'), 'utf8')) === process.pid;
    } catch {
      return false;
    }
  });
  return [...mine, ...inside(uidLeases).flatMap((c) => entries(c.dir).map((e) => `${e} in ${short(c.id)}`))];
}

async function namespaces(): Promise<string[]> {
  const { stdout } = await run('ip', ['netns', 'list']).catch(() => ({ stdout: '' }));
  const here = stdout
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => n.startsWith(strict ? 'npg' : own));
  return [...here, ...inside('run/netns').flatMap((c) => entries(c.dir).map((n) => `${n} in ${short(c.id)}`))];
}

/** Containers and networks of labs; not the lab container of an open one-container driver (see labContainers). */
async function dockerObjects(driverOpen: boolean): Promise<string[]> {
  const filters = ['--filter', 'label=netprog-grade.lab'];
  if (!strict) filters.push('--filter', `label=netprog-grade.owner=${os.hostname()}:${process.pid}`);
  const list = async (args: string[]): Promise<string[]> => {
    const { stdout } = await run('docker', [...args, ...filters, '-q']);
    return stdout.split('\n').filter(Boolean);
  };
  const labsOf = driverOpen ? new Set(labContainers.map((c) => short(c.id))) : new Set<string>();
  const containers = (await list(['ps', '-a'])).filter((c) => !labsOf.has(short(c)));
  const networks = await list(['network', 'ls']);
  return [...containers.map((c) => `container ${c}`), ...networks.map((n) => `network ${n}`)];
}

/** Run folders of this process (grader/grade.ts runDir): under the per-user base, or its mkdtemp fallback beside it. */
function runFolders(): string[] {
  const tmp = os.tmpdir();
  const base = `netprog-grade-${process.getuid?.() ?? 'u'}`;
  const list = (dir: string, match: (e: string) => boolean): string[] => {
    try {
      return readdirSync(dir)
        .filter(match)
        .map((e) => path.join(dir, e));
    } catch {
      return [];
    }
  };
  return [...list(path.join(tmp, base), (e) => e.startsWith(`${process.pid}-`)), ...list(tmp, (e) => e.startsWith(`${base}.${process.pid}-`))];
}

/** Is the docker driver under test the one-container design? Then its labs are netns labs, inside. */
const oneContainer = async (driver: DriverName): Promise<boolean> => driver === 'docker' && (await testDriver(driver)) instanceof ContainerLabsDriver;

async function leftovers(driver: DriverName, leased: Set<number>, driverOpen = true): Promise<string[]> {
  const found = [...runFolders()];
  const netnsLabs = driver === 'netns' || (await oneContainer(driver));
  if (netnsLabs) {
    if (driver === 'docker') await refreshLabContainers();
    found.push(...learnerProcesses(leased), ...(await namespaces()).map((n) => `netns ${n}`), ...ownCgroups().map((c) => `cgroup ${c}`));
    found.push(...ownLeases().map((u) => `uid lease ${u}`));
  }
  if (driver === 'docker') found.push(...(await dockerObjects(driverOpen)));
  return found;
}

/**
 * Nothing left once a batch is done (zombies and the daemon's removals get a moment). What was
 * there before the batch began (`before`) is not the batch's doing, and is reported by the batch
 * that left it.
 */
async function nothingLeft(t: Test, driver: DriverName, leased: Set<number>, what: string, before: string[] = []): Promise<void> {
  let left: string[] = [];
  for (let i = 0; i < 30; i++) {
    left = (await leftovers(driver, leased)).filter((l) => !before.includes(l));
    if (left.length === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  t.same(left, [], `${what}: nothing left behind (${driver}; uids leased: ${[...leased].join(', ') || 'none'})`);
}

/** Runs the grades of one batch at once and checks what they left once all are done. */
async function batch(t: Test, driver: DriverName, what: string, grades: Array<() => Promise<Graded>>): Promise<Graded[]> {
  const before = await leftovers(driver, new Set());
  if (before.length) t.comment(`${driver} · ${what}: already there before the batch: ${before.join(', ')}`);
  const leases = watchLeases();
  const t0 = performance.now();
  let results: Graded[];
  // Under Docker two at a time (each still has another run to look for): five Docker grades at
  // once on two cores took 190–220 s each on a slow day, a load of the suite's own making.
  const atOnce = driver === 'docker' ? Math.min(2, grades.length) : grades.length;
  try {
    const settled = await pooled(grades, (g) => g(), atOnce);
    results = settled.map((r) => {
      if (!r.ok) throw r.error;
      return r.value;
    });
  } finally {
    leases.stop();
  }
  t.comment(`${driver} · ${what}: ${((performance.now() - t0) / 1000).toFixed(1)} s for ${grades.length} grade(s), ${atOnce} at once`);
  for (const g of results) t.comment(`  ${describe(g)}`);
  await nothingLeft(t, driver, leases.uids, what, before);
  return results;
}

// ---- files made here: the absolute path and the symlinks depend on where the repository is ----

const made = mkdtempSync(path.join(os.tmpdir(), 'hostile-imports-'));
t.teardown(() => rmSync(made, { recursive: true, force: true }));
const reference = solutionFile('connect-timeout');
writeFileSync(path.join(made, 'absolute.ts'), `export { connectWithTimeout } from ${JSON.stringify(reference)};\n`);
symlinkSync(reference, path.join(made, 'ref.ts'));
writeFileSync(path.join(made, 'symlink.ts'), `export { connectWithTimeout } from './ref.ts';\n`);
mkdirSync(path.join(made, 'dir'));
symlinkSync(path.dirname(reference), path.join(made, 'dir', 'lib'));
writeFileSync(path.join(made, 'dir', 'symlinked-dir.ts'), `export { connectWithTimeout } from './lib/index.ts';\n`);

/** Import attacks: the file, and what the compile error must name. */
const importAttacks = [
  { name: '1 reference by relative path', file: fixture('import-reference.ts'), names: '../../../solutions/connect-timeout/index.ts' },
  { name: '1 reference by absolute path', file: path.join(made, 'absolute.ts'), names: reference },
  { name: '1 reference through a symlinked file', file: path.join(made, 'symlink.ts'), names: './ref.ts' },
  { name: '1 reference through a symlinked folder', file: path.join(made, 'dir', 'symlinked-dir.ts'), names: './lib/index.ts' },
  { name: "2 another exercise's checks", file: fixture('import-checks.ts'), names: '../../../grader/exercises/error-handlers/index.ts' },
  { name: "3 the kit's package.json", file: fixture('import-json.ts'), names: '../../../package.json' },
  { name: '3 a package from node_modules', file: fixture('import-package.ts'), names: 'esbuild' },
];

/** How long a grade may take: scenario deadlines (20–25 s) and lab setup, under the load of a batch. */
const compileLimitMs = 20_000;
const labLimitMs = 60_000;

// ---- the suite ----------------------------------------------------------------------------------

const drivers = await testedDrivers();
if (drivers.length === 0) t.comment('no lab driver can run here: nothing graded (outside CI a missing driver is skipped)');

for (const driver of drivers) {
  await t.test(`driver ${driver}`, async (t) => {
    const driverStart = performance.now();
    await testDriver(driver);
    lookInside = await oneContainer(driver);
    labContainers = [];
    const ct = (name: string, file: string) => () => graded(name, 'connect-timeout', file, driver);
    const gs = (name: string, file: string) => () => graded(name, 'graceful-shutdown', file, driver);

    await t.test('the leftover probe sees a lab while it is open', async (t) => {
      const leases = watchLeases();
      const lab = await (await testDriver(driver)).create({ peers: ['server'], label: 'hostile-probe' });
      const folder = runDir();
      try {
        // A learner that stays alive, so that its process and its cgroup must show too.
        await lab.startLearner({ file: await bundle({ entry: path.join(repoRoot, 'test/fixtures/idle-learner.ts'), outDir: folder }) });
        const netnsLabs = driver === 'netns' || (await oneContainer(driver));
        let seen: string[] = [];
        for (let i = 0; i < 20 && !(seen = await leftovers(driver, leases.uids)).some((s) => s.startsWith('pid ')); i++) await sleep(100);
        t.ok(seen.some((s) => s.startsWith(netnsLabs ? 'netns ' : 'container ')), `a lab shows (${seen.join(', ')})`);
        if (netnsLabs) {
          t.ok(seen.some((s) => s.startsWith('pid ')), `its learner process shows (${seen.join(', ')})`);
          t.ok(seen.some((s) => s.startsWith('cgroup ')), `its learner cgroup shows (${seen.join(', ')})`);
        }
        t.ok(seen.includes(folder), 'a run folder shows');
      } finally {
        rmSync(folder, { recursive: true, force: true });
        await lab.close();
        leases.stop();
      }
      const netnsLabs = driver === 'netns' || (await oneContainer(driver));
      t.ok(!netnsLabs || leases.uids.size > 0, `the lab's uid lease was seen (${[...leases.uids].join(', ')})`);
      await nothingLeft(t, driver, leases.uids, 'the probe lab');
    });

    await t.test('1–3: imports that leave the file’s folder do not compile', async (t) => {
      const results = await batch(t, driver, 'imports', importAttacks.map((a) => ct(a.name, a.file)));
      for (const [i, g] of results.entries()) {
        const a = importAttacks[i]!;
        t.ok(g.r.compileError, `${g.name}: refused at bundle time (${g.r.compileError?.split('\n')[0] ?? `compiled, and scored ${g.r.score}/${g.r.maxScore}`})`);
        t.equal(g.r.score, 0, `${g.name}: score 0`);
        t.same(passedIds(g.r), [], `${g.name}: no check passes`);
        t.ok(g.r.compileError?.includes(a.names), `${g.name}: the message names the import ${a.names}\n${g.r.compileError ?? ''}`);
        boundedBy(t, g, compileLimitMs);
      }
    });

    await t.test('4, 6, 8, 13: forged records, patched built-ins, other runs, the key', async (t) => {
      // Four grades at once: each has other runs' bundles and processes to look for (8).
      const [forge, patch, others, key] = await batch(t, driver, 'forgery', [
        ct('4 forged records', fixture('forge-records.ts')),
        ct('6 patched built-ins', fixture('patch-builtins.ts')),
        ct("8 other runs' bundles", fixture('read-other-runs.ts')),
        ct('13 reads the key', fixture('read-key.ts')),
      ]);
      const timeouts = ['rejects-at-connect-ms', 'timeout-error-reads-as-timeout', 'destroys-socket-on-timeout'];
      deniesChecks(t, forge!, timeouts);
      t.equal(forge!.r.score, 0, `4: a promise that never settles scores 0\n${failures(forge!.r)}`);
      deniesChecks(t, patch!, timeouts);
      // The runner's own references were taken before the learner loaded; what it freezes must refuse the patch,
      // and what it writes its records with must not be the learner's function.
      const patched = reportsOf(patch!.r).join(' | ');
      t.notMatch(patched, /JSON\.stringify|Map\.prototype|Array\.prototype|Object\.prototype|:setTimeout/, `6: frozen built-ins refused the patches (${patched})`);
      t.notMatch(patched, /records-seen=[1-9]/, `6: no record of the runner passed through the learner's fs.writeSync (${patched})`);
      deniesChecks(t, others!, ['connects-and-carries-data']);
      t.notOk(reportsOf(others!.r).some((r) => r.startsWith('FOUND')), `8: found nothing of another run (${reportsOf(others!.r).join(' | ')})`);
      deniesChecks(t, key!, timeouts);
      t.notOk(reportsOf(key!.r).some((r) => /keys=[1-9]/.test(r)), `13: found no key (${reportsOf(key!.r).join(' | ')})`);
      for (const g of [forge, patch, others, key]) boundedBy(t, g!, labLimitMs);
    });

    await t.test('5, 8, 12, 14: forged exit status, other runs from a program, exits at import, a fake socket', async (t) => {
      const [exitForge, othersProgram, exit0, sigkill, fake] = await batch(t, driver, 'exits', [
        gs('5 forged exit record, exits 3', fixture('graceful-forge-exit.ts')),
        gs("8 other runs' files from a program", fixture('read-other-runs-program.ts')),
        ct('12 process.exit(0) at import', fixture('exit-on-import.ts')),
        ct('12 SIGKILL itself at import', fixture('sigkill-on-import.ts')),
        ct('14 a socket that echoes locally', fixture('fake-socket.ts')),
      ]);
      // 5: the drain is the reference's, so the server did run; only the exit codes lie.
      t.equal(check(exitForge!.r, 'serves-routes').status, 'pass', `5: the forged-exit server served (so the exit checks judged a real run)\n${failures(exitForge!.r)}`);
      deniesChecks(t, exitForge!, ['exits-after-drain', 'sigint-drains', 'forced-exit-at-deadline']);
      for (const id of ['exits-after-drain', 'sigint-drains', 'forced-exit-at-deadline']) {
        t.match(check(exitForge!.r, id).message, /code 3\b/, `5: ${id} saw the real exit code 3`);
      }
      deniesChecks(t, othersProgram!, ['serves-routes']);
      t.equal(othersProgram!.r.score, 0, `8 (program): found nothing to serve for (${reportsOf(othersProgram!.r).join(' | ')})`);
      for (const g of [exit0!, sigkill!]) {
        t.equal(g.r.score, 0, `${g.name}: score 0\n${failures(g.r)}`);
        t.same(passedIds(g.r), [], `${g.name}: no check passes`);
      }
      // 14: the round trips the runner makes must cross the wire to count.
      deniesChecks(t, fake!, ['connects-and-carries-data', 'socket-outlives-connect-ms']);
      for (const g of [exitForge, othersProgram, exit0, sigkill, fake]) boundedBy(t, g!, labLimitMs);
    });

    await t.test('15: a flood that blinds the router trace', async (t) => {
      const [blind] = await batch(t, driver, 'blind trace', [ct('15 floods the router while its timeout leaves the socket connecting', fixture('blind-trace.ts'))]);
      // The late SYNs may go unseen on an overflowed trace: the check that reads their absence must not pass.
      deniesChecks(t, blind!, ['destroys-socket-on-timeout']);
      const c = check(blind!.r, 'destroys-socket-on-timeout');
      t.ok(
        c.status === 'fail' || /trace overflowed|too busy to judge/.test(c.message),
        `15: either the late SYNs were seen (fail) or the overflow was noticed (error): ${c.status} — ${c.message}`,
      );
      t.comment(`15: destroys-socket-on-timeout ${c.status}: ${c.message.slice(0, 200)}`);
      boundedBy(t, blind!, labLimitMs * 2);
    });

    await t.test('7: a closed or flooded event channel', async (t) => {
      const rss = { before: process.memoryUsage().rss, max: 0 };
      const sampler = setInterval(() => (rss.max = Math.max(rss.max, process.memoryUsage().rss)), 50);
      let results: Graded[];
      try {
        results = await batch(t, driver, 'channel', [ct('7 closes fd 3 and fd 2', fixture('close-channel.ts')), ct('7 floods fd 3 and stderr', fixture('flood-channel.ts'))]);
      } finally {
        clearInterval(sampler);
      }
      rss.max = Math.max(rss.max, process.memoryUsage().rss);
      for (const g of results) {
        t.equal(g.r.score, 0, `${g.name}: score 0\n${failures(g.r)}`);
        t.same(passedIds(g.r), [], `${g.name}: no check passes`);
        boundedBy(t, g, labLimitMs);
      }
      const grewMb = (rss.max - rss.before) / 2 ** 20;
      t.ok(grewMb < 300, `the grader's memory stayed sane: rss grew ${grewMb.toFixed(0)} MB at most (${(rss.before / 2 ** 20).toFixed(0)} → ${(rss.max / 2 ** 20).toFixed(0)} MB)`);
    });

    await t.test('10, 11: fork loops and memory without end', async (t) => {
      const [forkModule, forkProgram, memory] = await batch(t, driver, 'fork and memory', [
        ct('10 fork loop, workers, process.binding', fixture('fork-loop.ts')),
        gs('10 fork loop from a program', fixture('fork-loop-program.ts')),
        ct('11 eats memory', fixture('eat-memory.ts')),
      ]);
      for (const g of [forkModule!, forkProgram!, memory!]) {
        t.equal(g.r.score, 0, `${g.name}: score 0\n${failures(g.r)}`);
        boundedBy(t, g, labLimitMs);
      }
      // Node's permission model (harness/node-flags.ts) refuses processes and threads to a module's runner.
      const report = reportsOf(forkModule!.r).join(' | ');
      t.match(report, /(^|;)spawn=0\//, `10: no process started from the module (${report})`);
      t.match(report, /worker=ERR_ACCESS_DENIED/, `10: no worker thread either (${report})`);
    });

    await t.test('9: a CPU spinner does not cost the reference grading beside it its points', async (t) => {
      for (let round = 1; round <= 3; round++) {
        const [spinner, ref] = await batch(t, driver, `spinner round ${round}`, [
          ct('9 spins the CPU', fixture('cpu-spin.ts')),
          ct('reference, graded beside it', solutionFile('connect-timeout')),
        ]);
        t.equal(ref!.r.score, ref!.r.maxScore, `round ${round}: the reference scores full beside the spinner (seed ${ref!.r.seed})\n${failures(ref!.r)}`);
        t.equal(spinner!.r.score, 0, `round ${round}: the spinner scores 0`);
        boundedBy(t, spinner!, labLimitMs);
        boundedBy(t, ref!, labLimitMs);
      }
    });

    if (await oneContainer(driver)) {
      await t.test('the lab container ends with the driver', async (t) => {
        await refreshLabContainers();
        t.ok(labContainers.length > 0, `the lab container was seen while labs were made (${labContainers.map((c) => short(c.id)).join(', ')})`);
        await (await testDriver(driver)).closeAll();
        let left: string[] = [];
        for (let i = 0; i < 30 && (left = await leftovers(driver, new Set(), false)).length > 0; i++) await sleep(100);
        t.same(left, [], 'after closeAll: no lab container, nothing inside one');
      });
    }
    t.comment(`driver ${driver}: ${((performance.now() - driverStart) / 1000).toFixed(0)} s for the hostile suite`);
    t.teardown(async () => (await testDriver(driver)).closeAll());
  });
}

t.comment(`hostile suite: ${((performance.now() - suiteStart) / 1000).toFixed(0)} s in all`);

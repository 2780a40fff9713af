/**
 * Watch mode in a real terminal (tmux): grade, save a change and see the new
 * score beside the old one, save a file that does not compile and see it
 * said, ask for a hint with h, quit with q; and Ctrl-C in the middle of a
 * grade. Nothing of the grader is left afterwards. Under CI=true a machine
 * without tmux fails this file (.ci/run installs it).
 */
import t, { type Test } from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exerciseFile, repoRoot, solutionFile } from '../grader/paths.ts';
import { sleep } from '../harness/clock.ts';
import { makeDriver } from '../grader/drivers.ts';

const tmux = spawnSync('tmux', ['-V']).status === 0;
const netns = (await makeDriver('netns').status()).usable;
if (!tmux || !netns) {
  const why = !tmux ? 'tmux is not installed' : 'the netns driver cannot run here';
  if (process.env.CI === 'true') t.fail(`watch mode cannot be tested: ${why}`);
  else t.plan(0, why);
  process.exit(process.env.CI === 'true' ? 1 : 0);
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'grade-watch-'));
const socket = path.join(scratch, 'tmux.sock');
const state = path.join(scratch, 'state');
t.teardown(() => {
  spawnSync('tmux', ['-S', socket, 'kill-server']);
  rmSync(scratch, { recursive: true, force: true });
});

const tm = (...args: string[]): string => execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
const screen = (session: string): string => tm('capture-pane', '-p', '-J', '-t', session, '-S', '-200');

async function until(session: string, what: RegExp | ((s: string) => boolean), ms: number): Promise<string | null> {
  const test = typeof what === 'function' ? what : (s: string) => what.test(s);
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) {
    const s = screen(session);
    if (test(s)) return s;
  }
  return null;
}

/** Starts the CLI in watch mode in a tmux session of its own; returns where its exit status will land. */
function start(session: string, file: string): string {
  const exitFile = path.join(scratch, `${session}.exit`);
  const cmd = `cd ${repoRoot} && GRADE_STATE_DIR=${state} node bin/grade.mjs connect-timeout --watch --file ${file} --driver netns --no-color; echo $? > ${exitFile}; sleep 60`;
  tm('new-session', '-d', '-s', session, '-x', '200', '-y', '60', cmd);
  return exitFile;
}

/** The node process of the grader in a session (the pane's shell's child). */
function graderPid(session: string): number | undefined {
  const shell = tm('list-panes', '-t', session, '-F', '#{pane_pid}').trim();
  const out = spawnSync('pgrep', ['-P', shell, 'node'], { encoding: 'utf8' }).stdout.trim();
  return out ? Number(out.split('\n')[0]) : undefined;
}

/** Namespaces, cgroups and live processes left by grader `pid`. */
function leftBy(pid: number): string[] {
  const ns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => n.startsWith(`npg${pid}-`));
  const alive = existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return [...ns.map((n) => `netns ${n}`), ...(alive ? [`grader ${pid} still running`] : [])];
}

async function nothingLeft(t: Test, pid: number | undefined, what: string): Promise<void> {
  t.ok(pid, 'the grader process was found');
  if (!pid) return;
  let left: string[] = [];
  for (let i = 0; i < 50 && (left = leftBy(pid)).length > 0; i++) await sleep(100);
  t.same(left, [], `${what}: nothing left behind`);
}

t.test('save, see the new score beside the old; a file that does not compile; a hint; q', async (t) => {
  const file = path.join(scratch, 'work', 'index.ts');
  execFileSync('mkdir', ['-p', path.dirname(file)]);
  copyFileSync(exerciseFile('connect-timeout'), file);
  const exitFile = start('learn', file);

  const first = await until('learn', /Watching .* q quit/, 60_000);
  t.ok(first, 'the first grade ran and the watch footer shows');
  t.match(first ?? '', /Score 0\/12/, 'the stub scores 0');
  const pid = graderPid('learn');

  copyFileSync(solutionFile('connect-timeout'), file);
  const second = await until('learn', /Before this grade: 0\/12 → now 12\/12/, 60_000);
  t.ok(second, 'saving the reference grades again, the old score beside the new');
  t.notMatch(second ?? '', /not implemented yet/, 'the screen was cleared for the new grade');

  writeFileSync(file, 'export function connectWithTimeout( {\n');
  const broken = await until('learn', /does not compile/, 60_000);
  t.ok(broken, 'a file that does not compile is said, and watching goes on');
  t.match(broken ?? '', /Watching .* q quit/);

  tm('send-keys', '-t', 'learn', 'h');
  t.ok(await until('learn', /Hint 1 of 3 — connect-timeout/, 5000), 'h shows the first hint');
  tm('send-keys', '-t', 'learn', 'h');
  t.ok(await until('learn', /Hint 2 of 3 — connect-timeout/, 5000), 'h again shows the next one');

  tm('send-keys', '-t', 'learn', 'q');
  for (let i = 0; i < 100 && !existsSync(exitFile); i++) await sleep(100);
  t.equal(existsSync(exitFile) ? readFileSync(exitFile, 'utf8').trim() : 'none', '0', 'q quits with status 0');
  await nothingLeft(t, pid, 'after q');
  t.notOk(existsSync(path.join(state, 'scores.json')), 'a --file grade is not recorded as the learner’s progress');
});

t.test('Ctrl-C in the middle of a grade', async (t) => {
  const file = path.join(scratch, 'ctrl-c', 'index.ts');
  execFileSync('mkdir', ['-p', path.dirname(file)]);
  copyFileSync(solutionFile('connect-timeout'), file);
  const exitFile = start('interrupt', file);
  t.ok(await until('interrupt', /… SYNs/, 60_000), 'a grade is under way');
  const pid = graderPid('interrupt');
  tm('send-keys', '-t', 'interrupt', 'C-c');
  for (let i = 0; i < 200 && !existsSync(exitFile); i++) await sleep(100);
  t.equal(existsSync(exitFile) ? readFileSync(exitFile, 'utf8').trim() : 'none', '130', 'Ctrl-C ends it with status 130');
  await nothingLeft(t, pid, 'after Ctrl-C');
});

/**
 * Lab slots shared by graders (harness/slots.ts): never more labs at once than slots, across
 * processes; a slot of a grader that died is taken over; a planted folder is refused.
 */
import t from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireSlot } from '../harness/slots.ts';
import { repoRoot } from '../grader/paths.ts';

const base = mkdtempSync(path.join(os.tmpdir(), 'slots-'));
t.teardown(() => rmSync(base, { recursive: true, force: true }));

/** Runs `script` (an ES module) in `n` node processes at once; resolves with every JSON line they print. */
async function inProcesses<T>(n: number, script: string): Promise<T[]> {
  const runs = Array.from({ length: n }, () =>
    new Promise<T[]>((resolve, reject) => {
      const c = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      c.stdout.on('data', (d) => (out += d));
      c.on('exit', (code) => (code === 0 ? resolve(out.trim().split('\n').map((l) => JSON.parse(l))) : reject(new Error(`exit ${code}`))));
    }),
  );
  return (await Promise.all(runs)).flat();
}

t.test('one process: the slot after the last waits until one is given back', async (t) => {
  const dir = path.join(base, 'one');
  const held = await Promise.all([acquireSlot({ dir, count: 2 }), acquireSlot({ dir, count: 2 })]);
  let waited = false;
  let got = false;
  const third = acquireSlot({ dir, count: 2, onWait: () => (waited = true) }).then((release) => {
    got = true;
    return release;
  });
  await new Promise((r) => setTimeout(r, 300));
  t.ok(waited, 'told that it waits');
  t.notOk(got, 'no third slot while two are held');
  held[0]!();
  const release = await third;
  t.ok(got, 'the third gets the slot given back');
  release();
  held[1]!();
});

t.test('a slot whose owner died (kill -9) is taken over', async (t) => {
  const dir = path.join(base, 'dead');
  mkdirSync(dir, { mode: 0o700 });
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(dead.stdout);
  t.ok(pid > 0, `a pid that is gone: ${pid}`);
  mkdirSync(path.join(dir, 'slot-0'));
  writeFileSync(path.join(dir, 'slot-0', 'owner'), String(pid));
  const release = await Promise.race([acquireSlot({ dir, count: 1 }), new Promise<null>((r) => setTimeout(() => r(null), 3000))]);
  t.ok(release, 'the stale slot was taken within 3 s');
  release?.();
});

t.test('a live owner keeps its slot', async (t) => {
  const dir = path.join(base, 'live');
  mkdirSync(dir, { mode: 0o700 });
  mkdirSync(path.join(dir, 'slot-0'));
  writeFileSync(path.join(dir, 'slot-0', 'owner'), String(process.ppid));
  const stop = new AbortController();
  const waiting = acquireSlot({ dir, count: 1, signal: stop.signal });
  const release = await Promise.race([waiting, new Promise<null>((r) => setTimeout(() => r(null), 500))]);
  t.equal(release, null, 'still waiting after 500 ms');
  stop.abort();
  await t.rejects(waiting, 'stops waiting when aborted');
});

t.test('a planted folder is refused: a link, or one others can write', async (t) => {
  const target = path.join(base, 'target');
  mkdirSync(target, { mode: 0o700 });
  const link = path.join(base, 'link');
  symlinkSync(target, link);
  await t.rejects(acquireSlot({ dir: link, count: 1 }), /not a private folder/);
  const open = path.join(base, 'open');
  mkdirSync(open);
  chmodSync(open, 0o777);
  await t.rejects(acquireSlot({ dir: open, count: 1 }), /not a private folder/);
});

t.test('across processes: never more holders at once than slots', async (t) => {
  const dir = path.join(base, 'many');
  const script = `
    import { acquireSlot } from ${JSON.stringify(path.join(repoRoot, 'harness/slots.ts'))};
    for (let i = 0; i < 3; i++) {
      const release = await acquireSlot({ dir: ${JSON.stringify(dir)}, count: 2 });
      const from = performance.timeOrigin + performance.now();
      await new Promise((r) => setTimeout(r, 150));
      const to = performance.timeOrigin + performance.now();
      release();
      console.log(JSON.stringify([from, to]));
    }`;
  const spans = await inProcesses<[number, number]>(4, script);
  t.equal(spans.length, 12, 'every holder got its slot');
  const edges = spans.flatMap(([a, b]) => [[a, 1] as const, [b, -1] as const]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let now = 0;
  let max = 0;
  for (const [, d] of edges) max = Math.max(max, (now += d));
  t.ok(max <= 2, `at most 2 at once (saw ${max})`);
  t.ok(max === 2, 'and both slots were used');
});

t.test("graders that find a dead owner's slot at the same moment: one of them takes it, none fails", async (t) => {
  const dir = path.join(base, 'race');
  mkdirSync(dir, { mode: 0o700 });
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const rounds = 30;
  for (let k = 0; k < rounds; k++) {
    mkdirSync(path.join(dir, `r${k}`, 'slot-0'), { recursive: true, mode: 0o700 });
    writeFileSync(path.join(dir, `r${k}`, 'slot-0', 'owner'), dead.stdout);
  }
  // every process tries round k's stale slot at the same instant (T0 + k × 40 ms), once, and keeps what it takes
  const t0 = Date.now() + 4000;
  const script = `
    import { acquireSlot } from ${JSON.stringify(path.join(repoRoot, 'harness/slots.ts'))};
    for (let k = 0; k < ${rounds}; k++) {
      const at = ${t0} + k * 40;
      while (Date.now() < at - 5) await new Promise((r) => setTimeout(r, 1));
      while (Date.now() < at);
      const got = await acquireSlot({ dir: ${JSON.stringify(dir)} + '/r' + k, count: 1, signal: AbortSignal.timeout(5) }).then(
        () => 'won',
        (err) => (err.name === 'TimeoutError' ? 'lost' : 'error: ' + err.message),
      );
      console.log(JSON.stringify([k, got]));
    }`;
  const results = await inProcesses<[number, string]>(4, script);
  const errors = results.filter(([, r]) => r.startsWith('error'));
  t.same(errors, [], 'no grader failed on a slot another one was taking over');
  const winners = Array.from({ length: rounds }, (_, k) => results.filter(([j, r]) => j === k && r === 'won').length);
  t.same(winners.filter((n) => n !== 1), [], `each stale slot went to exactly one grader (winners per round: ${winners.join(' ')})`);
});

t.test('a slot folder left without an owner (its taker died before writing it) is taken over after 10 s, not before', async (t) => {
  const dir = path.join(base, 'ownerless');
  mkdirSync(dir, { mode: 0o700 });
  const slot = path.join(dir, 'slot-0');
  mkdirSync(slot);
  const stop = new AbortController();
  const early = acquireSlot({ dir, count: 1, signal: stop.signal });
  const got = await Promise.race([early, new Promise<null>((r) => setTimeout(() => r(null), 500))]);
  t.equal(got, null, 'a fresh folder without an owner is someone taking it: left alone');
  stop.abort();
  await t.rejects(early);
  const old = new Date(Date.now() - 11_000);
  utimesSync(slot, old, old);
  const release = await Promise.race([acquireSlot({ dir, count: 1 }), new Promise<null>((r) => setTimeout(() => r(null), 3000))]);
  t.ok(release, 'an old one is taken over');
  release?.();
});

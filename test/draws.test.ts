/**
 * Draws (grader/draws.ts) and replay: one seed gives every draw of a run, whatever order scenarios
 * run in; different seeds give different scenarios; `--seed N` repeats a run — the same draws, and
 * for a deterministic file the same checks pass and fail.
 */
import t from 'tap';
import path from 'node:path';
import { Draws } from '../grader/draws.ts';
import { exercises } from '../grader/exercises.ts';
import { repoRoot } from '../grader/paths.ts';
import type { Scenario } from '../grader/types.ts';
import { testedDrivers } from './lib/conformance.ts';
import { gradeFile } from './lib/grade.ts';

function drawsOf(id: string, seed: number): Record<string, number | string> {
  const ex = exercises.find((e) => e.id === id)!;
  const d = new Draws(seed);
  if (typeof ex.scenarios === 'function') ex.scenarios(d);
  return d.drawn;
}

t.test('Draws: a seed gives the same values; forks are independent of other draws', async (t) => {
  const a = new Draws(42);
  const b = new Draws(42);
  t.same([a.int('x', 1, 1000), a.pick('y', ['p', 'q', 'r']), a.distinct('z', 5, 1, 50)], [b.int('x', 1, 1000), b.pick('y', ['p', 'q', 'r']), b.distinct('z', 5, 1, 50)]);
  const c = new Draws(42);
  c.int('extra', 1, 10);
  t.equal(c.fork('s').int('v', 1, 1e6), new Draws(42).fork('s').int('v', 1, 1e6), 'a fork does not move with draws made before it');
  const ports = new Draws(7).distinct('ports', 8, 20000, 20010);
  t.equal(new Set(ports).size, 8, 'distinct gives distinct values');
  t.ok(ports.every((p) => p >= 20000 && p <= 20010), 'within range');
});

for (const ex of exercises) {
  t.test(`${ex.id}: every scenario is drawn, and drawn again the same from its seed`, async (t) => {
    t.equal(typeof ex.scenarios, 'function', 'scenarios are a function of the draws');
    const once = drawsOf(ex.id, 12345);
    t.ok(Object.keys(once).length >= 4, `draws several values (${Object.keys(once).join(', ')})`);
    t.same(drawsOf(ex.id, 12345), once, 'the same seed, the same draws');
    const others = [1, 2, 3, 4, 5].map((s) => JSON.stringify(drawsOf(ex.id, s)));
    t.equal(new Set(others).size, 5, 'five seeds, five different runs');
    const built = (ex.scenarios as (d: Draws) => Scenario[])(new Draws(9));
    t.equal(new Set(built.map((s) => s.id)).size, built.length, 'scenario ids are unique');
  });
}

const drivers = await testedDrivers();
if (drivers.includes('netns')) {
  t.test('--seed replays a run: same draws, same verdicts (a deterministic wrong file)', async (t) => {
    const file = path.join(repoRoot, 'test/fixtures/gaming/connect-timeout/fixed-1500.ts');
    const [a, b] = [await gradeFile('connect-timeout', file, 'netns', 10), await gradeFile('connect-timeout', file, 'netns', 10)];
    t.equal(a.seed, 10);
    t.same(b.drawn, a.drawn, 'the same draws');
    t.same(
      b.checks.map((c) => [c.id, c.status]),
      a.checks.map((c) => [c.id, c.status]),
      'the same checks pass and fail',
    );
    const c = await gradeFile('connect-timeout', file, 'netns', 11);
    t.notSame(c.drawn, a.drawn, 'another seed, other draws');
  });
}

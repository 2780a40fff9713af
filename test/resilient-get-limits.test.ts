/**
 * resilient-get's runner waits a limited time for the promises. A correct
 * decorrelated jitter (random(base, 3 × previous), capped) can wait far longer
 * than the nominal delays add up to; a limit sized on the nominal sum once cut
 * a correct variant short in a CI rehearsal (5 of 6 attempts made, the promise
 * still pending). Every drawn case whose attempts fail at once must fit its
 * longest possible waits, walked here step by step, inside the limit.
 */
import t from 'tap';
import { drawCases, failsAtOnce, limitOf } from '../grader/exercises/resilient-get/index.ts';
import { Draws } from '../grader/draws.ts';

/** The most a decorrelated learner can sleep before its retries: each sleep 3 × the previous, capped. */
function decorrelatedWorst(base: number, max: number, retries: number): number {
  let prev = base;
  let sum = 0;
  for (let k = 0; k < retries; k++) {
    prev = Math.min(max, 3 * prev);
    sum += prev;
  }
  return sum;
}

t.test('the limit covers the longest waits of every fast-failing case, for every draw', async (t) => {
  let tightest = Infinity;
  let seeds = 0;
  for (let seed = 1; seed <= 2000; seed++) {
    const { exhaust, recovers } = drawCases(new Draws(seed));
    for (const cases of [exhaust, recovers]) {
      const limit = limitOf(cases);
      for (const c of cases.filter(failsAtOnce)) {
        const worst = decorrelatedWorst(c.opts.baseDelayMs, c.opts.maxDelayMs, c.opts.maxAttempts - 1);
        tightest = Math.min(tightest, limit - worst);
      }
    }
    seeds++;
  }
  t.equal(seeds, 2000);
  t.ok(tightest >= 1000, `at least 1 s to spare past the longest decorrelated waits (tightest: ${tightest} ms)`);
});

t.test('a limit sized on the nominal delays would not have been enough', async (t) => {
  // The flaw this guards against: 9 s against 103 × base (base up to 100 ms) for six attempts.
  const { exhaust } = drawCases(new Draws(7));
  const refused = exhaust.find((c) => c.kind === 'refused')!;
  const worst = decorrelatedWorst(refused.opts.baseDelayMs, refused.opts.maxDelayMs, refused.opts.maxAttempts - 1);
  t.equal(refused.opts.maxAttempts, 6);
  t.ok(worst > 7000, `six refused attempts can wait ${worst} ms by design`);
  t.ok(limitOf(exhaust) >= worst + 1000);
});

/**
 * A machine too busy to keep time: a failed check whose scenario ran under
 * such load is run again, and after `busyTries` busy runs it is an error (no
 * points, "grade again"), never a fail; a pass stays a pass; on a quiet
 * machine a fail stays a fail. The load readings are stood in here (the
 * grading path is real: netns labs, the mutant's code, the router's trace).
 */
import t from 'tap';
import { findExercise } from '../grader/exercises.ts';
import { busyTries, grade, type GradeResult } from '../grader/grade.ts';
import { solutionFile } from '../grader/paths.ts';
import { cpuPressureUs, excusedByLoad, LoadWatch, overloaded, overloadLimits, type LoadReading, type LoadSource } from '../harness/load.ts';
import { testDriver } from './lib/grade.ts';

t.test('PSI: the "some" total is read; a kernel without it gives null', async (t) => {
  const text = 'some avg10=26.65 avg60=30.12 avg300=23.02 total=1083734316\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n';
  t.equal(cpuPressureUs(text), 1083734316);
  t.equal(cpuPressureUs(''), null);
});

t.test('overloaded(): late timers or CPU pressure, each alone', async (t) => {
  t.notOk(overloaded({ lagMs: 40, pressure: 0.3 }));
  t.notOk(overloaded({ lagMs: 40, pressure: null }));
  t.ok(overloaded({ lagMs: overloadLimits.lagMs + 100, pressure: null }));
  t.ok(overloaded({ lagMs: 10, pressure: 0.95 }));
});

t.test('excusedByLoad(): busy, and not by the learner\'s own doing, and that is known', async (t) => {
  t.ok(excusedByLoad({ lagMs: 10, pressure: 0.95, learnerCpus: 0.05 }));
  t.notOk(excusedByLoad({ lagMs: 10, pressure: 0.95, learnerCpus: 1.4 }), 'a spinning learner');
  t.notOk(excusedByLoad({ lagMs: 10, pressure: 0.95, learnerCpus: null }), 'unknown learner CPU');
  t.notOk(excusedByLoad({ lagMs: 10, pressure: 0.3, learnerCpus: 0.05 }), 'a quiet machine');
});

t.test('LoadWatch sees a blocked event loop, and only in windows that include it', async (t) => {
  const w = new LoadWatch();
  w.start();
  t.teardown(() => w.stop());
  await new Promise((r) => setTimeout(r, 120));
  const before = w.mark();
  const end = Date.now() + 400;
  while (Date.now() < end) {
    /* block */
  }
  await new Promise((r) => setTimeout(r, 120));
  const r = w.since(before);
  t.ok(r.lagMs >= 300, `lateness ${r.lagMs.toFixed(0)} ms after a 400 ms block`);
  const after = w.mark();
  await new Promise((r) => setTimeout(r, 200));
  t.ok(w.since(after).lagMs < 300, `a later window does not see it: ${w.since(after).lagMs.toFixed(0)} ms`);
});

/** A stand-in reading for every window. */
function fixedLoad(reading: LoadReading): LoadSource {
  return { start() {}, stop() {}, mark: () => ({ t: 0, psiUs: null }), since: () => reading };
}

const exercise = findExercise('connect-timeout')!;
const seed = 7;

/** Grades `file` with stand-in load readings; the retry lines the grade printed come back with it. */
async function gradeUnder(file: string, reading: LoadReading): Promise<{ r: GradeResult; retries: string[] }> {
  const retries: string[] = [];
  const r = await grade({
    exercise,
    file,
    driver: await testDriver('netns'),
    seed,
    load: fixedLoad(reading),
    progress: (e) => {
      if (e.phase === 'retry') retries.push(`${e.scenario}: ${e.detail}`);
    },
  });
  return { r, retries };
}
const mutant = new URL('./mutants/connect-timeout/gives-up-early.ts', import.meta.url).pathname;

t.test('a busy machine: the failed check is run again, then an error; nothing else changes', async (t) => {
  const { r, retries } = await gradeUnder(mutant, { lagMs: 1500, pressure: 0.97 });
  const c = r.checks.find((c) => c.id === 'rejects-at-connect-ms')!;
  t.equal(c.status, 'error', c.message);
  t.equal(c.points, 0, 'no points for it');
  t.match(c.message, /too busy to judge this in each of 3 tries/);
  t.match(c.message, /What was seen: /, 'what was seen is kept');
  t.equal(retries.length, busyTries - 1, `run again ${busyTries - 1} times: ${retries.join(' | ')}`);
  t.ok(retries.every((x) => /too busy to judge its timing/.test(x)), 'each retry says why');
  t.equal(new Set(retries.map((x) => x.split(':')[0])).size, 1, 'only the scenario the failed check reads runs again');
  const others = r.checks.filter((c) => c.id !== 'rejects-at-connect-ms');
  t.ok(others.every((c) => c.status === 'pass'), `every other check passes: ${others.filter((c) => c.status !== 'pass').map((c) => c.id).join(', ')}`);
});

t.test('a quiet machine: the same mutant fails, nothing run again', async (t) => {
  const { r, retries } = await gradeUnder(mutant, { lagMs: 5, pressure: 0.1 });
  t.equal(r.checks.find((c) => c.id === 'rejects-at-connect-ms')!.status, 'fail');
  t.same(retries, []);
});

t.test('a busy machine never costs a pass: the reference is full, nothing run again', async (t) => {
  const { r, retries } = await gradeUnder(solutionFile('connect-timeout'), { lagMs: 1500, pressure: 0.97 });
  t.equal(r.score, r.maxScore);
  t.same(retries, []);
});

t.test('a learner that keeps the machine busy itself is not excused: its fails stand, nothing run again', async (t) => {
  const spinner = new URL('./fixtures/hostile/cpu-spin.ts', import.meta.url).pathname;
  const { r, retries } = await gradeUnder(spinner, { lagMs: 1500, pressure: 0.97 });
  t.equal(r.score, 0);
  t.same(retries, [], 'no scenario run again');
  t.ok(r.checks.every((c) => c.status === 'fail'), r.checks.map((c) => `${c.id} ${c.status}`).join(', '));
  const cpus = r.timings.map((x) => x.load?.learnerCpus ?? 0);
  t.ok(Math.min(...cpus) > overloadLimits.learnerCpus, `the spinner's CPU was accounted: ${cpus.map((c) => c.toFixed(2)).join(', ')} CPUs`);
});

/**
 * Gaming: files that special-case what a learner can read in the checks (a timeout,
 * a delay, a port, the default of an env variable) instead of doing what the course
 * teaches. Each is graded at pinned seeds — chosen so the drawn value differs from
 * the one the file hard-codes — and must lose the checks it names. The seeds are
 * pinned so the test is replayable; the draws are what makes the special case lose.
 *
 * Fixtures live in test/fixtures/gaming/<exercise>/, each starting with
 *   // gaming: what it special-cases
 *   // loses: check-id, check-id
 * and, for a fixture that reads what its process can see of the lab (argv, env,
 * /proc, files) rather than a drawn value, which differs per driver:
 *   // drivers: every
 * Mutants stay the proof that a check catches a mistake; these prove that a check
 * cannot be passed by knowing the checks. A drawn value is drawn by the grader, the
 * same code under every driver, so fixtures that special-case one run under the
 * mutants' driver only (CONFORMANCE=full: under every driver).
 */
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../grader/paths.ts';
import { findExercise } from '../../grader/exercises.ts';
import type { DriverName } from '../../grader/drivers.ts';
import { mutantDriver, testedDrivers } from './conformance.ts';
import { failures, gradeFile, pooled } from './grade.ts';

export interface GamingFixture {
  name: string;
  file: string;
  description: string;
  loses: string[];
  /** Graded under every driver, not only the mutants' one: it probes the process's surroundings. */
  everyDriver: boolean;
}

export function gamingFixtures(exerciseId: string): GamingFixture[] {
  const folder = path.join(repoRoot, 'test', 'fixtures', 'gaming', exerciseId);
  let names: string[];
  try {
    names = readdirSync(folder).filter((f) => /\.(m?ts|m?js)$/.test(f)).sort();
  } catch {
    return [];
  }
  return names.map((f) => {
    const file = path.join(folder, f);
    const text = readFileSync(file, 'utf8');
    const description = /^\/\/ gaming: (.+)$/m.exec(text)?.[1]?.trim();
    const loses = /^\/\/ loses: (.+)$/m.exec(text)?.[1];
    if (!description || !loses) throw new Error(`${file}: needs '// gaming:' and '// loses:' header lines`);
    const everyDriver = /^\/\/ drivers: every$/m.test(text);
    return { name: f.replace(/\.[^.]+$/, ''), file, description, loses: loses.split(',').map((s) => s.trim()).filter(Boolean), everyDriver };
  });
}

/**
 * Grades every gaming fixture of an exercise at each pinned seed — under the
 * mutants' driver, or every driver this machine runs for `// drivers: every`
 * fixtures and under CONFORMANCE=full — a few grades at once, and asserts each
 * loses at least the checks it names at every seed.
 */
export async function gaming(exerciseId: string, seeds: number[]): Promise<void> {
  const exercise = findExercise(exerciseId);
  if (!exercise) throw new Error(`no exercise ${exerciseId}`);
  const fixtures = gamingFixtures(exerciseId);
  const ids = exercise.checks.map((c) => c.id);
  t.ok(fixtures.length > 0, `${exerciseId} has gaming fixtures`);
  for (const f of fixtures) for (const id of f.loses) t.ok(ids.includes(id), `${f.name} names a real check: ${id}`);
  const drivers = await testedDrivers();
  const full = process.env.CONFORMANCE === 'full';
  const under = (f: GamingFixture, driver: DriverName) => full || f.everyDriver || driver === mutantDriver || !drivers.includes(mutantDriver);
  const jobs = drivers.flatMap((driver) => fixtures.filter((f) => under(f, driver)).flatMap((f) => seeds.map((seed) => ({ f, seed, driver }))));
  const results = await pooled(jobs, ({ f, seed, driver }) => gradeFile(exerciseId, f.file, driver, seed));
  jobs.forEach(({ f, seed, driver }, i) => {
    const settled = results[i]!;
    t.test(`${driver}: ${f.name} (seed ${seed}): ${f.description}`, async (t) => {
      if (!settled.ok) {
        t.fail(`grading threw: ${(settled.error as Error)?.stack ?? settled.error}`);
        return;
      }
      const r = settled.value;
      t.notOk(r.compileError, `compiles${r.compileError ? `: ${r.compileError}` : ''}`);
      for (const id of f.loses) {
        const c = r.checks.find((x) => x.id === id);
        t.not(c?.status, 'pass', `${id} does not pass (drawn ${JSON.stringify(r.drawn)})\n${failures(r)}`);
      }
    });
  });
}

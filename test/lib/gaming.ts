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
 * Mutants stay the proof that a check catches a mistake; these prove that a check
 * cannot be passed by knowing the checks.
 */
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../grader/paths.ts';
import { findExercise } from '../../grader/exercises.ts';
import type { DriverName } from '../../grader/drivers.ts';
import { testedDrivers } from './conformance.ts';
import { failures, gradeFile } from './grade.ts';

export interface GamingFixture {
  name: string;
  file: string;
  description: string;
  loses: string[];
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
    return { name: f.replace(/\.[^.]+$/, ''), file, description, loses: loses.split(',').map((s) => s.trim()).filter(Boolean) };
  });
}

/**
 * Grades every gaming fixture of an exercise at each pinned seed under every driver
 * this machine runs (both under CI=true), two grades at a time, and asserts each
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
  const jobs = drivers.flatMap((driver) => fixtures.flatMap((f) => seeds.map((seed) => ({ f, seed, driver }))));
  const results: Array<{ f: GamingFixture; seed: number; driver: DriverName; r: Awaited<ReturnType<typeof gradeFile>> }> = [];
  for (let i = 0; i < jobs.length; i += 2) {
    const pair = jobs.slice(i, i + 2);
    results.push(...(await Promise.all(pair.map(async ({ f, seed, driver }) => ({ f, seed, driver, r: await gradeFile(exerciseId, f.file, driver, seed) })))));
  }
  for (const { f, seed, driver, r } of results) {
    t.test(`${driver}: ${f.name} (seed ${seed}): ${f.description}`, async (t) => {
      t.notOk(r.compileError, `compiles${r.compileError ? `: ${r.compileError}` : ''}`);
      for (const id of f.loses) {
        const c = r.checks.find((x) => x.id === id);
        t.not(c?.status, 'pass', `${id} does not pass (drawn ${JSON.stringify(r.drawn)})\n${failures(r)}`);
      }
    });
  }
}

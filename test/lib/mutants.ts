/**
 * Mutants: known-wrong implementations, one mistake each, that prove the
 * checks. Each file in test/mutants/<exercise>/ starts with
 *   // mutant: what is wrong, in the course's terms
 *   // fails: check-id, check-id
 * and must fail exactly the listed checks (every other check passes).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../grader/paths.ts';

export interface Mutant {
  exercise: string;
  name: string;
  file: string;
  description: string;
  fails: string[];
}

export const mutantsDir = path.join(repoRoot, 'test', 'mutants');

export function parseMutantHeader(text: string): { description: string; fails: string[] } | null {
  const description = /^\/\/ mutant: (.+)$/m.exec(text)?.[1]?.trim();
  const fails = /^\/\/ fails: (.+)$/m.exec(text)?.[1];
  if (!description || !fails) return null;
  return { description, fails: fails.split(',').map((s) => s.trim()).filter(Boolean) };
}

/** The implementation files of one exercise under `dir`, sorted; none when the folder is missing. */
function filesOf(dir: string, exercise: string): Array<{ name: string; file: string; text: string }> {
  const folder = path.join(dir, exercise);
  let names: string[];
  try {
    names = readdirSync(folder).filter((f) => /\.(m?ts|m?js)$/.test(f)).sort();
  } catch {
    return [];
  }
  return names.map((f) => {
    const file = path.join(folder, f);
    return { name: f.replace(/\.[^.]+$/, ''), file, text: readFileSync(file, 'utf8') };
  });
}

export function mutantsOf(exercise: string): Mutant[] {
  return filesOf(mutantsDir, exercise).map(({ name, file, text }) => {
    const header = parseMutantHeader(text);
    if (!header) throw new Error(`${file}: missing "// mutant:" or "// fails:" header`);
    return { exercise, name, file, ...header };
  });
}

/**
 * Variants: other correct implementations (another jitter, another way to
 * name a timeout error) that must score full. Files in
 * test/variants/<exercise>/ start with `// variant: what differs`.
 */
export interface Variant {
  exercise: string;
  name: string;
  file: string;
  description: string;
}

export const variantsDir = path.join(repoRoot, 'test', 'variants');

export function variantsOf(exercise: string): Variant[] {
  return filesOf(variantsDir, exercise).map(({ name, file, text }) => {
    const description = /^\/\/ variant: (.+)$/m.exec(text)?.[1]?.trim();
    if (!description) throw new Error(`${file}: missing "// variant:" header`);
    return { exercise, name, file, description };
  });
}

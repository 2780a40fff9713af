/**
 * A repository made by `grade pack` (grader/pack.ts) holds some of the kit's
 * exercises and none of its reference solutions. `grader/packed.json` says
 * which exercises it holds; the full kit has no such file, and everything
 * here then changes nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot, solutionFile } from './paths.ts';
import { messages } from './messages.ts';
import type { Lang } from './hints.ts';

export const manifestFile = path.join(repoRoot, 'grader', 'packed.json');

export type PackKind = 'learner' | 'classroom' | 'gradescope';

export interface PackedExercise {
  id: string;
  title: string;
  part: string;
  /** The sum of its checks' points. */
  maxScore: number;
}

export interface PackManifest {
  kind: PackKind;
  exercises: PackedExercise[];
  /** The kit it was packed from: package.json's name and version. */
  kit: { name: string; version: string };
}

function isManifest(v: unknown): v is PackManifest {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as PackManifest;
  return (
    typeof m.kind === 'string' &&
    Array.isArray(m.exercises) &&
    m.exercises.every((e) => typeof e === 'object' && e !== null && typeof e.id === 'string')
  );
}

/** This repository's pack manifest, or undefined in the full kit (or when the file is not one). */
export function readManifest(file = manifestFile): PackManifest | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return isManifest(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

const manifest = readManifest();

/** The kit's exercises this repository holds: all of them in the full kit, the packed ones in a packed repository. */
export function packedOnly<E extends { id: string }>(all: readonly E[]): E[] {
  if (!manifest) return [...all];
  const ids = new Set(manifest.exercises.map((e) => e.id));
  return all.filter((e) => ids.has(e.id));
}

/**
 * Why this repository cannot do what `argv` asks, or undefined when it can:
 * an exercise of the kit that was not packed here, or `--solution` where there
 * are no reference solutions. Only a packed repository (or one whose
 * solutions/ is gone) ever refuses; the CLI says it as a usage error (exit 2).
 */
export function packedRefusal(argv: readonly string[], kitIds: readonly string[], hereIds: readonly string[], lang: Lang = 'en'): string | undefined {
  const w = messages(lang).packed;
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: false,
      allowPositionals: true,
      // The options that take a value, so that a value is never read as an exercise.
      options: {
        file: { type: 'string' },
        format: { type: 'string', multiple: true },
        out: { type: 'string' },
        driver: { type: 'string' },
        seed: { type: 'string' },
        solution: { type: 'boolean' },
        all: { type: 'boolean' },
      },
    });
  } catch {
    return undefined; // the CLI's own parse says what is wrong
  }
  const name = parsed.positionals[0];
  const holds = hereIds.length > 0 ? hereIds.join(', ') : w.none;
  if (name !== undefined && kitIds.includes(name) && !hereIds.includes(name)) return w.notHere(name, holds);
  if (parsed.values.solution === true) {
    const ids = parsed.values.all === true ? hereIds : name !== undefined && hereIds.includes(name) ? [name] : [];
    const missing = ids.filter((id) => !existsSync(solutionFile(id)));
    if (missing.length > 0) {
      return manifest ? w.noSolutions(manifest.kind) : w.noSolutionFor(missing.join(', '), path.relative(repoRoot, solutionFile(missing[0]!)));
    }
  }
  return undefined;
}

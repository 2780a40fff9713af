/**
 * `grade pack` — from the kit to an assignment:
 *
 *   grade pack learner <dir> [--exercises a,b]       a learner repository: the exercises' stubs and
 *                                                    READMEs, the runtime that grades them, no solutions
 *   grade pack classroom <dir> [--exercises a,b]     the same, plus a GitHub Classroom workflow
 *   grade pack gradescope <file.zip> [--exercises a,b]   a Gradescope autograder (setup.sh,
 *                                                    run_autograder, the kit)
 *
 * What a pack holds: bin/, grader/ (less the bench), harness/, docker/, package.json (the
 * learner's scripts only), package-lock.json, tsconfig.json, .gitignore, .ci/docker-setup.sh,
 * exercises/<id>/{index.ts,README.md} of the chosen exercises, a README.md for the learner and
 * grader/packed.json, which tells the grader which exercises this repository holds
 * (grader/packed.ts). Never solutions/ nor test/ (mutants, variants, gaming fixtures).
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import yazl from 'yazl';
import { exercises } from './exercises.ts';
import { exerciseFile, repoRoot } from './paths.ts';
import { manifestFile, type PackKind, type PackManifest, type PackedExercise } from './packed.ts';
import { nearest } from './suggest.ts';
import type { ExerciseDef } from './types.ts';

export const packUsage = `Usage:
  grade pack learner <dir> [--exercises a,b]         a learner repository in <dir> (new or empty):
                                                     the exercises' stubs and READMEs, the grader,
                                                     no reference solutions, no kit tests
  grade pack classroom <dir> [--exercises a,b]       the same, plus .github/workflows/classroom.yml
                                                     for GitHub Classroom (partial credit per check)
  grade pack gradescope <file.zip> [--exercises a,b] a Gradescope autograder: setup.sh,
                                                     run_autograder and the kit

  --exercises a,b    the exercises to hand out (default: every exercise here, in course order)`;

class PackError extends Error {}

const kinds: readonly PackKind[] = ['learner', 'classroom', 'gradescope'];

/** One file of a pack: where it goes (a relative, /-separated path), what it holds, and whether it runs. */
interface Entry {
  path: string;
  data: Buffer;
  executable: boolean;
}

/** Folders of the kit's runtime, copied whole but for what never belongs in a pack. */
const runtimeDirs = ['bin', 'grader', 'harness', 'docker'];
/** Names skipped anywhere below them: installs, caches, local state. */
const skipNames = new Set(['node_modules', '.grade', '.tap', '.scratch', '.git']);
/** Files of those folders that stay in the kit: this repository's manifest (a pack writes its own), the bench (it grades the references). */
const skipFiles = new Set(['grader/packed.json', 'grader/bench.ts']);

function walk(rel: string, into: Entry[]): void {
  const abs = path.join(repoRoot, rel);
  for (const name of readdirSync(abs).sort()) {
    const childRel = `${rel}/${name}`;
    if (skipNames.has(name) || name.endsWith('.log') || skipFiles.has(childRel)) continue;
    const st = lstatSync(path.join(abs, name));
    if (st.isDirectory()) walk(childRel, into);
    else if (st.isFile()) into.push(fileEntry(childRel));
    else throw new PackError(`cannot pack ${childRel}: not a regular file or folder`);
  }
}

function fileEntry(rel: string, as = rel): Entry {
  const abs = path.join(repoRoot, rel);
  return { path: as, data: readFileSync(abs), executable: (statSync(abs).mode & 0o100) !== 0 };
}

const text = (p: string, s: string, executable = false): Entry => ({ path: p, data: Buffer.from(s), executable });

const maxScoreOf = (e: ExerciseDef): number => e.checks.reduce((s, c) => s + c.points, 0);

/** The learner's package.json: the kit's dependencies (package-lock.json must match them for `npm ci`), the learner's scripts. */
function learnerPackageJson(): string {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
  pkg.scripts = { grade: 'node bin/grade.mjs', typecheck: 'tsc --noEmit' };
  delete pkg.tap;
  return JSON.stringify(pkg, null, 2) + '\n';
}

function learnerTsconfig(): string {
  const ts = JSON.parse(readFileSync(path.join(repoRoot, 'tsconfig.json'), 'utf8')) as { include?: string[] };
  ts.include = ['harness', 'grader', 'exercises', 'bin'];
  return JSON.stringify(ts, null, 2) + '\n';
}

function learnerReadme(kind: PackKind, chosen: readonly ExerciseDef[]): string {
  const rows = chosen.map((e) => `| \`${e.id}\` | ${e.title} | ${e.part} | ${maxScoreOf(e)} |`).join('\n');
  const first = chosen[0]!.id;
  const classroom =
    kind === 'classroom'
      ? `
## Your grade in GitHub Classroom

Every push is graded again by GitHub Actions (\`.github/workflows/classroom.yml\`), in the same lab:
the Actions tab shows each exercise's report, and your points (each check's, so partial work counts)
go to GitHub Classroom. Grade on your machine first: it is the same grade, sooner.
`
      : '';
  return `# Network programming exercises

These exercises come from **netprog-grade**, the self-grading kit of the course *Network Programming
with Node.js + TypeScript*. Each exercise is a README and a stub: \`exercises/<exercise>/README.md\`
says what to write, \`exercises/<exercise>/index.ts\` is where you write it. The grader runs your
code inside a real network lab (Linux network namespaces joined through a router that drops,
rejects and resets traffic) and scores what it did there, from the wire.

## Two commands

1. Set the lab up, once. On Linux, as root (a Debian or Ubuntu machine or VM is fine):

   \`\`\`sh
   sudo bin/setup
   \`\`\`

   Or with Docker (Linux, or Docker Desktop on macOS and Windows): \`npm ci\`, then on Linux
   \`sudo bash .ci/docker-setup.sh\` to install and start Docker and build the lab image
   (with Docker Desktop, the first grade builds it).

2. Grade an exercise, as often as you like:

   \`\`\`sh
   npx grade ${first}            # with the netns driver: sudo npx grade ${first}
   \`\`\`

\`npx grade --list\` shows the exercises and your last scores, \`npx grade doctor\` what this machine
can run, \`npx grade --help\` every option. A stub scores 0 until you write it. Exit status: 0 every
check passes, 1 some fail, 2 a usage error or the lab cannot run here (the message says what to do).

## Exercises

| exercise | task | course | points |
| --- | --- | --- | --- |
${rows}
${classroom}
This repository has no reference solutions: grading is how you find out.
`;
}

/** A runner id for GitHub Classroom's reporter: letters and digits only (the reporter's own check of its \`runners\` input). */
export const runnerId = (exerciseId: string): string => exerciseId.replace(/[^A-Za-z0-9]/g, '');

function classroomWorkflow(chosen: readonly ExerciseDef[]): string {
  const grades = chosen
    .map((e) => {
      const id = runnerId(e.id);
      const max = maxScoreOf(e);
      const fallback = JSON.stringify({
        version: 1,
        status: 'error',
        max_score: max,
        tests: [
          {
            name: `${e.id}: not graded`,
            status: 'error',
            score: 0,
            message: `The grader could not grade ${e.id} on this runner (see the log of the step "Grade ${e.id}"): not a verdict on your code.`,
            test_code: '',
            filename: `exercises/${e.id}/index.ts`,
            line_no: 0,
          },
        ],
      });
      return `      - name: Grade ${e.id}
        id: ${id}
        run: |
          out="$RUNNER_TEMP/grade/${e.id}"
          mkdir -p "$out"
          sudo -E env "PATH=$PATH" npx grade ${e.id} --driver netns --format classroom,json --out "$out" || true
          if [ ! -s "$out/classroom.json" ]; then
            # The grade could not run (exit 2): the reporter gets an error worth 0 of ${max} points, never nothing.
            cat > "$out/classroom.json" <<'JSON'
          ${fallback}
          JSON
          fi
          echo "result=$(base64 -w0 "$out/classroom.json")" >> "$GITHUB_OUTPUT"
`;
    })
    .join('');
  const env = chosen.map((e) => `          ${runnerId(e.id).toUpperCase()}_RESULTS: \${{ steps.${runnerId(e.id)}.outputs.result }}`).join('\n');
  return `# GitHub Classroom autograding, made by \`npx grade pack classroom\`. On every push: set the network
# lab up on the runner, grade each exercise, and hand the results to GitHub Classroom's reporter,
# which records each check's points (partial credit: the sum of the checks' points is the grade).
#
# The lab uses the netns driver: Linux network namespaces, as root. \`sudo -E env "PATH=$PATH"\`
# keeps the Node.js of actions/setup-node (sudo's own PATH would lose it) and GITHUB_* (the grade
# writes the job summary and annotates the learner's file).
#
# To grade under Docker instead (the runner has Docker; the grade then needs no root):
#   - make "Set up the lab" run:  npm ci && sudo NETPROG_IMAGE_PATH=registry bash .ci/docker-setup.sh
#   - in each "Grade" step, drop \`sudo -E env "PATH=$PATH"\` and write \`--driver docker\`.
name: Autograding
on:
  push:
  workflow_dispatch:
  repository_dispatch:   # as in the workflows GitHub Classroom writes itself
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  autograding:
    runs-on: ubuntu-latest
    timeout-minutes: 45
    # GitHub Classroom's own first commit is not graded.
    if: github.actor != 'github-classroom[bot]'
    steps:
      - name: Check out the repository
        uses: actions/checkout@v4
      - name: Set up Node.js
        uses: actions/setup-node@v4
        with:
          node-version: 20
      - name: Set up the lab
        run: sudo env "PATH=$PATH" bin/setup
${grades}      - name: Report the points to GitHub Classroom
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
${env}
        with:
          runners: ${chosen.map((e) => runnerId(e.id)).join(',')}
`;
}

function gradescopeScripts(chosen: readonly ExerciseDef[]): Entry[] {
  const run = readFileSync(path.join(repoRoot, 'grader', 'pack', 'run_autograder'), 'utf8')
    .replace('@@EXERCISES@@', chosen.map((e) => e.id).join(' '))
    .replace('@@MAX_TOTAL@@', String(chosen.reduce((s, e) => s + maxScoreOf(e), 0)));
  const setup = readFileSync(path.join(repoRoot, 'grader', 'pack', 'setup.sh'), 'utf8');
  return [text('run_autograder', run, true), text('setup.sh', setup, true)];
}

function kitVersion(): PackManifest['kit'] {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name?: string; version?: string };
  return { name: pkg.name ?? 'netprog-grade', version: pkg.version ?? '0.0.0' };
}

/** Every file of a pack, in a stable order. */
export function packEntries(kind: PackKind, chosen: readonly ExerciseDef[]): Entry[] {
  const entries: Entry[] = [];
  for (const dir of runtimeDirs) walk(dir, entries);
  entries.push(
    text('package.json', learnerPackageJson()),
    fileEntry('package-lock.json'),
    text('tsconfig.json', learnerTsconfig()),
    fileEntry('.gitignore'),
    fileEntry('.ci/docker-setup.sh'),
  );
  for (const e of chosen) {
    entries.push(fileEntry(`exercises/${e.id}/index.ts`));
    for (const doc of ['README.md', 'README.vi.md', 'HINTS.md', 'HINTS.vi.md']) {
      if (existsSync(path.join(repoRoot, 'exercises', e.id, doc))) entries.push(fileEntry(`exercises/${e.id}/${doc}`));
    }
  }
  const manifest: PackManifest = {
    kind,
    exercises: chosen.map((e): PackedExercise => ({ id: e.id, title: e.title, part: e.part, maxScore: maxScoreOf(e) })),
    kit: kitVersion(),
  };
  entries.push(text(path.relative(repoRoot, manifestFile).split(path.sep).join('/'), JSON.stringify(manifest, null, 2) + '\n'));
  entries.push(text('README.md', learnerReadme(kind, chosen)));
  if (kind === 'classroom') entries.push(text('.github/workflows/classroom.yml', classroomWorkflow(chosen)));
  if (kind === 'gradescope') entries.push(...gradescopeScripts(chosen));
  return entries;
}

function chooseExercises(list: string | undefined): ExerciseDef[] {
  if (list === undefined) return [...exercises];
  const ids = list.split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) throw new PackError('--exercises: name at least one exercise');
  for (const id of ids) {
    if (!exercises.some((e) => e.id === id)) {
      const near = nearest(id, exercises.map((e) => e.id));
      throw new PackError(`--exercises: unknown exercise "${id}"` + (near.length ? ` (did you mean ${near.join(', ')}?)` : '') + `; there are ${exercises.map((e) => e.id).join(', ')}`);
    }
  }
  // Course order, each once.
  return exercises.filter((e) => ids.includes(e.id));
}

function writeDir(dir: string, entries: readonly Entry[]): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new PackError(`${dir}: not a folder`);
    if (readdirSync(dir).length > 0) throw new PackError(`${dir} is not empty: pack writes a new repository into a new or empty folder`);
  }
  for (const e of entries) {
    const to = path.join(dir, ...e.path.split('/'));
    mkdirSync(path.dirname(to), { recursive: true });
    writeFileSync(to, e.data, { mode: e.executable ? 0o755 : 0o644 });
  }
}

/** A zip whose entries keep their Unix modes (run_autograder, setup.sh and bin/ stay executable), with a fixed date: the same kit makes the same zip. */
async function writeZip(file: string, entries: readonly Entry[]): Promise<void> {
  if (existsSync(file)) throw new PackError(`${file} exists: remove it first, or name another file`);
  if (!file.endsWith('.zip')) throw new PackError(`${file}: the Gradescope autograder is a .zip file`);
  mkdirSync(path.dirname(file), { recursive: true });
  const zip = new yazl.ZipFile();
  const mtime = new Date(Date.UTC(2000, 0, 1));
  for (const e of entries) zip.addBuffer(e.data, e.path, { mode: (e.executable ? 0o755 : 0o644) | 0o100000, mtime });
  zip.end();
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(file, { flags: 'wx' });
    out.on('close', resolve).on('error', reject);
    zip.outputStream.on('error', reject).pipe(out);
  });
}

function summary(kind: PackKind, target: string, chosen: readonly ExerciseDef[], count: number): string {
  const ids = chosen.map((e) => e.id).join(', ');
  const next =
    kind === 'gradescope'
      ? `Upload it as the autograder of a Gradescope programming assignment (Ubuntu base image). Gradescope's containers must
let the lab run (root with CAP_NET_ADMIN and CAP_SYS_ADMIN, or a Docker daemon): otherwise every submission gets a
results.json that says so, and nothing is graded.`
      : kind === 'classroom'
        ? `Push it to GitHub as the assignment's template repository: .github/workflows/classroom.yml grades every push
and reports each check's points to GitHub Classroom.`
        : `Commit it and hand it out: the learner runs \`sudo bin/setup\` once, then \`npx grade <exercise>\`.`;
  return `grade pack ${kind}: wrote ${target} (${count} files; exercises ${ids}; no solutions, no kit tests).\n${next}`;
}

export async function packMain(argv: string[]): Promise<number> {
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        options: { exercises: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      });
    } catch (err) {
      throw new PackError((err as Error).message);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      console.log(packUsage);
      return 0;
    }
    const [kind, target, ...rest] = positionals;
    if (!kind) throw new PackError('name what to pack: learner, classroom or gradescope');
    if (!kinds.includes(kind as PackKind)) {
      const near = nearest(kind, [...kinds]);
      throw new PackError(`unknown pack "${kind}": use learner, classroom or gradescope` + (near.length ? ` (did you mean ${near.join(', ')}?)` : ''));
    }
    if (!target) throw new PackError(kind === 'gradescope' ? 'name the zip file to write, e.g. autograder.zip' : 'name the folder to write the repository into');
    if (rest.length > 0) throw new PackError(`one target at a time (got ${[target, ...rest].join(', ')})`);
    const chosen = chooseExercises(values.exercises);
    for (const e of chosen) {
      if (!existsSync(exerciseFile(e.id))) throw new PackError(`${path.relative(repoRoot, exerciseFile(e.id))} is missing: the pack hands out its stub`);
    }
    const base = process.env.npm_lifecycle_event && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
    const dest = path.resolve(base, target);
    const rel = path.relative(repoRoot, dest);
    if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel) && kind !== 'gradescope')) {
      throw new PackError(`${target}: a pack is a repository of its own: write it outside this one`);
    }
    const entries = packEntries(kind as PackKind, chosen);
    if (kind === 'gradescope') await writeZip(dest, entries);
    else writeDir(dest, entries);
    console.log(summary(kind as PackKind, target, chosen, entries.length));
    return 0;
  } catch (err) {
    if (err instanceof PackError) {
      console.error(`grade pack: ${err.message}\n\n${packUsage}`);
      return 2;
    }
    const e = err as NodeJS.ErrnoException;
    if (e && typeof e.code === 'string' && typeof e.message === 'string') {
      // A file system error (no permission, no space): said plainly, not as a crash.
      console.error(`grade pack: ${e.message}`);
      if (process.env.GRADE_DEBUG) console.error(err);
      return 2;
    }
    throw err;
  }
}

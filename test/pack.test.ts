/**
 * `grade pack`, end to end, as each pack is used:
 *
 * - learner: the repository holds the chosen exercises and the grader, and no
 *   solutions or kit tests; grading in it works (the stub scores 0), --list
 *   shows only its exercises, --solution and other exercises are refused (exit 2).
 * - classroom: the workflow is parsed with a YAML parser and its shell steps
 *   run in order as GitHub's runner would (bash -e, GITHUB_OUTPUT/GITHUB_ENV/
 *   GITHUB_STEP_SUMMARY files, sudo a no-op since tests run as root); the
 *   reporter step is GitHub Classroom's reporter's arithmetic, as its source
 *   (classroom-resources/autograding-grading-reporter, src/main.js and
 *   src/notify-classroom.js) computes it. The points it would award equal the
 *   grade's, partial credit included.
 * - gradescope: the zip unpacked as Gradescope unpacks it, in a simulated
 *   /autograder (AUTOGRADER_ROOT); run_autograder run as root (grades) and as
 *   an unprivileged user (cannot build the lab: says so), its results.json
 *   valid against a schema written from Gradescope's specification.
 *
 * Real grades: 4, all of error-handlers with the netns driver.
 */
import t, { type Test } from 'tap';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import YAML from 'yaml';
import { repoRoot } from '../grader/paths.ts';
import { getTestScore, notifyClassroom, readRunners, validRunners } from './lib/classroom-reporter.ts';

const bin = path.join(repoRoot, 'bin', 'grade.mjs');
const { npm_lifecycle_event: _e, INIT_CWD: _i, GITHUB_ACTIONS: _g, GITHUB_STEP_SUMMARY: _s, GITHUB_OUTPUT: _o, GITHUB_ENV: _v, ...parentEnv } = process.env;
const cleanEnv: NodeJS.ProcessEnv = { ...parentEnv, NODE_OPTIONS: '', NO_COLOR: '1' };

const scratch = mkdtempSync(path.join(os.tmpdir(), 'netprog-pack-'));
chmodSync(scratch, 0o755); // the unprivileged run of run_autograder reads below it
t.teardown(() => rmSync(scratch, { recursive: true, force: true }));

function sh(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}) {
  const r: SpawnSyncReturns<string> = spawnSync(cmd, args, {
    cwd: opts.cwd ?? repoRoot,
    env: opts.env ?? cleanEnv,
    encoding: 'utf8',
    timeout: opts.timeout ?? 300_000,
  });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}
const grade = (args: string[], cwd = repoRoot) => sh(process.execPath, [path.join(cwd, 'bin', 'grade.mjs'), ...args], { cwd });
const pack = (args: string[]) => sh(process.execPath, [bin, 'pack', ...args]);
const noStack = (text: string) => !/\n\s+at /.test(text);

/** Every file below dir, as /-separated relative paths. */
function files(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((d) => {
    const r = rel ? `${rel}/${d.name}` : d.name;
    return d.isDirectory() ? files(dir, r) : d.isFile() ? [r] : [];
  });
}

/** The kit's reference solutions: no pack may hold any of them, under any name. */
const solutionTexts = readdirSync(path.join(repoRoot, 'solutions')).map((id) => readFileSync(path.join(repoRoot, 'solutions', id, 'index.ts'), 'utf8'));
function holdsNoSolution(t: Test, dir: string): void {
  const all = files(dir);
  t.notOk(all.some((f) => f.startsWith('solutions/')), 'no solutions/');
  t.notOk(all.some((f) => f.startsWith('test/')), 'no test/ (mutants, variants, gaming fixtures)');
  const leaked = all.filter((f) => solutionTexts.includes(readFileSync(path.join(dir, f), 'utf8')));
  t.same(leaked, [], 'no file holds a reference solution');
}

/** node_modules from this checkout (nothing is downloaded), and a lock file older than it, as after `npm ci`. */
function installed(dir: string): void {
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
  const old = new Date('2000-01-01T00:00:00Z');
  utimesSync(path.join(dir, 'package-lock.json'), old, old);
}

t.test('pack: usage errors exit 2 with a clear message and no stack trace', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [[], /name what to pack: learner, classroom or gradescope/],
    [['lerner', path.join(scratch, 'x')], /unknown pack "lerner".*did you mean learner/],
    [['learner'], /name the folder/],
    [['gradescope'], /name the zip file/],
    [['learner', path.join(scratch, 'x'), '--exercises', 'conect-timeout'], /unknown exercise "conect-timeout" \(did you mean connect-timeout\b/],
    [['learner', path.join(scratch, 'x'), '--exercises', ','], /name at least one exercise/],
    [['learner', repoRoot], /write it outside this one/],
    [['gradescope', path.join(scratch, 'x.tar')], /is a \.zip file/],
    [['learner', path.join(scratch, 'x'), '--frobnicate'], /Unknown option '--frobnicate'/],
  ];
  for (const [args, message] of cases) {
    const r = pack(args);
    t.equal(r.code, 2, `pack ${args.join(' ')}`);
    t.match(r.stderr, message);
    t.ok(noStack(r.stderr), 'no stack trace');
  }
  const full = path.join(scratch, 'not-empty');
  mkdirSync(full);
  writeFileSync(path.join(full, 'mine.txt'), 'x');
  const r = pack(['learner', full]);
  t.equal(r.code, 2);
  t.match(r.stderr, /is not empty/);
  t.equal(readFileSync(path.join(full, 'mine.txt'), 'utf8'), 'x', 'nothing overwritten');
  const help = pack(['--help']);
  t.equal(help.code, 0);
  t.match(help.stdout, /grade pack gradescope <file\.zip>/);
  t.match(grade(['--help']).stdout, /grade pack learner\|classroom\|gradescope/, "grade's usage names pack");
});

t.test('pack learner: the chosen exercises, the grader, no solutions; grading in a clone of it works', async (t) => {
  let dir = path.join(scratch, 'learner');
  const made = pack(['learner', dir, '--exercises', 'error-handlers,connect-timeout']);
  t.equal(made.code, 0, 'exit 0', { stderr: made.stderr });
  t.match(made.stdout, /wrote .*exercises connect-timeout, error-handlers/);
  holdsNoSolution(t, dir);
  t.same(readdirSync(path.join(dir, 'exercises')).sort(), ['connect-timeout', 'error-handlers'], 'only the chosen exercises');
  for (const id of ['connect-timeout', 'error-handlers']) {
    t.equal(readFileSync(path.join(dir, 'exercises', id, 'index.ts'), 'utf8'), readFileSync(path.join(repoRoot, 'exercises', id, 'index.ts'), 'utf8'), `${id}: the stub`);
    t.ok(existsSync(path.join(dir, 'exercises', id, 'README.md')), `${id}: its README`);
  }
  for (const f of ['bin/grade.mjs', 'bin/setup', 'grader/cli.ts', 'harness/lab.ts', 'docker/Dockerfile', 'package.json', 'package-lock.json', 'tsconfig.json', '.gitignore', '.ci/docker-setup.sh']) {
    t.ok(existsSync(path.join(dir, f)), `runtime: ${f}`);
  }
  t.ok(statSync(path.join(dir, 'bin', 'setup')).mode & 0o100, 'bin/setup stays executable');
  t.notOk(existsSync(path.join(dir, '.github')), 'no workflow in a learner pack');
  const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
  t.match(readme, /sudo bin\/setup/);
  t.match(readme, /npx grade connect-timeout/);
  t.match(readme, /docker-setup\.sh/);
  t.match(readme, /`connect-timeout`.*\n.*`error-handlers`/, 'its exercises, in course order');
  t.notMatch(readme, /retry-backoff|graceful-shutdown/);
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string>; tap?: unknown; dependencies: object };
  t.same(Object.keys(pkg.scripts).sort(), ['grade', 'typecheck'], 'no kit test scripts');
  t.notOk(pkg.tap);
  t.same(pkg.dependencies, (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies: object }).dependencies, 'the lock file still matches');
  t.same((JSON.parse(readFileSync(path.join(dir, 'tsconfig.json'), 'utf8')) as { include: string[] }).include, ['harness', 'grader', 'exercises', 'bin']);

  // From a clean clone, as a learner gets it: what git keeps (modes, no ignored file lost) is enough to grade.
  const git = (args: string[], cwd: string) => {
    const r = sh('git', ['-c', 'user.name=pack', '-c', 'user.email=pack@example.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd });
    if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  git(['init', '-q'], dir);
  git(['add', '-A'], dir);
  t.equal(git(['status', '--porcelain', '--ignored'], dir).split('\n').filter((l) => l.startsWith('!!')).length, 0, 'git ignores none of its files');
  git(['commit', '-q', '-m', 'assignment'], dir);
  const clone = path.join(scratch, 'learner-clone');
  git(['clone', '-q', dir, clone], scratch);
  dir = clone;
  t.ok(statSync(path.join(dir, 'bin', 'grade.mjs')).mode & 0o100, 'bin/grade.mjs executable in the clone');

  installed(dir);
  const list = grade(['--list'], dir);
  t.equal(list.code, 0, 'exit 0', { stderr: list.stderr });
  t.match(list.stdout, /connect-timeout/);
  t.match(list.stdout, /error-handlers/);
  t.notMatch(list.stdout, /retry-backoff|graceful-shutdown/, '--list: only the packed exercises');
  const listJson = JSON.parse(grade(['--list', '--json'], dir).stdout) as Array<{ id: string }>;
  t.same(listJson.map((e) => e.id), ['connect-timeout', 'error-handlers']);

  const solution = grade(['error-handlers', '--solution'], dir);
  t.equal(solution.code, 2, '--solution: exit 2');
  t.match(solution.stderr, /this repository has no reference solutions/);
  t.ok(noStack(solution.stderr), 'no stack trace');
  const solutionJson = grade(['error-handlers', '--solution', '--json'], dir);
  t.equal(solutionJson.code, 2);
  t.match(JSON.parse(solutionJson.stdout) as object, { error: /no reference solutions/ }, '--json: the error object');
  const all = grade(['--all', '--solution'], dir);
  t.equal(all.code, 2);
  t.match(all.stderr, /no reference solutions/);
  const other = grade(['retry-backoff'], dir);
  t.equal(other.code, 2, 'an exercise not packed: exit 2');
  t.match(other.stderr, /exercise "retry-backoff" is not part of this repository: it holds connect-timeout, error-handlers/);
  t.ok(noStack(other.stderr), 'no stack trace');
  const typo = grade(['error-handler'], dir);
  t.equal(typo.code, 2);
  t.match(typo.stderr, /Did you mean: error-handlers\?/);

  // One real grade: the stub, in the learner's repository.
  const r = grade(['error-handlers', '--driver', 'netns', '--json'], dir);
  t.equal(r.code, 1, 'exit 1', { stderr: r.stderr });
  const j = JSON.parse(r.stdout) as { exercise: string; score: number; maxScore: number; driver: string };
  t.match(j, { exercise: 'error-handlers', score: 0, maxScore: 10, driver: 'netns' }, 'the stub scores 0');
  t.match(grade(['--list'], dir).stdout, /◐ error-handlers .* 0\/10$/m, 'the score is kept in the learner repository');

  // The full kit is unchanged: every exercise, and its references.
  t.match(grade(['--list']).stdout, /retry-backoff[\s\S]*graceful-shutdown/);
});

/** GitHub Classroom's reporter, as its source computes (test/lib/classroom-reporter.ts): what it records, its step's verdict, its log table. */
function classroomReporter(runnersInput: string, env: Record<string, string | undefined>) {
  const runnerResults = readRunners(runnersInput, env);
  const { totalPoints, maxPoints } = notifyClassroom(runnerResults);
  const failed = runnerResults.some((r) => r.results.status === 'fail')
    ? 'Some tests failed.'
    : runnerResults.some((r) => r.results.status === 'error')
      ? 'Some tests errored.'
      : undefined;
  const tableScore = runnerResults.map(({ results }) => getTestScore(results));
  return { totalPoints, maxPoints, failed, tableScore, runnerResults, validRunners: validRunners(runnersInput) };
}

interface WorkflowStep {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  shell?: string;
}

/** `name=value` lines and `name<<DELIM … DELIM` blocks, as the runner reads GITHUB_OUTPUT and GITHUB_ENV. */
function readCommandFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i]!);
      out[heredoc[1]!] = body.join('\n');
    } else {
      const eq = line.indexOf('=');
      out[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return out;
}

const reporterAction = 'classroom-resources/autograding-grading-reporter@v1';

/**
 * The workflow's job, as GitHub's runner runs it on a push: `run` steps in
 * order with bash -e, `uses` steps skipped (checkout: the repository is here;
 * setup-node: this Node) except the reporter, whose arithmetic is run on what
 * the steps handed it. `sudo` is a no-op here (tests run as root): a shim
 * that drops its options. npm cannot install anything (a shim refuses).
 */
function runWorkflow(repo: string, workflow: { jobs: Record<string, { steps: WorkflowStep[] }> }, extraEnv: NodeJS.ProcessEnv = {}) {
  const home = mkdtempSync(path.join(scratch, 'runner-'));
  const shims = path.join(home, 'shims');
  mkdirSync(shims);
  const realNpm = sh('sh', ['-c', 'command -v npm']).stdout.trim();
  writeFileSync(
    path.join(shims, 'sudo'),
    '#!/bin/bash\n# sudo on the runner; here, already root: drop its options, run the command\n' +
      'while [ $# -gt 0 ]; do case "$1" in -E|-H|-n|--preserve-env) shift ;; -*) echo "sudo shim: unexpected $1" >&2; exit 1 ;; *) break ;; esac; done\nexec "$@"\n',
    { mode: 0o755 },
  );
  writeFileSync(
    path.join(shims, 'npm'),
    `#!/bin/bash\ncase "$1" in ci|install|i) echo "npm shim: no downloads in this test (npm $*)" >&2; exit 97 ;; esac\nexec ${JSON.stringify(realNpm)} "$@"\n`,
    { mode: 0o755 },
  );
  const temp = path.join(home, 'temp');
  mkdirSync(temp);
  const summary = path.join(home, 'summary.md');
  const envFile = path.join(home, 'env');
  writeFileSync(envFile, '');
  let env: NodeJS.ProcessEnv = {
    ...cleanEnv,
    ...extraEnv,
    PATH: `${shims}:${cleanEnv.PATH}`,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: repo,
    RUNNER_TEMP: temp,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_ENV: envFile,
  };
  const outputs: Record<string, Record<string, string>> = {};
  const expr = (value: string) =>
    value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, e: string) => {
      const m = /^steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)$/.exec(e);
      if (!m) throw new Error(`the test does not evaluate \${{ ${e} }}`);
      return outputs[m[1]!]?.[m[2]!] ?? '';
    });
  const log: string[] = [];
  let reporter: ReturnType<typeof classroomReporter> | undefined;
  const [job] = Object.values(workflow.jobs);
  for (const [i, step] of job!.steps.entries()) {
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expr(String(v))]));
    if (step.uses) {
      if (step.uses === reporterAction) reporter = classroomReporter(String(step.with?.runners), { ...env, ...stepEnv });
      continue;
    }
    const script = path.join(home, `step${i}.sh`);
    writeFileSync(script, step.run!);
    const outFile = path.join(home, `output${i}`);
    writeFileSync(outFile, '');
    const r = sh('bash', ['-e', script], { cwd: repo, env: { ...env, ...stepEnv, GITHUB_OUTPUT: outFile }, timeout: 600_000 });
    log.push(`--- ${step.name}: exit ${r.code}\n${r.stdout}${r.stderr}`);
    if (r.code !== 0) throw new Error(`step "${step.name}" failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
    if (step.id) outputs[step.id] = readCommandFile(outFile);
    env = { ...env, ...readCommandFile(envFile) };
  }
  return { reporter, outputs, temp, summary, log: log.join('\n') };
}

t.test('pack classroom: the workflow, run as the runner runs it, reports the grade as partial credit', async (t) => {
  const dir = path.join(scratch, 'classroom');
  const made = pack(['classroom', dir, '--exercises', 'error-handlers']);
  t.equal(made.code, 0, 'exit 0', { stderr: made.stderr });
  holdsNoSolution(t, dir);
  t.same(readdirSync(path.join(dir, 'exercises')), ['error-handlers']);
  t.match(readFileSync(path.join(dir, 'README.md'), 'utf8'), /GitHub Classroom/);

  const text = readFileSync(path.join(dir, '.github', 'workflows', 'classroom.yml'), 'utf8');
  const wf = YAML.parse(text) as { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, { 'runs-on': string; if?: string; steps: WorkflowStep[] }> };
  t.ok('push' in wf.on, 'runs on push');
  const [job] = Object.values(wf.jobs);
  t.equal(job!['runs-on'], 'ubuntu-latest');
  t.match(job!.if, /github-classroom\[bot\]/, "Classroom's own first commit is not graded");
  const steps = job!.steps;
  t.ok(steps.some((s) => /sudo .*bin\/setup/.test(s.run ?? '')), 'sets the lab up with sudo bin/setup');
  t.match(text, /Docker instead/, 'says how to switch to Docker');
  const gradeSteps = steps.filter((s) => /npx grade /.test(s.run ?? ''));
  t.equal(gradeSteps.length, 1, 'one grade step per exercise');
  t.equal(gradeSteps[0]!.id, 'errorhandlers');
  t.match(gradeSteps[0]!.run, /sudo -E env "PATH=\$PATH" npx grade error-handlers --driver netns --format classroom,json --out/);
  const rep = steps.find((s) => s.uses === reporterAction);
  t.ok(rep, 'the Classroom reporter');
  t.equal(rep!.with?.runners, 'errorhandlers');
  t.same(rep!.env, { ERRORHANDLERS_RESULTS: '${{ steps.errorhandlers.outputs.result }}' }, '<RUNNER_ID>_RESULTS from the step output');
  t.ok(steps.indexOf(rep!) === steps.length - 1, 'the reporter comes last');

  installed(dir);
  const learnerFile = path.join(dir, 'exercises', 'error-handlers', 'index.ts');
  const stub = readFileSync(learnerFile);
  const runs: Array<{ name: string; file: string; full: boolean }> = [
    // Fails reports-socket-errors only: partial credit.
    { name: 'a file that passes some checks', file: path.join(repoRoot, 'test', 'mutants', 'error-handlers', 'logs-to-stdout.ts'), full: false },
    { name: 'the reference', file: path.join(repoRoot, 'solutions', 'error-handlers', 'index.ts'), full: true },
  ];
  for (const run of runs) {
    await t.test(run.name, async (t) => {
      copyFileSync(run.file, learnerFile);
      const w = runWorkflow(dir, wf);
      t.ok(w.reporter, 'the reporter ran');
      const rep = w.reporter!;
      t.ok(rep.validRunners, "the runners input passes the reporter's own check");
      const g = JSON.parse(readFileSync(path.join(w.temp, 'grade', 'error-handlers', 'grade.json'), 'utf8')) as { score: number; maxScore: number; passed: boolean };
      t.equal(rep.maxPoints, g.maxScore, 'max points: the grade\'s');
      t.equal(rep.totalPoints, g.score, "points: the grade's score");
      const result = rep.runnerResults[0]!.results;
      t.equal(result.tests.length > 1, true, 'a test per check');
      if (run.full) {
        t.equal(rep.totalPoints, rep.maxPoints, 'full marks');
        t.equal(rep.failed, undefined, 'the reporter passes');
      } else {
        t.ok(rep.totalPoints > 0 && rep.totalPoints < rep.maxPoints, `partial credit: ${rep.totalPoints}/${rep.maxPoints}`);
        t.ok(result.tests.some((x) => x.status === 'pass' && x.score > 0) && result.tests.some((x) => x.status !== 'pass' && x.score === 0), 'passed checks earn, failed ones do not');
        t.equal(rep.failed, 'Some tests failed.', 'the reporter fails the job');
      }
      t.match(readFileSync(w.summary, 'utf8'), /error-handlers/, 'the job summary got the grade');
    });
  }

  await t.test('a grade that cannot run still reaches the reporter: an error worth 0, never nothing', async (t) => {
    writeFileSync(learnerFile, stub);
    // The CLI's own test hook: the grader fails (exit 2) once the driver is picked, before any lab.
    const w = runWorkflow(dir, wf, { GRADE_TEST_CRASH: '1' });
    const rep = w.reporter!;
    t.equal(rep.maxPoints, 10);
    t.equal(rep.totalPoints, 0);
    t.equal(rep.failed, 'Some tests errored.');
    t.match(rep.runnerResults[0]!.results, { status: 'error', tests: [{ status: 'error', score: 0, message: /could not grade error-handlers.*not a verdict on your code/ }] });
  });
});

/** Gradescope's results.json, from its specification (gradescope-autograders.readthedocs.io, "Autograder Specifications"). */
const formatsEnum = ['text', 'html', 'simple_format', 'md', 'ansi'];
const visibilityEnum = ['hidden', 'after_due_date', 'after_published', 'visible'];
const gradescopeSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    score: { type: 'number' },
    execution_time: { type: 'number' },
    output: { type: 'string' },
    output_format: { enum: formatsEnum },
    test_output_format: { enum: formatsEnum },
    test_name_format: { enum: formatsEnum },
    visibility: { enum: visibilityEnum },
    stdout_visibility: { enum: visibilityEnum },
    extra_data: { type: 'object' },
    leaderboard: { type: 'array' },
    tests: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['score'],
        properties: {
          score: { type: 'number' },
          max_score: { type: 'number' },
          status: { enum: ['passed', 'failed'] },
          name: { type: 'string' },
          name_format: { enum: formatsEnum },
          number: { type: 'string' },
          output: { type: 'string' },
          output_format: { enum: formatsEnum },
          tags: { type: 'array', items: { type: 'string' } },
          visibility: { enum: visibilityEnum },
          extra_data: { type: 'object' },
        },
      },
    },
  },
  anyOf: [{ required: ['score'] }, { required: ['tests'] }],
};
const validGradescope = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(gradescopeSchema);

interface GradescopeResults {
  score: number;
  output: string;
  tests: Array<{ name: string; score: number; max_score: number; status: string; output: string }>;
}

t.test('pack gradescope: a zip that grades in the /autograder layout, and says so when the lab cannot be built', async (t) => {
  const zip = path.join(scratch, 'autograder.zip');
  const made = pack(['gradescope', zip, '--exercises', 'error-handlers']);
  t.equal(made.code, 0, 'exit 0', { stderr: made.stderr });
  t.equal(pack(['gradescope', zip]).code, 2, 'an existing zip is not overwritten');

  /** Unpacked as Gradescope does, into <root>/source, each file with the mode the zip gives it; run_autograder copied to <root>. */
  const layout = (name: string) => {
    const root = path.join(scratch, name);
    const source = path.join(root, 'source');
    mkdirSync(source, { recursive: true });
    const py = `import os, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for i in z.infolist():
    p = z.extract(i, sys.argv[2])
    m = (i.external_attr >> 16) & 0o777
    if m:
        os.chmod(p, m)
`;
    const r = sh('python3', ['-c', py, zip, source]);
    if (r.code !== 0) throw new Error(`unzip: ${r.stderr}`);
    copyFileSync(path.join(source, 'run_autograder'), path.join(root, 'run_autograder'));
    chmodSync(path.join(root, 'run_autograder'), 0o755);
    mkdirSync(path.join(root, 'submission'));
    mkdirSync(path.join(root, 'results'));
    return { root, source, submission: path.join(root, 'submission'), results: path.join(root, 'results', 'results.json') };
  };

  const a = layout('gs-root');
  const top = readdirSync(a.source);
  t.ok(top.includes('setup.sh') && top.includes('run_autograder'), 'setup.sh and run_autograder at the root of the zip');
  for (const f of ['setup.sh', 'run_autograder', 'bin/grade.mjs', 'bin/setup']) t.ok(statSync(path.join(a.source, f)).mode & 0o100, `${f} is executable`);
  holdsNoSolution(t, a.source);
  t.same(readdirSync(path.join(a.source, 'exercises')), ['error-handlers'], 'the kit with its stub');
  for (const f of ['setup.sh', 'run_autograder']) t.equal(sh('bash', ['-n', path.join(a.source, f)]).code, 0, `${f}: bash syntax`);
  const setup = readFileSync(path.join(a.source, 'setup.sh'), 'utf8');
  t.match(setup, /Not tested/, "setup.sh says its downloads are not tested here");
  t.match(setup, /bin\/setup/);
  installed(a.source);

  /** run_autograder as Gradescope runs it: as root here, or restricted by setpriv's arguments (then no grade can run). */
  const runAutograder = (root: string, setpriv: string[] = [], extraEnv: Record<string, string> = {}) => {
    const env = { PATH: cleanEnv.PATH, HOME: '/tmp', AUTOGRADER_ROOT: root, LANG: 'C.UTF-8', ...extraEnv };
    const cmd = path.join(root, 'run_autograder');
    return setpriv.length === 0 ? sh(cmd, [], { cwd: root, env, timeout: 600_000 }) : sh('setpriv', [...setpriv, cmd], { cwd: root, env, timeout: 60_000 });
  };
  const results = (file: string, t: Test): GradescopeResults => {
    const r = JSON.parse(readFileSync(file, 'utf8')) as GradescopeResults;
    t.ok(validGradescope(r), `results.json valid: ${JSON.stringify(validGradescope.errors)}`);
    t.equal(r.score, r.tests.reduce((s, x) => s + x.score, 0), 'score: the sum of the tests\' scores');
    return r;
  };

  await t.test('nothing submitted: said, worth 0 of the exercise\'s points (no grade runs)', async (t) => {
    const r = runAutograder(a.root);
    t.equal(r.code, 0, 'exit 0', { stderr: r.stderr });
    const res = results(a.results, t);
    t.equal(res.score, 0);
    t.match(res.tests, [{ name: /error-handlers: exercises\/error-handlers\/index\.ts \(or a lone index\.ts\) not found/, max_score: 10, status: 'failed' }]);
  });

  await t.test('as root here: grades a lone index.ts with --format gradescope', async (t) => {
    copyFileSync(path.join(repoRoot, 'solutions', 'error-handlers', 'index.ts'), path.join(a.submission, 'index.ts'));
    const r = runAutograder(a.root);
    t.equal(r.code, 0, 'exit 0', { stderr: r.stderr });
    t.match(r.stderr, /grading error-handlers .* with the netns driver/);
    const res = results(a.results, t);
    t.ok(res.tests.length > 1, 'a test per check');
    t.equal(res.tests.reduce((s, x) => s + x.max_score, 0), 10);
    t.equal(res.score, 10, 'the reference: full marks');
    t.ok(res.tests.every((x) => x.status === 'passed'));
    t.match(res.output, /error-handlers.*10\/10/);
  });

  const b = layout('gs-restricted');
  // What setup.sh would have installed, as far as the check looks: it must get as far as the lab (no grade runs).
  mkdirSync(path.join(b.source, 'node_modules', 'tsx'), { recursive: true });
  copyFileSync(path.join(repoRoot, 'exercises', 'error-handlers', 'index.ts'), path.join(b.submission, 'index.ts'));
  chmodSync(path.dirname(b.results), 0o777);
  const cannot = (t: Test, found: RegExp) => {
    const res = results(b.results, t);
    t.equal(res.score, 0);
    t.equal(res.tests.length, 1, 'a single test says it');
    const [only] = res.tests;
    t.match(only!.name, /cannot build the network lab/);
    t.equal(only!.max_score, 10, "worth the exercises' points, so the 0 is not silent");
    for (const text of [res.output, only!.output]) {
      t.match(text, found, 'what was found');
      t.match(text, /no Docker daemon answers/);
      t.match(text, /CAP_NET_ADMIN and CAP_SYS_ADMIN/, 'what grading needs');
      t.match(text, /Gradescope/);
      t.match(text, /not a verdict on the submission/);
    }
  };

  await t.test('as an unprivileged user: cannot build the lab, and results.json says so and what Gradescope needs', async (t) => {
    const r = runAutograder(b.root, ['--reuid=65534', '--regid=65534', '--clear-groups']);
    t.equal(r.code, 0, 'exit 0', { stderr: r.stderr });
    cannot(t, /not root \(uid 65534\)/);
  });

  await t.test('as root without CAP_NET_ADMIN (a container\'s usual root) and no Docker socket: the same', async (t) => {
    rmSync(b.results);
    const r = runAutograder(b.root, ['--bounding-set=-net_admin'], { DOCKER_HOST: `unix://${path.join(b.root, 'no-docker.sock')}` });
    t.equal(r.code, 0, 'exit 0', { stderr: r.stderr });
    cannot(t, /no CAP_NET_ADMIN \(CapEff [0-9a-f]+\)/);
  });
});

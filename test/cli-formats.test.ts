/**
 * The CLI's report formats end to end (grader/formats/ is unit-tested in
 * test/formats.test.ts): where each format goes, what a usage mistake says,
 * `--json` unchanged beside them, GitHub Actions' summary and annotations,
 * and `--all`. Six real grades under netns: error-handlers twice, then every
 * reference once.
 */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { repoRoot } from '../grader/paths.ts';
import { exercises, findExercise } from '../grader/exercises.ts';
import type { ClassroomResult } from '../grader/formats/classroom.ts';

const bin = path.join(repoRoot, 'bin', 'grade.mjs');
// Not npm's nor GitHub's variables of whoever runs the tests: each case sets what it means.
const parentEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !['npm_lifecycle_event', 'INIT_CWD'].includes(k) && !k.startsWith('GITHUB_') && k !== 'CI'),
);
const cleanEnv = { ...parentEnv, NODE_OPTIONS: '', GRADE_STATE_DIR: t.testdirName + '-state' };

function grade(args: string[], env: Record<string, string> = {}, timeout = 180_000) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...cleanEnv, ...env }, timeout });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const noStack = /\n\s+at /;

t.test('format usage mistakes: exit 2, what to do instead, no stack, nothing graded', async (t) => {
  const dir = t.testdir({});
  const cases: Array<[string[], RegExp]> = [
    [['error-handlers', '--format', 'bogus'], /unknown format "bogus": use one of json, tap, junit, classroom, gradescope, exercism, prairielearn, markdown/],
    [['error-handlers', '--format', 'junti'], /unknown format "junti".*did you mean junit\?/],
    [['error-handlers', '--format', 'tap', '--format', 'junit'], /only one format can go to stdout: give --out DIR for tap, junit/],
    [['error-handlers', '--json', '--format', 'tap'], /--json prints on stdout: give --out DIR for --format tap/],
    [['error-handlers', '--out', dir], /--out DIR is where --format writes: name at least one --format/],
    [['--all', '--file', 'x.ts'], /--file and --all do not go together/],
    [['--all', 'error-handlers'], /--all grades every exercise: name none/],
    [['--format', 'tap'], /--format and --out report a grade: name an exercise, or --all/],
  ];
  for (const [args, message] of cases) {
    const r = grade([...args, '--driver', 'netns']);
    t.equal(r.code, 2, args.join(' '));
    t.match(r.stderr, message);
    t.notMatch(r.stderr, noStack, 'no stack trace');
    if (args.includes('--json')) t.same(Object.keys(JSON.parse(r.stdout)).sort(), ['error', 'exercise'], "--json's error object on stdout");
    else t.equal(r.stdout, '', 'nothing on stdout');
  }
  const json = grade(['error-handlers', '--format', 'bogus', '--json', '--driver', 'netns']);
  t.equal(json.code, 2);
  const parsed = JSON.parse(json.stdout) as { error: string; exercise: string };
  t.same(Object.keys(parsed).sort(), ['error', 'exercise'], '--json: the error object on stdout, as for any usage error');
  t.equal(parsed.exercise, 'error-handlers');
  t.match(parsed.error, /unknown format "bogus"/);
});

function parseXml(xml: string) {
  const parser = new SaxesParser();
  const errors: string[] = [];
  const tags: Array<{ name: string; attributes: Record<string, string> }> = [];
  parser.on('error', (e) => errors.push(e.message));
  parser.on('opentag', (tag) => tags.push({ name: tag.name, attributes: tag.attributes as Record<string, string> }));
  parser.write(xml).close();
  return { errors, tags };
}

t.test('--format junit alone: JUnit XML on stdout instead of the report', async (t) => {
  const r = grade(['error-handlers', '--solution', '--driver', 'netns', '--format', 'junit']);
  t.equal(r.code, 0, r.stderr);
  t.ok(r.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites'), 'stdout is the XML document alone');
  const { errors, tags } = parseXml(r.stdout);
  t.same(errors, [], 'well-formed');
  t.same(tags.filter((x) => x.name === 'testsuite').map((x) => x.attributes.name), ['error-handlers']);
  const cases = tags.filter((x) => x.name === 'testcase');
  t.equal(cases.length, findExercise('error-handlers')!.checks.length, 'a testcase per check');
  t.ok(cases.every((c) => c.attributes.classname === 'error-handlers' && c.attributes.file === 'solutions/error-handlers/index.ts'), "classname and the graded file, relative to where grade ran");
  t.equal(tags.filter((x) => x.name === 'failure' || x.name === 'error').length, 0, 'the reference fails nothing');
});

t.test('--json unchanged beside formats written to --out, in GitHub Actions', async (t) => {
  const dir = t.testdir({ 'summary.md': 'an earlier step\n' });
  const summary = path.join(dir, 'summary.md');
  const out = path.join(dir, 'out');
  const r = grade(
    ['error-handlers', '--driver', 'netns', '--json', '--format', 'classroom', '--format', 'gradescope,exercism', '--format', 'markdown', '--out', out],
    { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: repoRoot },
  );
  t.equal(r.code, 1, 'the stub fails its checks: exit 1');
  const lines = r.stdout.trim().split('\n');
  t.equal(lines.length, 1, 'stdout: one line, the --json object, as before');
  const j = JSON.parse(lines[0]!) as { score: number; maxScore: number; checks: Array<{ status: string }> };
  t.same(Object.keys(j).sort(), ['checks', 'driver', 'exercise', 'maxScore', 'passed', 'score', 'seed']);

  for (const f of ['classroom.json', 'gradescope/results.json', 'exercism/results.json', 'summary.md']) t.ok(existsSync(path.join(out, f)), `--out holds ${f}`);
  const classroom = JSON.parse(readFileSync(path.join(out, 'classroom.json'), 'utf8')) as ClassroomResult;
  t.equal(classroom.tests.reduce((a, x) => a + x.score, 0), j.score, "Classroom's sum of scores is the grade");
  t.equal(classroom.max_score, j.maxScore);
  const gs = JSON.parse(readFileSync(path.join(out, 'gradescope/results.json'), 'utf8')) as { score: number };
  t.equal(gs.score, j.score);
  const ex = JSON.parse(readFileSync(path.join(out, 'exercism/results.json'), 'utf8')) as { version: number; tests: unknown[] };
  t.equal(ex.version, 3);
  t.equal(ex.tests.length, j.checks.length);

  const appended = readFileSync(summary, 'utf8');
  t.ok(appended.startsWith('an earlier step\n'), 'the job summary is appended to, not replaced');
  t.match(appended, new RegExp(`## Grade: ${j.score}/${j.maxScore}`));
  t.equal(appended.slice('an earlier step\n'.length), readFileSync(path.join(out, 'summary.md'), 'utf8'), 'the same markdown as --format markdown');

  const annotations = r.stderr.split('\n').filter((l) => l.startsWith('::error '));
  const failing = j.checks.filter((c) => c.status !== 'pass').length;
  t.equal(annotations.length, Math.min(10, failing), 'an annotation per failing check, at most 10, on stderr (stdout is the JSON)');
  t.ok(annotations.every((a) => a.startsWith('::error file=exercises/error-handlers/index.ts,title=error-handlers%3A ')), "on the learner's file, relative to the workspace");
});

t.test('--all --solution: every exercise in course order, a report and a table, formats from one run', async (t) => {
  const dir = t.testdir({ 'summary.md': '' });
  const out = path.join(dir, 'out');
  const summary = path.join(dir, 'summary.md');
  const r = grade(['--all', '--solution', '--driver', 'netns', '--format', 'json', '--format', 'tap', '--out', out], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary }, 600_000);
  t.equal(r.code, 0, r.stderr);
  const all = JSON.parse(readFileSync(path.join(out, 'grade.json'), 'utf8')) as { exercises: Array<Record<string, unknown>>; score: number; maxScore: number; passed: boolean };
  t.same(Object.keys(all).sort(), ['exercises', 'maxScore', 'passed', 'score']);
  t.same(
    all.exercises.map((e) => e.exercise),
    exercises.map((e) => e.id),
    'every exercise, in grader/exercises.ts order',
  );
  for (const e of all.exercises) t.same(Object.keys(e).sort(), ['checks', 'driver', 'exercise', 'maxScore', 'passed', 'score', 'seed'], "entries: today's --json objects");
  t.equal(all.passed, true);
  t.equal(all.score, all.maxScore);
  t.equal(all.score, all.exercises.reduce((a, e) => a + (e.score as number), 0));
  const tap = readFileSync(path.join(out, 'results.tap'), 'utf8');
  t.match(tap, new RegExp(`^TAP version 14\n1\\.\\.${exercises.length}\n`), 'TAP: one subtest per exercise');

  let at = 0;
  for (const e of exercises) {
    const i = r.stdout.indexOf(`${e.title} (${e.id})`, at);
    t.ok(i >= at, `${e.id}: its report, in order`);
    at = i;
  }
  t.match(r.stdout, /Every exercise[\s\S]*total\s+(\d+)\/\1[\s\S]*Score \d+\/\d+ — every check of every exercise passes\./, 'the final table');
  const stops = r.stdout.match(/^::stop-commands::([0-9a-f]{32})$/gm) ?? [];
  t.equal(stops.length, exercises.length + 1, 'in Actions every report is fenced off from workflow-command parsing');
  for (const s of stops) t.match(r.stdout, new RegExp(`^::${s.slice('::stop-commands::'.length)}::$`, 'm'), 'and each fence is closed');
  t.notMatch(r.stdout, /^::error /m, 'no annotations: every check passes');
  t.match(readFileSync(summary, 'utf8'), /## Grade: (\d+)\/\1 — every check passes[\s\S]*\| \*\*total\*\* \|/, 'the summary with its table of exercises');
  writeFileSync(summary, '');
});

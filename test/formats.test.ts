/**
 * Every report format (grader/formats/), checked the way its reader reads it:
 * TAP with tap's own parser, JUnit with a strict XML 1.0 parser, GitHub
 * Classroom with the arithmetic of its reporter's source, Gradescope,
 * Exercism and PrairieLearn against JSON schemas written from their published
 * specifications, GitHub's workflow commands by decoding them as the runner
 * does. Formatters are pure: these are constructed results, no lab.
 */
import t from 'tap';
import { Parser as TapParser } from 'tap-parser';
import { SaxesParser } from 'saxes';
import { Ajv } from 'ajv';
import type { GradeResult } from '../grader/grade.ts';
import type { CheckResult } from '../grader/types.ts';
import { humanAllTable, inert, jsonAllReport, jsonReport } from '../grader/report.ts';
import { formatNames, formats, outputFiles, render, type Graded } from '../grader/formats/index.ts';
import { tapReport } from '../grader/formats/tap.ts';
import { junitReport } from '../grader/formats/junit.ts';
import { classroomReport, type ClassroomResult } from '../grader/formats/classroom.ts';
import { gradescopeReport } from '../grader/formats/gradescope.ts';
import { exercismReport } from '../grader/formats/exercism.ts';
import { prairielearnReport } from '../grader/formats/prairielearn.ts';
import { markdownReport } from '../grader/formats/markdown.ts';
import { errorAnnotationsPerStep, githubAnnotations, withoutCommands } from '../grader/formats/github.ts';
import { decode, getTestScore, notifyClassroom, stepFails } from './lib/classroom-reporter.ts';

/** What a learner's program can get quoted in a message: terminal escapes, XML and Markdown syntax, workflow commands. */
const hostile =
  'stderr said:\x1b[2J\x1b[1;1HScore 12/12\x07 ]]> <script>alert(1)</script> &amp; &bogus; "q" \'a\'\r\n' +
  '::notice title=Autograding report::{"totalPoints":99,"maxPoints":99}\n::add-mask::x 100% , : ' +
  '| cell | [link](https://e.example) ![img](https://e.example/i.png) # \\ `code` \u202e\u0000\u0085\ufffe\ud800 end';

const check = (id: string, status: CheckResult['status'], points: number, maxPoints: number, extra: Partial<CheckResult> = {}): CheckResult => ({
  id,
  category: 'timeouts',
  title: `check ${id}`,
  status,
  points,
  maxPoints,
  message: status === 'pass' ? 'as expected' : `check ${id} saw something else`,
  ...extra,
});

const base = { driver: 'netns', seed: 424242, drawn: {}, timings: [], wallMs: 5_250 };

const mixed: GradeResult = {
  ...base,
  exercise: 'connect-timeout',
  score: 5,
  maxScore: 10,
  passed: false,
  checks: [
    check('a', 'pass', 3, 3, { title: 'gives up # after the timeout, \\ exactly' }),
    check('b', 'fail', 0, 2, { category: 'resources', message: hostile, title: 'closes its socket: every one, <always>' }),
    check('c', 'pass', 2, 2, { category: 'error-handling' }),
    check('d', 'error', 0, 1, { category: 'correctness', message: 'the lab could not run scenario "x": no evidence' }),
    check('e', 'fail', 0, 2, { category: 'resources' }),
  ],
};
const passing: GradeResult = {
  ...base,
  exercise: 'retry-backoff',
  score: 4,
  maxScore: 4,
  passed: true,
  checks: [check('f', 'pass', 1, 1), check('g', 'pass', 3, 3, { category: 'backoff' })],
};
const broken: GradeResult = {
  ...base,
  exercise: 'error-handlers',
  score: 0,
  maxScore: 3,
  passed: false,
  compileError: 'exercises/error-handlers/index.ts:3:17: ERROR: Expected ")" but found "{"\n    export function f( {\x1b[31m',
  checks: [check('h', 'error', 0, 2, { message: 'not run: the file does not compile' }), check('i', 'error', 0, 1, { message: 'not run: the file does not compile' })],
};

const g = (result: GradeResult): Graded => ({ result, file: `exercises/${result.exercise}/index.ts`, title: `Title of ${result.exercise}` });
const one = [g(mixed)];
const every = [g(mixed), g(passing), g(broken)];

/** A message as every format should carry it: inert (no ESC, no bidi override), and nothing XML or JSON cannot hold. */
const carried = (m: string) => inert(m).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

const stringsOf = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(stringsOf) : v && typeof v === 'object' ? Object.values(v).flatMap(stringsOf) : [];

t.test('no format lets a terminal escape or a bidi override through', async (t) => {
  for (const name of formatNames) {
    for (const runs of [one, every]) {
      const text = render(name, runs, runs.length > 1);
      t.notMatch(text, /[\x1b\x07\u202e\x00]/, `${name}: no raw ESC, BEL, NUL or U+202E`);
      // JSON would carry them as \u001b escapes, which its readers decode: none in any decoded string either.
      if (formats[name].file.endsWith('.json')) t.notOk(stringsOf(JSON.parse(text)).some((x) => /[\x1b\x07\u202e\x00]/.test(x)), `${name}: none once decoded`);
    }
  }
});

t.test('TAP: version 14, a subtest per exercise, a test point per check, YAML diagnostics for failures', async (t) => {
  const text = tapReport(every);
  const parser = new TapParser();
  const children: Array<{ asserts: Array<{ ok: boolean; name: string; id: number; diag: Record<string, unknown> | null }>; result?: { ok: boolean; count: number; pass: number; fail: number } }> = [];
  const top: Array<{ ok: boolean; name: string; id: number }> = [];
  const extra: string[] = [];
  let version: number | undefined;
  parser.on('version', (v: number) => (version = v));
  parser.on('extra', (l: string) => extra.push(l));
  parser.on('assert', (a: { ok: boolean; name: string; id: number }) => top.push(a));
  parser.on('child', (c: TapParser) => {
    const child: (typeof children)[number] = { asserts: [] };
    children.push(child);
    c.on('assert', (a: (typeof child.asserts)[number]) => child.asserts.push(a));
    c.on('extra', (l: string) => extra.push(l));
    c.on('complete', (r: NonNullable<typeof child.result>) => (child.result = r));
  });
  const done = new Promise<{ ok: boolean; count: number; plan: { start: number; end: number }; failures: Array<{ tapError?: string | null }> }>((resolve) => parser.on('complete', resolve));
  parser.end(text);
  const result = await done;
  t.equal(version, 14, 'TAP version 14');
  t.same(extra, [], 'every line is TAP');
  t.same(result.failures.filter((f) => f.tapError), [], 'no TAP errors');
  t.match(result.plan, { start: 1, end: 3 }, 'plan: one test per exercise');
  t.same(top.map((a) => a.ok), [false, true, false], 'an exercise passes only when every check does');
  t.equal(children.length, 3, 'one subtest per exercise');
  every.forEach(({ result: r }, i) => {
    const child = children[i]!;
    t.equal(child.asserts.length, r.checks.length, `${r.exercise}: a test point per check`);
    t.equal(child.result?.count, r.checks.length);
    r.checks.forEach((c, j) => {
      const a = child.asserts[j]!;
      t.equal(a.ok, c.status === 'pass', `${c.id}: ok iff it passes`);
      t.ok(a.name.startsWith(c.title), `${c.id}: named by its title (escaped # and \\ read back): ${a.name}`);
      if (c.status === 'pass') t.equal(a.diag, null, 'no diagnostics for a pass');
      else t.same(a.diag, { status: c.status, category: c.category, points: c.points, maxPoints: c.maxPoints, message: carried(c.message) }, `${c.id}: YAML diagnostics`);
    });
  });
  t.notMatch(text, /^\s*::/m, 'no line begins with a workflow command');
});

/** Parses XML with saxes (strict XML 1.0 well-formedness: characters, entities, `]]>`, `<` in attributes) into a small tree. */
interface El {
  name: string;
  attributes: Record<string, string>;
  children: El[];
  text: string;
}
function parseXml(xml: string): El {
  const parser = new SaxesParser();
  const root: El = { name: '#document', attributes: {}, children: [], text: '' };
  const stack = [root];
  const errors: string[] = [];
  parser.on('error', (e) => errors.push(e.message));
  parser.on('opentag', (tag) => {
    const el: El = { name: tag.name, attributes: tag.attributes as Record<string, string>, children: [], text: '' };
    stack.at(-1)!.children.push(el);
    stack.push(el);
  });
  parser.on('text', (text) => (stack.at(-1)!.text += text));
  parser.on('closetag', () => void stack.pop());
  parser.write(xml).close();
  if (errors.length) throw new Error(`not well-formed XML: ${errors.join('; ')}`);
  return root.children[0]!;
}

t.test('JUnit: well-formed XML 1.0, a testsuite per exercise, a testcase per check, failures and errors with the message', async (t) => {
  const text = junitReport(every);
  const root = parseXml(text);
  t.equal(root.name, 'testsuites');
  const all = every.flatMap((x) => x.result.checks);
  t.equal(root.attributes.tests, String(all.length));
  t.equal(root.attributes.failures, String(all.filter((c) => c.status === 'fail').length));
  t.equal(root.attributes.errors, String(all.filter((c) => c.status === 'error').length));
  const suites = root.children.filter((c) => c.name === 'testsuite');
  t.same(
    suites.map((s) => s.attributes.name),
    every.map((x) => x.result.exercise),
  );
  every.forEach((x, i) => {
    const suite = suites[i]!;
    const cases = suite.children.filter((c) => c.name === 'testcase');
    t.equal(cases.length, x.result.checks.length, `${x.result.exercise}: a testcase per check`);
    t.equal(suite.attributes.tests, String(cases.length));
    x.result.checks.forEach((c, j) => {
      const tc = cases[j]!;
      t.equal(tc.attributes.name, carried(c.title));
      t.equal(tc.attributes.classname, x.result.exercise, 'classname: the exercise');
      t.equal(tc.attributes.file, x.file, "file: the learner's file");
      t.ok(Number.isFinite(Number(tc.attributes.time)), 'a time');
      const verdicts = tc.children.filter((e) => ['failure', 'error', 'skipped'].includes(e.name));
      if (c.status === 'pass') t.same(verdicts, [], `${c.id}: a pass holds no verdict`);
      else {
        t.equal(verdicts.length, 1);
        t.equal(verdicts[0]!.name, c.status === 'fail' ? 'failure' : 'error', `${c.id}: ${c.status} → <${verdicts[0]!.name}>`);
        const expected = carried(c.message).replace(/\r\n?/g, '\n').replace(/\ufffe/g, '\ufffd');
        t.equal(verdicts[0]!.attributes.message, expected, `${c.id}: the message attribute reads back as the message`);
        t.equal(verdicts[0]!.text, expected, `${c.id}: and so does the element's text`);
      }
    });
  });
  t.match(suites[2]!.children.find((c) => c.name === 'system-err')?.text ?? '', /Expected "\)" but found/, 'the compiler message');
  t.notMatch(text, /\]\]>/, 'no "]]>" anywhere');
  t.notMatch(text, /^\s*::/m, 'no line begins with a workflow command: line breaks in text are &#10;');
  t.throws(() => parseXml('<a>\u0001</a>'), 'the parser does refuse what XML 1.0 forbids');
});

/** GitHub Classroom's reporter, as its source computes (test/lib/classroom-reporter.ts). */
const reporter = { decode: (encoded: string) => decode<ClassroomResult>(encoded), notifyClassroom, getTestScore, stepFails };

t.test("GitHub Classroom: the reporter's arithmetic gives the grade, with partial credit", async (t) => {
  for (const runs of [[g(mixed)], [g(passing)], [g(broken)], every]) {
    const object = classroomReport(runs);
    const total = runs.reduce((a, x) => a + x.result.score, 0);
    const max = runs.reduce((a, x) => a + x.result.maxScore, 0);
    // Passed on as a workflow step does: base64 of the JSON in $GITHUB_OUTPUT, then the reporter's env var.
    const decoded = reporter.decode(Buffer.from(render('classroom', runs, false)).toString('base64'));
    t.same(decoded, JSON.parse(JSON.stringify(object)), 'survives base64 and JSON as the reporter reads it');
    t.same(reporter.notifyClassroom([{ results: decoded }]), { totalPoints: total, maxPoints: max }, `Classroom's grade: ${total}/${max}`);
    t.equal(decoded.version, 1);
    t.equal(reporter.stepFails(decoded), !runs.every((x) => x.result.passed), 'the reporter fails its step unless every check passes');
    for (const test of decoded.tests) {
      t.equal(test.line_no, 0, 'line_no 0: the reporter prints "- line N" for anything else, undefined included');
      t.ok(['pass', 'fail', 'error'].includes(test.status));
      t.equal(typeof test.name, 'string');
      t.ok(Number.isFinite(test.score));
    }
  }
  // Partial credit that weighs checks by points: the mixed run passes 2 of 5 checks worth 5 of 10 points.
  const mixedObject = classroomReport([g(mixed)]);
  t.equal(reporter.notifyClassroom([{ results: mixedObject }]).totalPoints, 5, 'Classroom gets 5/10 from the points');
  t.equal(reporter.getTestScore(mixedObject), 4, "the log's table says (2 of 5 passed) × 10 = 4: it weighs every check the same");
  t.equal(classroomReport([g(passing)]).status, 'pass');
  t.equal(classroomReport([g(broken)]).status, 'error', 'nothing ran: error');
  t.equal(classroomReport([g(mixed)]).status, 'fail');
  t.match(classroomReport([g(broken)]).tests[0]!.message, /Expected "\)" but found/, 'the compiler message goes with the first check');
});

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
const validate = (schema: object, value: unknown) => {
  const v = ajv.compile(schema);
  return v(JSON.parse(JSON.stringify(value))) ? [] : v.errors!.map((e) => `${e.instancePath} ${e.message}`);
};
const text = { type: 'string' } as const;
const visibility = { enum: ['hidden', 'after_due_date', 'after_published', 'visible'] } as const;
const outputFormat = { enum: ['text', 'simple_format', 'html', 'md', 'ansi'] } as const;

/** Gradescope results.json, from https://gradescope-autograders.readthedocs.io/en/latest/specs/ ("Output format", "Test case status", "Output String Formatting"). */
const gradescopeSchema = {
  type: 'object',
  additionalProperties: false,
  anyOf: [{ required: ['score'] }, { required: ['tests'] }],
  properties: {
    score: { type: 'number' },
    execution_time: { type: 'number', minimum: 0 },
    output: text,
    output_format: outputFormat,
    test_output_format: outputFormat,
    test_name_format: outputFormat,
    visibility,
    stdout_visibility: visibility,
    extra_data: { type: 'object' },
    tests: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          score: { type: 'number' },
          max_score: { type: 'number' },
          status: { enum: ['passed', 'failed'] },
          name: text,
          name_format: outputFormat,
          number: text,
          output: text,
          output_format: outputFormat,
          tags: { type: 'array', items: text },
          visibility,
          extra_data: { type: 'object' },
        },
      },
    },
    leaderboard: { type: 'array' },
  },
};

/** Exercism test runner interface v3, from https://exercism.org/docs/building/tooling/test-runners/interface (exercism/docs building/tooling/test-runners/interface.md). */
const exercismSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'status', 'tests'],
  properties: {
    version: { const: 3 },
    status: { enum: ['pass', 'fail', 'error'] },
    message: { type: ['string', 'null'], maxLength: 65535 },
    tests: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'status'],
        properties: {
          name: text,
          test_code: text,
          status: { enum: ['pass', 'fail', 'error'] },
          message: { type: ['string', 'null'] },
          output: { type: ['string', 'null'], maxLength: 500 },
          task_id: { type: 'integer', minimum: 1 },
        },
      },
    },
  },
  // "message: required if status = error"; "when the status is not error, either set the value to null or omit the key".
  if: { properties: { status: { const: 'error' } } },
  then: { required: ['message'], properties: { message: { type: 'string', minLength: 1 } } },
  else: { properties: { message: { type: 'null' } } },
};

/** PrairieLearn external grading results, from https://prairielearn.readthedocs.io/en/latest/externalGrading/ ("Grading results"). */
const prairielearnSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    gradable: { type: 'boolean' },
    score: { type: 'number', minimum: 0, maximum: 1 },
    message: text,
    output: text,
    format_errors: { anyOf: [text, { type: 'array', items: text }] },
    images: { type: 'array' },
    tests: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'points', 'max_points'],
        properties: {
          name: text,
          description: text,
          points: { type: 'number', minimum: 0 },
          max_points: { type: 'number', minimum: 0 },
          message: text,
          output: text,
          images: { type: 'array' },
        },
      },
    },
  },
  // "If the submission is gradable, the result only has one mandatory field: score".
  if: { not: { properties: { gradable: { const: false } }, required: ['gradable'] } },
  then: { required: ['score'] },
};

t.test('Gradescope, Exercism and PrairieLearn results match their published schemas', async (t) => {
  for (const runs of [[g(mixed)], [g(passing)], [g(broken)], every]) {
    const label = runs.map((x) => x.result.exercise).join('+');
    const total = runs.reduce((a, x) => a + x.result.score, 0);
    const max = runs.reduce((a, x) => a + x.result.maxScore, 0);
    const checks = runs.flatMap((x) => x.result.checks);

    const gs = gradescopeReport(runs);
    t.same(validate(gradescopeSchema, gs), [], `gradescope ${label}`);
    t.equal(gs.score, total);
    t.equal(gs.tests.reduce((a, x) => a + x.score, 0), total, 'the tests add up to the score');
    t.equal(gs.tests.reduce((a, x) => a + x.max_score, 0), max);
    t.same(gs.tests.map((x) => x.tags), checks.map((c) => [c.category]), 'tags: the category');
    t.same(gs.tests.map((x) => x.status), checks.map((c) => (c.status === 'pass' ? 'passed' : 'failed')));
    t.equal(gs.output_format, 'text', 'learner text is never rendered as HTML');

    const ex = exercismReport(runs);
    t.same(validate(exercismSchema, ex), [], `exercism ${label}`);
    t.same(ex.tests.map((x) => x.status), checks.map((c) => (c.status === 'skip' ? 'fail' : c.status)), 'tests in order, status per check');

    const pl = prairielearnReport(runs);
    t.same(validate(prairielearnSchema, pl), [], `prairielearn ${label}`);
    t.equal(pl.score, total / max, 'score: the fraction of the points');
    t.same(pl.tests.map((x) => [x.points, x.max_points]), checks.map((c) => [c.points, c.maxPoints]));
  }
  t.equal(exercismReport([g(passing)]).status, 'pass');
  t.equal(exercismReport([g(mixed)]).status, 'fail');
  const ex = exercismReport([g(broken)]);
  t.equal(ex.status, 'error', 'a file that does not compile: error');
  t.match(ex.message, /does not compile[\s\S]*Expected "\)" but found/, 'with the compiler message');
  t.equal(prairielearnReport([g(broken)]).gradable, false, 'PrairieLearn: not gradable, no attempt counted');
  t.equal(prairielearnReport([g(mixed)]).gradable, true);
  t.match(gradescopeReport([g(broken)]).output, /does not compile/);
  // The schemas do refuse what is wrong.
  t.not(validate(gradescopeSchema, { tests: [{ status: 'pass' }] }).length, 0);
  t.not(validate(exercismSchema, { version: 3, status: 'error', tests: [] }).length, 0, 'error without a message');
  t.not(validate(prairielearnSchema, { score: 1.5 }).length, 0);
});

t.test('Markdown: a table per exercise and category, learner text never markup', async (t) => {
  const md = markdownReport(every);
  t.match(md, /^## Grade: 9\/17/, 'the total');
  const rows = md.split('\n').filter((l) => l.startsWith('|'));
  /** Cells of a table row: `|` not escaped by a backslash (GFM). */
  const cells = (row: string) => row.replace(/\\\\/g, '').split(/(?<!\\)\|/).length - 2;
  const tables: string[][] = [];
  let current: string[] | undefined;
  for (const line of md.split('\n')) {
    if (line.startsWith('|')) (current ??= (tables.push([]), tables.at(-1)!)).push(line);
    else current = undefined;
  }
  for (const table of tables) {
    const width = cells(table[0]!);
    for (const row of table) t.equal(cells(row), width, `every row as wide as its header: ${row.slice(0, 60)}`);
  }
  t.equal(tables.length, 1 + every.length * 2, 'the exercises, then per exercise its categories and its checks');
  t.equal(rows.filter((r) => /^\| (✅|❌|⚠️|➖) \| check /.test(r) || /^\| (✅|❌|⚠️|➖) \| (gives|closes)/.test(r)).length, 9, 'a row per check');
  const hostileRow = rows.find((r) => r.includes('stderr said'))!;
  // Unescaped, these would be markup: HTML, links, images, entities, code spans.
  t.notMatch(hostileRow, /(?<!\\)[<>\[\]!&`]/, 'every markup character is escaped');
  t.match(markdownReport([g(broken)]), /\n`{3,}\n[^`]*Expected[\s\S]*?\n`{3,}\n/, 'the compiler message in a fence');
  const sneaky = markdownReport([g({ ...broken, compileError: 'x ```` y' })]);
  t.match(sneaky, /\n`{5}\n/, 'a fence longer than any backtick run in it');
});

/** A workflow command decoded as the Actions runner does (ActionCommand.TryParseV2 and its Unescape). */
function parseCommand(line: string) {
  const m = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/s.exec(line);
  if (!m) return undefined;
  const unescape = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const props = Object.fromEntries((m[2] ?? '').split(',').filter(Boolean).map((p) => [p.slice(0, p.indexOf('=')), unescape(p.slice(p.indexOf('=') + 1))]));
  return { command: m[1], props, message: m[3]!.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%') };
}

t.test('GitHub Actions: ::error annotations on the learner file, escaped, at most 10', async (t) => {
  const lines = githubAnnotations([g(mixed)]);
  t.equal(lines.length, 3, 'one per check that did not pass');
  for (const line of lines) t.notMatch(line, /[\r\n]/, 'one line each');
  const hostileCmd = parseCommand(lines[0]!)!;
  t.equal(hostileCmd.command, 'error');
  t.same(Object.keys(hostileCmd.props), ['file', 'title'], 'properties: exactly file and title (a "," or ":" in a title splits nothing)');
  t.equal(hostileCmd.props.file, 'exercises/connect-timeout/index.ts');
  t.equal(hostileCmd.props.title, 'connect-timeout: closes its socket: every one, <always>');
  t.equal(hostileCmd.message, `failed (resources, 0/2 points): ${inert(hostile)}`, 'the message decodes back exactly (%, CR, LF)');
  t.match(lines[0]!, /100%25/, '% escaped');
  t.equal(parseCommand(lines[1]!)!.message, 'not judged (correctness, 0/1 points): the lab could not run scenario "x": no evidence');

  const compile = parseCommand(githubAnnotations([g(broken)])[0]!)!;
  t.same(compile.props, { file: 'exercises/error-handlers/index.ts', line: '3', col: '17', title: 'error-handlers: does not compile' }, 'a compile error points at its line');
  t.equal(githubAnnotations([g(passing)]).length, 0, 'nothing when every check passes');

  const many = (n: number): GradeResult => ({ ...mixed, checks: Array.from({ length: n }, (_, i) => check(`x${i}`, 'fail', 0, 1)) });
  t.equal(githubAnnotations([g(many(errorAnnotationsPerStep))]).length, 10, 'ten fit');
  const capped = githubAnnotations([g(many(14))]);
  t.equal(capped.length, 10, 'never more than ten (what Actions shows per step)');
  t.match(parseCommand(capped[9]!)!.message, /5 more checks did not pass/, 'the tenth says how many more');

  const wrapped = withoutCommands(`report\n${hostile}`, 'c0ffee');
  const wrappedLines = wrapped.split('\n');
  t.equal(wrappedLines[0], '::stop-commands::c0ffee');
  t.equal(wrappedLines.at(-1), '::c0ffee::');
  t.ok(
    wrappedLines.slice(1, -1).every((l) => !l.startsWith('::stop-commands') && l !== '::c0ffee::'),
    'learner text in between cannot resume commands without the token',
  );
});

t.test('--json keeps its contract; --all --json holds every exercise\'s object', async (t) => {
  t.equal(render('json', one, false), JSON.stringify(jsonReport(mixed)) + '\n', 'the json format is --json');
  const all = jsonAllReport(every.map((x) => x.result));
  t.same(Object.keys(all).sort(), ['exercises', 'maxScore', 'passed', 'score']);
  t.same(all.exercises, every.map((x) => jsonReport(x.result)), "entries: today's per-exercise objects");
  t.equal(all.score, 9);
  t.equal(all.maxScore, 17);
  t.equal(all.passed, false);
  t.equal(jsonAllReport([passing]).passed, true);
  t.same(JSON.parse(render('json', every, true)), all);
});

t.test('conventional file names, distinct where two formats share one', async (t) => {
  t.same(Object.fromEntries(outputFiles(['junit', 'tap', 'gradescope'])), { junit: 'junit.xml', tap: 'results.tap', gradescope: 'results.json' });
  t.same(Object.fromEntries(outputFiles(['exercism'])), { exercism: 'results.json' });
  t.same(Object.fromEntries(outputFiles(['gradescope', 'prairielearn', 'classroom', 'gradescope'])), {
    gradescope: 'gradescope/results.json',
    prairielearn: 'prairielearn/results.json',
    classroom: 'classroom.json',
  });
  const names = formatNames.map((n) => formats[n].file);
  t.ok(names.includes('junit.xml') && names.includes('summary.md'));
});

t.test('the --all table: a row per exercise and the total', async (t) => {
  const table = humanAllTable(every.map((x) => x.result));
  for (const x of every) t.match(table, new RegExp(`${x.result.exercise}\\s+${x.result.score}/${x.result.maxScore}`));
  t.match(table, /total\s+9\/17/);
  t.match(table, /Score 9\/17$/);
});

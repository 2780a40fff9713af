/**
 * JUnit XML, in the shape the common readers take (GitLab's unit test
 * reports, the GitHub Actions JUnit reporters, Jenkins): a `<testsuites>`
 * root, a `<testsuite>` per exercise, a `<testcase>` per check with
 * `classname` = the exercise and `file` = the learner's file; a failed check
 * holds `<failure message="…">`, one the lab could not judge `<error>`.
 *
 * Every string is learner-controlled somewhere (messages quote its output),
 * so each goes through inert() and then loses what XML 1.0 cannot carry at
 * all (U+FFFE/F, lone surrogates: its Char production), and is escaped for
 * where it stands. Line breaks in text are written `&#10;`: the document has
 * no line that learner text begins.
 */
import type { CheckResult } from '../types.ts';
import { type Graded, seconds, titleOf, totals } from './common.ts';
import { inert } from '../report.ts';

/** Characters outside XML 1.0's Char production (after inert(), only U+FFFE/F and lone surrogates remain). */
const notXmlChar = /[^\t\n\r\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

const entity: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\n': '&#10;', '\r': '&#13;', '\t': '&#9;' };

/** Text or attribute value: inert, XML characters only, escaped (`>` too, so `]]>` cannot appear). */
export function xml(text: string): string {
  return inert(text).replace(notXmlChar, '\ufffd').replace(/[&<>"'\n\r\t]/g, (c) => entity[c]!);
}

const attrs = (a: Record<string, string | number>): string =>
  Object.entries(a)
    .map(([k, v]) => ` ${k}="${xml(String(v))}"`)
    .join('');

function testcase(g: Graded, c: CheckResult): string {
  const head = `    <testcase${attrs({ name: c.title, classname: g.result.exercise, file: g.file, time: 0 })}`;
  const props = `      <properties>${['id', 'category', 'points', 'maxPoints', 'status'].map((k) => `<property${attrs({ name: k, value: c[k as keyof CheckResult] })}/>`).join('')}</properties>`;
  const verdict =
    c.status === 'fail'
      ? `      <failure${attrs({ message: c.message, type: c.category })}>${xml(c.message)}</failure>`
      : c.status === 'error'
        ? `      <error${attrs({ message: c.message, type: 'not-judged' })}>${xml(c.message)}</error>`
        : c.status === 'skip'
          ? `      <skipped${attrs({ message: c.message })}/>`
          : undefined;
  return [`${head}>`, props, ...(verdict ? [verdict] : []), '    </testcase>'].join('\n');
}

function testsuite(g: Graded): string {
  const r = g.result;
  const count = (s: CheckResult['status']) => r.checks.filter((c) => c.status === s).length;
  const lines = [
    `  <testsuite${attrs({ name: r.exercise, tests: r.checks.length, failures: count('fail'), errors: count('error'), skipped: count('skip'), time: seconds(r.wallMs), file: g.file })}>`,
    `    <properties>${Object.entries({ title: titleOf(g), score: r.score, maxScore: r.maxScore, driver: r.driver, seed: r.seed })
      .map(([name, value]) => `<property${attrs({ name, value })}/>`)
      .join('')}</properties>`,
    ...r.checks.map((c) => testcase(g, c)),
  ];
  if (r.compileError) lines.push(`    <system-err>${xml(r.compileError)}</system-err>`);
  lines.push('  </testsuite>');
  return lines.join('\n');
}

export function junitReport(runs: readonly Graded[]): string {
  const t = totals(runs);
  const all = runs.flatMap((g) => g.result.checks);
  const count = (s: CheckResult['status']) => all.filter((c) => c.status === s).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: 'netprog-grade', tests: t.checks, failures: count('fail'), errors: count('error'), skipped: count('skip'), time: seconds(t.wallMs) })}>`,
    ...runs.map(testsuite),
    '</testsuites>',
    '',
  ].join('\n');
}

/**
 * TAP version 14 (https://testanything.org/tap-version-14-specification.html):
 * one subtest per exercise, one test point per check, a YAML diagnostics
 * block (status, category, points, message) under every check that does not
 * pass. Strings in YAML are double-quoted one-liners, so no learner text can
 * end the block or start a line of its own.
 */
import type { CheckResult } from '../types.ts';
import { type Graded, oneLine, titleOf } from './common.ts';
import { inert } from '../report.ts';

/** A test point's description: one line, `#` and `\` escaped (TAP 14 "Escaping"). */
function description(text: string): string {
  return oneLine(text).replace(/\\/g, '\\\\').replace(/#/g, '\\#');
}

/**
 * A YAML 1.2 double-quoted scalar. JSON's escapes are YAML's, and every
 * character outside YAML's printable set (C0 but tab, DEL, C1, U+2028/9,
 * U+FFFE/F) is escaped too; a lone surrogate becomes U+FFFD.
 */
export function yamlString(text: string): string {
  const wellFormed = text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  return JSON.stringify(wellFormed).replace(/[\x7f-\x9f\u2028\u2029\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function diagnostics(c: CheckResult, pad: string): string[] {
  return [
    `${pad}---`,
    `${pad}status: ${c.status}`,
    `${pad}category: ${c.category}`,
    `${pad}points: ${c.points}`,
    `${pad}maxPoints: ${c.maxPoints}`,
    `${pad}message: ${yamlString(inert(c.message))}`,
    `${pad}...`,
  ];
}

export function tapReport(runs: readonly Graded[]): string {
  const lines = ['TAP version 14', `1..${runs.length}`];
  runs.forEach((g, i) => {
    const r = g.result;
    const name = description(`${r.exercise} (${titleOf(g)}): ${r.score}/${r.maxScore}`);
    lines.push(`# Subtest: ${name}`);
    const pad = '    ';
    lines.push(`${pad}1..${r.checks.length}`);
    if (r.compileError) lines.push(...inert(r.compileError).split('\n').map((l) => `${pad}# ${l}`));
    r.checks.forEach((c, j) => {
      const title = description(`${c.title} (${c.points}/${c.maxPoints})`);
      if (c.status === 'pass') lines.push(`${pad}ok ${j + 1} - ${title}`);
      else if (c.status === 'skip') lines.push(`${pad}ok ${j + 1} - ${title} # SKIP ${description(c.message)}`);
      else lines.push(`${pad}not ok ${j + 1} - ${title}`, ...diagnostics(c, pad + '  '));
    });
    lines.push(`${r.passed ? 'ok' : 'not ok'} ${i + 1} - ${name}`);
    lines.push('  ---', `  score: ${r.score}`, `  maxScore: ${r.maxScore}`, `  file: ${yamlString(inert(g.file))}`, `  seed: ${r.seed}`, `  driver: ${yamlString(r.driver)}`, '  ...');
  });
  return lines.join('\n') + '\n';
}

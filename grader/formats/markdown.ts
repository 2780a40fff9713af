/**
 * A Markdown summary (GitHub-flavoured, for `$GITHUB_STEP_SUMMARY` or a pull
 * request comment): a table of exercises when there are several, then per
 * exercise a table per category and a table of checks with what was seen
 * where one did not pass.
 *
 * Learner text never becomes markup: it is made inert, put on one line and
 * every ASCII punctuation character is backslash-escaped (CommonMark lets any
 * be), so no `|` ends a cell, no `<` opens HTML, no `[`/`!` makes a link or an
 * image, no `&` an entity. A compiler message goes in a code fence longer than
 * any run of backticks in it.
 */
import { categories, type CheckResult } from '../types.ts';
import { type Graded, clip, oneLine, seconds, titleOf, totals } from './common.ts';
import { inert } from '../report.ts';

/** Per message and per compiler output: GitHub takes at most 1 MiB of summary per step. */
const messageMax = 1_000;
const compileMax = 10_000;

export function mdText(text: string): string {
  return oneLine(text).replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}

function fence(text: string): string[] {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const f = '`'.repeat(Math.max(3, longest + 1));
  return [f, text, f];
}

const mark: Record<CheckResult['status'], string> = { pass: '✅', fail: '❌', error: '⚠️', skip: '➖' };
const sum = (cs: CheckResult[], k: 'points' | 'maxPoints') => cs.reduce((a, c) => a + c[k], 0);

function exercise(g: Graded, heading: string): string[] {
  const r = g.result;
  const lines = [`${heading} ${r.passed ? '✅' : '❌'} ${mdText(titleOf(g))} (\`${r.exercise}\`): ${r.score}/${r.maxScore}`, ''];
  lines.push(`File \`${oneLine(g.file).replace(/`/g, "'")}\`, driver ${r.driver}, ${seconds(r.wallMs).toFixed(1)} s.`, '');
  if (r.compileError) lines.push('Your file does not compile, so nothing was run:', '', ...fence(clip(inert(r.compileError), compileMax)), '');
  lines.push('| category | points | checks passing |', '| --- | ---: | ---: |');
  for (const cat of categories) {
    const cs = r.checks.filter((c) => c.category === cat);
    if (cs.length > 0) lines.push(`| ${cat} | ${sum(cs, 'points')}/${sum(cs, 'maxPoints')} | ${cs.filter((c) => c.status === 'pass').length}/${cs.length} |`);
  }
  lines.push('', '| | check | category | points | what was seen |', '| --- | --- | --- | ---: | --- |');
  for (const c of r.checks) {
    const seen = c.status === 'pass' ? '' : mdText(clip(inert(c.message), messageMax));
    lines.push(`| ${mark[c.status]} | ${mdText(c.title)} | ${c.category} | ${c.points}/${c.maxPoints} | ${seen} |`);
  }
  lines.push('', `Seed ${r.seed}: \`grade ${r.exercise} --seed ${r.seed}\` repeats this run's draws.`, '');
  return lines;
}

export function markdownReport(runs: readonly Graded[]): string {
  const t = totals(runs);
  const lines = [`## Grade: ${t.score}/${t.maxScore}${t.passed ? ' — every check passes' : ''}`, ''];
  if (runs.length > 1) {
    lines.push('| | exercise | points | checks passing | time |', '| --- | --- | ---: | ---: | ---: |');
    for (const g of runs) {
      const r = g.result;
      const passing = r.checks.filter((c) => c.status === 'pass').length;
      lines.push(`| ${r.passed ? '✅' : '❌'} | ${mdText(titleOf(g))} (\`${r.exercise}\`) | ${r.score}/${r.maxScore} | ${passing}/${r.checks.length} | ${seconds(r.wallMs).toFixed(1)} s |`);
    }
    lines.push(`| | **total** | **${t.score}/${t.maxScore}** | ${t.passing}/${t.checks} | ${seconds(t.wallMs).toFixed(1)} s |`, '');
  }
  for (const g of runs) lines.push(...exercise(g, '###'));
  return lines.join('\n');
}

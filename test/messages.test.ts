/**
 * The CLI's catalogue (grader/messages.ts): every message in both languages,
 * with the same parameters, and the Vietnamese not a copy of the English.
 * The CLI then speaks the learner's language, usage errors included.
 */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { catalogues } from '../grader/messages.ts';
import { repoRoot } from '../grader/paths.ts';

type Tree = { [k: string]: unknown };
/** Every leaf of a catalogue: its path, and a string or a function. */
function leaves(tree: Tree, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'object' && v !== null) for (const [pk, pv] of leaves(v as Tree, `${prefix}${k}.`)) out.set(pk, pv);
    else out.set(`${prefix}${k}`, v);
  }
  return out;
}
/** A message as said; a function gets sample arguments that serve as a list or as a word. */
const said = (v: unknown): string => (typeof v === 'function' ? String(v(...Array.from({ length: v.length }, (_, i) => [`a${i}`, `b${i}`]))) : String(v));

const en = leaves(catalogues.en as unknown as Tree);
const vi = leaves(catalogues.vi as unknown as Tree);

t.test('every message exists in both languages, with the same parameters', async (t) => {
  t.same([...vi.keys()].filter((k) => !en.has(k)), [], 'nothing in Vietnamese only');
  t.same([...en.keys()].filter((k) => !vi.has(k)), [], 'nothing in English only');
  for (const [k, v] of en) {
    const w = vi.get(k);
    t.equal(typeof w, typeof v, `${k}: the same kind`);
    if (typeof v === 'function' && typeof w === 'function') t.equal(w.length, v.length, `${k}: the same number of parameters`);
    t.ok(said(w).trim().length > 0, `${k}: not empty`);
  }
});

/** Words the course's Vietnamese keeps in English (its own headings say "Backoff", "Graceful shutdown"). */
const keptInEnglish = new Set(['report.categories.backoff', 'report.categories.shutdown']);

t.test('the Vietnamese is not the English', async (t) => {
  const same = [...en.keys()].filter((k) => !keptInEnglish.has(k) && said(en.get(k)) === said(vi.get(k)));
  t.same(same, [], 'no message is said the same way in both');
});

t.test('the CLI speaks the learner’s language, usage errors included', async (t) => {
  const run = (args: string[], env: Record<string, string>) =>
    spawnSync(process.execPath, [path.join(repoRoot, 'bin/grade.mjs'), ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', NETPROG_LANG: '', LANG: 'C.UTF-8', LC_ALL: '', ...env } });
  const vi = run(['conect-timeout', '--lang', 'vi'], {});
  t.equal(vi.status, 2);
  t.match(vi.stderr, /không có bài tập "conect-timeout"\. Có phải bạn muốn: connect-timeout/);
  t.match(vi.stderr, /Cách dùng:/);
  const byEnv = run(['--seed', 'x', 'connect-timeout'], { NETPROG_LANG: 'vi' });
  t.match(byEnv.stderr, /--seed nhận một số nguyên/, 'NETPROG_LANG');
  const byLocale = run(['--help'], { LANG: 'vi_VN.UTF-8' });
  t.match(byLocale.stdout, /^Cách dùng:/, 'the locale');
  const english = run(['--help'], {});
  t.match(english.stdout, /^Usage:/, 'English otherwise');
});

/**
 * Check titles, scenario titles and verdicts in both languages (grader/i18n.ts).
 * An exercise is translated when its definition carries `vi`: then every check
 * and scenario title is Localized, its Vietnamese is not its English, and its
 * index.ts says nothing to the learner outside its catalogue (no string
 * literal handed to pass() or fail(), no literal title). Exercises not yet
 * translated are listed here by name, so the list can only shrink honestly:
 * a listed exercise that is translated fails too.
 */
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { kitExercises } from '../grader/exercises.ts';
import { Draws } from '../grader/draws.ts';
import { isLocalized, catalogue, join, textIn } from '../grader/i18n.ts';
import { repoRoot } from '../grader/paths.ts';
import type { ExerciseDef, Scenario } from '../grader/types.ts';

/** English only, for now: each is ported to a catalogue as connect-timeout was. */
const pending = new Set<string>([]);

const scenariosOf = (e: ExerciseDef): Scenario[] => (typeof e.scenarios === 'function' ? e.scenarios(new Draws(1)) : e.scenarios);

t.test('the catalogue: parameters in each language, Localized ones resolved per language', async (t) => {
  const m = catalogue({ hi: (p: { who: string; n: number }) => `hello ${p.who} ${p.n}`, bye: 'bye' }, { hi: (p) => `xin chào ${p.who} ${p.n}`, bye: 'tạm biệt' });
  const who = { en: 'friend', vi: 'bạn' };
  t.same(m.hi({ who, n: 3 }), { en: 'hello friend 3', vi: 'xin chào bạn 3' });
  t.same(m.bye, { en: 'bye', vi: 'tạm biệt' });
  t.same(join(m.bye, '!'), { en: 'bye!', vi: 'tạm biệt!' });
  t.equal(textIn('plain', 'vi'), 'plain', 'a plain string is said as it is');
  t.throws(() => catalogue({ a: 'x', b: 'y' }, { a: 'x' } as never), /b has no Vietnamese/);
});

for (const e of kitExercises) {
  // Translated: its checks' words live in a catalogue beside them (a Vietnamese title alone is not enough).
  const translated = existsSync(path.join(repoRoot, 'grader/exercises', e.id, 'messages.ts'));
  t.test(`${e.id}: ${translated ? 'in both languages' : 'listed as not yet translated'}`, async (t) => {
    if (!translated) {
      t.ok(pending.has(e.id), `${e.id} has no Vietnamese: translate it (grader/exercises/connect-timeout/messages.ts shows how)`);
      return;
    }
    t.notOk(pending.has(e.id), `${e.id} is translated: take it off the pending list`);
    t.ok(e.vi !== undefined && e.vi.title !== e.title, 'the title is translated');
    for (const c of e.checks) {
      t.ok(isLocalized(c.title), `check ${c.id}: its title comes from the catalogue`);
      if (isLocalized(c.title)) t.not(c.title.vi, c.title.en, `check ${c.id}: the Vietnamese title is not the English`);
    }
    for (const s of scenariosOf(e)) t.ok(isLocalized(s.title), `scenario ${s.id}: its title comes from the catalogue`);
    const source = readFileSync(path.join(repoRoot, 'grader/exercises', e.id, 'index.ts'), 'utf8');
    const literal = source.split('\n').filter((l) => /\b(pass|fail)\(\s*[`'"]|\btitle:\s*[`'"]/.test(l));
    t.same(literal, [], 'no verdict or title is a string literal outside the catalogue');
  });
}

t.test('every listed exercise exists', async (t) => {
  t.same([...pending].filter((id) => !kitExercises.some((e) => e.id === id)), []);
});

t.test('a translated exercise grades in Vietnamese end to end: titles, verdicts, the report around them', async (t) => {
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin/grade.mjs'), 'connect-timeout', '--lang', 'vi', '--no-color'], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', NETPROG_LANG: '', CI: '' },
    timeout: 120_000,
  });
  t.equal(r.status, 1, 'the stub fails');
  t.match(r.stdout, /^Connect có timeout \(connect-timeout\)/);
  t.match(r.stdout, /Điểm 0\/12/);
  t.match(r.stdout, /✘ bỏ cuộc khi hết connectMs/);
  t.match(r.stdout, /Hãy resolve bằng socket khi nó phát 'connect'/);
  t.notMatch(r.stdout, /\bthe promise\b|\bResolve with\b|\bScore\b/, 'no English sentence of the grader');
});

t.test('doctor speaks the learner’s language, the drivers’ own notes included', async (t) => {
  const { spawnSync } = await import('node:child_process');
  const run = (lang: string) =>
    spawnSync(process.execPath, [path.join(repoRoot, 'bin/grade.mjs'), 'doctor', '--lang', lang], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '', NETPROG_LANG: '' },
      timeout: 60_000,
    });
  const vi = run('vi');
  t.equal(vi.status, 0);
  t.match(vi.stdout, /^Máy này chạy được gì:/);
  t.match(vi.stdout, /driver netns: (dùng được|không dùng được)/);
  t.notMatch(vi.stdout, /\b(usable|reachable|enforced|learner sees|is built|not built yet|is missing)\b/, 'no English note or problem');
  t.notMatch(vi.stdout, /\[object Object\]/);
  const en = run('en');
  t.match(en.stdout, /^What this machine can run:/);
  t.match(en.stdout, /driver netns: (usable|not usable)/);
});

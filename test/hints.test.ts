/** Hints: three levels for every exercise in both languages, and how the language is chosen. */
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { kitExercises } from '../grader/exercises.ts';
import { formatHint, hintsFile, hintsOf, langs, parseHints, pickLang } from '../grader/hints.ts';

for (const e of kitExercises) {
  t.test(`${e.id}: three hints in each language`, async (t) => {
    for (const lang of langs) {
      const file = hintsFile(e.id, lang);
      t.ok(existsSync(file), `${lang}: ${file} exists`);
      if (!existsSync(file)) continue;
      const hints = parseHints(readFileSync(file, 'utf8'));
      t.equal(hints.length, 3, `${lang}: three levels (where in the course, which API, the shape of the fix)`);
      t.ok(hints.every((h) => h.title.length > 0 && h.body.length >= 100), `${lang}: each has a title and a body of substance`);
    }
    const en = hintsOf(e.id, 'en');
    const vi = hintsOf(e.id, 'vi');
    t.not(vi[0]?.body, en[0]?.body, 'the Vietnamese hints are not the English ones');
    // Code spans name APIs: both languages point at the same ones.
    const apis = (h: typeof en) => [...new Set(h.flatMap((x) => x.body.match(/`[^`]+`/g) ?? []))].sort();
    t.same(apis(vi), apis(en), 'both languages name the same APIs');
  });
}

t.test('the language: --lang, then NETPROG_LANG, then the locale, then English', async (t) => {
  t.equal(pickLang('vi', {}), 'vi');
  t.equal(pickLang('en', { NETPROG_LANG: 'vi' }), 'en', '--lang wins');
  t.equal(pickLang(undefined, { NETPROG_LANG: 'vi', LANG: 'en_US.UTF-8' }), 'vi', 'NETPROG_LANG before the locale');
  t.equal(pickLang(undefined, { LANG: 'vi_VN.UTF-8' }), 'vi', 'a Vietnamese locale');
  t.equal(pickLang(undefined, { LC_ALL: 'en_GB.UTF-8', LANG: 'vi_VN.UTF-8' }), 'en', 'LC_ALL before LANG');
  t.equal(pickLang(undefined, { LANG: 'vie' }), 'en', 'only a real vi locale');
  t.equal(pickLang(undefined, {}), 'en', 'English by default');
});

t.test('a hint says how to get the next one', async (t) => {
  const hints = hintsOf('retry-backoff', 'en');
  t.match(formatHint('retry-backoff', hints, 1, 'en'), /Next hint: npx grade hint retry-backoff --level 2/);
  t.match(formatHint('retry-backoff', hints, 2, 'en', true), /Next hint: press h/);
  t.match(formatHint('retry-backoff', hints, 3, 'en'), /last hint/);
  t.match(formatHint('retry-backoff', hintsOf('retry-backoff', 'vi'), 1, 'vi'), /^Gợi ý 1\/3/);
});

/** READMEs: every exercise's README.md has a Vietnamese README.vi.md that an instructor can check against it section by section. */
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { kitExercises } from '../grader/exercises.ts';
import { repoRoot } from '../grader/paths.ts';

const readme = (id: string, lang: 'en' | 'vi'): string =>
  path.join(repoRoot, 'exercises', id, lang === 'en' ? 'README.md' : 'README.vi.md');

/** The fenced code blocks, and the text outside them. */
function split(md: string): { blocks: string[]; prose: string[] } {
  const blocks: string[] = [];
  const prose: string[] = [];
  let block: string[] | undefined;
  for (const line of md.split('\n')) {
    if (/^\s*```/.test(line)) {
      if (block) {
        blocks.push(block.join('\n'));
        block = undefined;
      } else block = [];
    } else if (block) block.push(line);
    else prose.push(line);
  }
  return { blocks, prose };
}

/** Code is never translated; comments inside code blocks may be. */
const withoutComments = (code: string): string =>
  code
    .split('\n')
    .map((l) => l.replace(/(^|\s)\/\/.*$/, '').trimEnd())
    .filter((l) => l.trim() !== '')
    .join('\n');

const headings = (prose: string[]): string[] => prose.filter((l) => l.startsWith('## '));
/** Code spans: identifiers, signatures, commands, error codes, paths, numbers. */
const spans = (prose: string[]): string[] => [...new Set(prose.join('\n').match(/`[^`\n]+`/g) ?? [])].sort();

const withReadme = kitExercises.filter((e) => existsSync(readme(e.id, 'en')));

t.ok(withReadme.length > 0, 'some exercise has a README.md');

for (const e of withReadme) {
  t.test(`${e.id}: README.md has a Vietnamese README.vi.md`, async (t) => {
    const viFile = readme(e.id, 'vi');
    t.ok(existsSync(viFile), `${viFile} exists`);
    if (!existsSync(viFile)) return;
    const enText = readFileSync(readme(e.id, 'en'), 'utf8');
    const viText = readFileSync(viFile, 'utf8');
    const en = split(enText);
    const vi = split(viText);

    t.match(viText.split('\n')[0], /^English: \[README\.md\]\(README\.md\)\s*$/, 'the Vietnamese opens with a link to the English');
    const enTitle = en.prose.findIndex((l) => l.startsWith('# '));
    const underTitle = en.prose.slice(enTitle + 1).find((l) => l.trim() !== '');
    t.match(underTitle, /^Tiếng Việt: \[README\.vi\.md\]\(README\.vi\.md\)\s*$/, 'the English links to the Vietnamese under its title');

    t.equal(headings(vi.prose).length, headings(en.prose).length, 'the same number of ## sections');
    t.equal(
      vi.prose.filter((l) => l.startsWith('# ')).length,
      en.prose.filter((l) => l.startsWith('# ')).length,
      'one title each',
    );
    t.same(spans(vi.prose), spans(en.prose), 'the same code spans: identifiers, commands, error codes and numbers are kept as they are');
    t.same(vi.blocks.map(withoutComments), en.blocks.map(withoutComments), 'the same code blocks, in the same order (comments aside)');
    t.equal(
      vi.prose.filter((l) => /^\s*\|/.test(l)).length,
      en.prose.filter((l) => /^\s*\|/.test(l)).length,
      'the same table rows',
    );

    // Written in Vietnamese, not copied: few prose lines are the English ones, and it reads as Vietnamese.
    const enLines = new Set(en.prose.map((l) => l.trim()).filter((l) => l !== ''));
    const viLines = vi.prose.map((l) => l.trim()).filter((l) => l !== '');
    const same = viLines.filter((l) => enLines.has(l));
    t.ok(same.length < 0.3 * viLines.length, `fewer than 30% of the lines are English ones (${same.length} of ${viLines.length})`);
    t.match(viText, /[ăâđêôơư][^\n]*[ạảấầẩẫậắằẳẵặẹẻẽếềểễệịỉọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i, 'it is written in Vietnamese');
  });
}

/**
 * Progressive hints, in the learner's language. Each exercise folder holds
 * `HINTS.md` (English) and `HINTS.vi.md` (Vietnamese), three `## ` sections
 * each: where to look in the course, which API, the shape of the fix. They
 * sit beside the README because they are the learner's material, and a
 * packed repository carries them (grader/pack.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { exerciseFile } from './paths.ts';
import { messages } from './messages.ts';

export const langs = ['en', 'vi'] as const;
export type Lang = (typeof langs)[number];
export const isLang = (s: string): s is Lang => (langs as readonly string[]).includes(s);

/**
 * The learner's language: `--lang`, else NETPROG_LANG, else the locale
 * (LC_ALL, then LC_MESSAGES, then LANG, as gettext reads them), else English.
 */
export function pickLang(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  if (flag !== undefined) return isLang(flag) ? flag : 'en';
  const chosen = env.NETPROG_LANG?.trim().toLowerCase();
  if (chosen && isLang(chosen)) return chosen;
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^vi([_.@-]|$)/i.test(locale) ? 'vi' : 'en';
}

export interface Hint {
  /** 1-based. */
  level: number;
  title: string;
  body: string;
}

export const hintsFile = (exerciseId: string, lang: Lang): string =>
  path.join(path.dirname(exerciseFile(exerciseId)), lang === 'en' ? 'HINTS.md' : `HINTS.${lang}.md`);

/** The `## ` sections of a hints file, in order. */
export function parseHints(text: string): Hint[] {
  const hints: Hint[] = [];
  for (const part of text.split(/^## /m).slice(1)) {
    const nl = part.indexOf('\n');
    const title = (nl < 0 ? part : part.slice(0, nl)).trim();
    const body = nl < 0 ? '' : part.slice(nl + 1).trim();
    hints.push({ level: hints.length + 1, title, body });
  }
  return hints;
}

/** An exercise's hints in `lang`, falling back to English where that language has none. */
export function hintsOf(exerciseId: string, lang: Lang): Hint[] {
  for (const l of lang === 'en' ? ['en' as const] : [lang, 'en' as const]) {
    const file = hintsFile(exerciseId, l);
    if (existsSync(file)) return parseHints(readFileSync(file, 'utf8'));
  }
  return [];
}

/** One hint as the CLI prints it, with how to get the next one (a command, or in watch mode a key). */
export function formatHint(exerciseId: string, hints: Hint[], level: number, lang: Lang, watching = false): string {
  const w = messages(lang).hint;
  const h = hints[level - 1];
  if (!h) return w.none;
  const lines = [w.title(h.level, hints.length, exerciseId, h.title), '', h.body, ''];
  lines.push(level < hints.length ? (watching ? w.nextKey : w.nextCommand(exerciseId, level + 1)) : w.last);
  return lines.join('\n');
}

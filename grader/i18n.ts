/**
 * Texts of the checks in every language of the kit. A check's title and its
 * verdicts are `Text`: a plain string (English only — an exercise not yet
 * translated) or a `Localized` pair made by an exercise's catalogue. The
 * grade resolves them into the learner's language (GradeOptions.lang).
 *
 * An exercise's catalogue (grader/exercises/<id>/messages.ts) holds its words
 * as messages with parameters, one object per language; `vi` has the type of
 * `en`, so a message that exists in one language only does not compile:
 *
 *   const en = { tooLate: (p: { elapsed: string; limit: string }) => `rejected after ${p.elapsed}, …` };
 *   const vi: typeof en = { tooLate: (p) => `reject sau ${p.elapsed}, …` };
 *   export const m = catalogue(en, vi); // m.tooLate({ … }) is a Localized
 *
 * A parameter may itself be Localized (another message, a described process):
 * each language's message receives that language's text.
 */
import type { Lang } from './hints.ts';

export interface Localized {
  en: string;
  vi: string;
}
export type Text = string | Localized;

/**
 * A Localized pair. Said where a string is expected (a template, join()), it
 * reads as its English: a place not yet taught the learner's language still
 * prints words, never "[object Object]". Not enumerable: JSON and the key
 * count see only en and vi.
 */
export function localized(en: string, vi: string): Localized {
  const t = { en, vi };
  Object.defineProperty(t, 'toString', { value: () => en, enumerable: false });
  return t;
}

export const isLocalized = (t: unknown): t is Localized =>
  typeof t === 'object' && t !== null && typeof (t as Localized).en === 'string' && typeof (t as Localized).vi === 'string' && Object.keys(t).length === 2;

/** The text in `lang` (a plain string is English only, and said as it is). */
export function textIn(t: Text, lang: Lang): string {
  return typeof t === 'string' ? t : t[lang];
}

/** A parameter as one language's message sees it: Localized values (one level into arrays and plain objects) become that language's text. */
function argIn(a: unknown, lang: Lang): unknown {
  if (isLocalized(a)) return a[lang];
  if (Array.isArray(a)) return a.map((x) => (isLocalized(x) ? x[lang] : x));
  if (a && typeof a === 'object' && Object.getPrototypeOf(a) === Object.prototype) {
    return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, isLocalized(v) ? v[lang] : v]));
  }
  return a;
}

/** A parameter type that also takes Localized text where the message takes a string. */
type Loose<T> = T extends string ? string | Localized : T extends readonly (infer U)[] ? Array<Loose<U>> : T extends object ? { [K in keyof T]: Loose<T[K]> } : T;

type Messages = Record<string, string | ((...args: never[]) => string)>;

export type Catalogue<C extends Messages> = {
  [K in keyof C]: C[K] extends (...args: infer A) => string ? (...args: { [I in keyof A]: Loose<A[I]> }) => Localized : Localized;
};

/** The messages of `en` and `vi` as one catalogue whose messages return both languages. */
export function catalogue<C extends Messages>(en: C, vi: C): Catalogue<C> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(en)) {
    const e = en[key]!;
    const v = vi[key];
    if (v === undefined) throw new Error(`message ${key} has no Vietnamese text`);
    out[key] =
      typeof e === 'function'
        ? (...args: unknown[]) =>
            localized(
              (e as (...a: unknown[]) => string)(...args.map((a) => argIn(a, 'en'))),
              (v as (...a: unknown[]) => string)(...args.map((a) => argIn(a, 'vi'))),
            )
        : localized(e, v as string);
  }
  return out as Catalogue<C>;
}

/** Texts one after another, in each language (plain strings are the same in both). */
export function join(...parts: Text[]): Localized {
  return localized(parts.map((p) => textIn(p, 'en')).join(''), parts.map((p) => textIn(p, 'vi')).join(''));
}

/** The same words in every language: a code, a number, a quoted error. */
export const same = (s: string): Localized => localized(s, s);

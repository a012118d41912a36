/**
 * Word-level text tools for the quality detectors: folding, content words with a light stem,
 * and the longest run of words two texts share (how much one copies the other).
 */

import { foldQuoteMarks } from '../find-quote.ts';

/** Lower-case words (letters and digits), apostrophes folded away: "China’s" → "chinas". */
export function words(text: string): string[] {
  return (
    foldQuoteMarks(text)
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/'/g, '')
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

// Singular forms: a plural is a stopword when its stem is (contentStems checks both).
const STOPWORDS = new Set(
  (
    'a an the and or but nor of in on at to for from by with as is are was were be been being it its this that these those ' +
    'which who whom whose what when where why how than then there their they them he she his her we our you your i not no ' +
    'do does did has have had can could would should will shall may might must also only more most some any all each such ' +
    'into onto over under about between among against during after before up down out so very if according paper says say ' +
    'said true false statement following complete select apply match put order fill blank item question name country state member group organisation organization new one two three four five other which best describe does did per cent percent'
  ).split(' '),
);

/** A crude stem, enough to meet "bases" with "base" and "countries" with "country". */
export function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(?:ss|sh|ch|x)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) return word.slice(0, -1);
  return word;
}

/** The stems of a text's content words (no stopwords, no one-letter words). */
export function contentStems(text: string): Set<string> {
  return new Set(
    words(text)
      .filter((w) => w.length > 1 && !STOPWORDS.has(w) && !STOPWORDS.has(stem(w)))
      .map(stem),
  );
}

/** Whether `phrase` occurs in `text` as whole words (after folding). */
export function containsPhrase(text: string, phrase: string): boolean {
  const p = words(phrase);
  if (!p.length) return false;
  const t = words(text);
  outer: for (let i = 0; i + p.length <= t.length; i++) {
    for (let j = 0; j < p.length; j++) if (t[i + j] !== p[j]) continue outer;
    return true;
  }
  return false;
}

/** Length in words of the longest run of consecutive words `a` shares with `b`. O(|a|·|b|), texts are short. */
export function longestSharedRun(a: string, b: string): number {
  const x = words(a);
  const y = words(b);
  let best = 0;
  let prev = new Array<number>(y.length + 1).fill(0);
  for (let i = 1; i <= x.length; i++) {
    const row = new Array<number>(y.length + 1).fill(0);
    for (let j = 1; j <= y.length; j++) {
      if (x[i - 1] === y[j - 1]) {
        row[j] = prev[j - 1]! + 1;
        if (row[j]! > best) best = row[j]!;
      }
    }
    prev = row;
  }
  return best;
}

/** Jaccard similarity of two sets (0 when both are empty). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (!a.size && !b.size) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/** A true/false prompt without its "True or false:" lead-in. */
export function statementOf(prompt: string): string {
  return prompt.replace(/^\s*true or false\s*[:?,.-]?\s*/i, '');
}

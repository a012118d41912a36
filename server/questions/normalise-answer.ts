import { expandAcceptedAnswers, foldSpelling, splitNameAndAbbreviation } from './answer-variants.ts';

/**
 * Free-text answers are compared after folding away what a learner should not lose marks for:
 * case, spacing, punctuation (straight or typographic), diacritics and a leading article.
 */

const APOSTROPHES_AND_DOTS = /['\u2018\u2019\u201B\u02BC\u00B4`.]/g;
const OTHER_PUNCTUATION = /[\p{P}\p{S}]/gu;
const LEADING_ARTICLE = /^(?:the|a|an) /;

/** Folds a typed answer to the form in which answers are compared ("The  Warsaw–Pact’s" → "warsaw pacts"). */
export function normaliseAnswer(raw: string): string {
  return (
    raw
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      // Apostrophes and dots vanish ("People's" = "Peoples", "U.S." = "US"); other punctuation,
      // dashes included, separates words ("Warsaw-Pact" = "Warsaw Pact").
      .replace(APOSTROPHES_AND_DOTS, '')
      .replace(OTHER_PUNCTUATION, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(LEADING_ARTICLE, '')
  );
}

/**
 * Optimal-string-alignment distance (Damerau-Levenshtein with adjacent transpositions), stopping
 * early once it exceeds `limit`: grading only ever asks "is it within one edit?".
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const s = [...a];
  const t = [...b];
  let prevPrev: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, prevPrev[j - 2]! + 1);
      row.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > limit) return limit + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[t.length]!;
}

/** Answers shorter than this many letters must be exact: one typo in "Iran" makes "Oman". */
export const TYPO_MIN_LETTERS = 8;

/** How a typed answer matched: exactly (after normalising), within one typo, or not at all. */
export type AnswerMatch = 'exact' | 'typo' | 'none';

/**
 * Compares a typed answer with the accepted ones, forgiving one typo in answers of eight letters
 * or more. An accepted "Full name (ABBR)" also accepts the name alone and the abbreviation alone;
 * a typed "Full name (ABBR)" is right when both of its parts are; British and American spellings
 * are the same ("dialogue" = "dialog").
 */
export function matchAcceptedAnswer(given: string, accepted: readonly string[]): AnswerMatch {
  const fold = (s: string) => foldSpelling(normaliseAnswer(s));
  const typed = fold(given);
  if (typed === '') return 'none';
  const keys = expandAcceptedAnswers(accepted).map(fold);
  const matchOne = (t: string): AnswerMatch => {
    if (keys.includes(t)) return 'exact';
    const letters = (s: string) => (s.match(/\p{L}/gu) ?? []).length;
    return keys.some((k) => letters(k) >= TYPO_MIN_LETTERS && editDistance(t, k, 1) <= 1) ? 'typo' : 'none';
  };
  const whole = matchOne(typed);
  if (whole !== 'none') return whole;
  const split = splitNameAndAbbreviation(given);
  if (!split) return 'none';
  const parts = split.map((p) => matchOne(fold(p)));
  if (parts.includes('none')) return 'none';
  return parts.includes('typo') ? 'typo' : 'exact';
}

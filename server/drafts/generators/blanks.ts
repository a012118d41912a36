import type { Sentence, Span } from '../nlp.ts';
import { replaceSpans, sameThing, spanScore, type DocumentIndex } from '../draft.ts';

const isNamed = (k: Span['kind']) => k === 'person' || k === 'place' || k === 'organisation';

/** The blank learners see in a prompt. */
export const BLANK = '_____';

/** The sentence with one span blanked, in quotation marks, for a prompt. */
export const blanked = (sentence: Sentence, span: Span): string => `“${replaceSpans(sentence, [span], () => BLANK)}”`;

/** Longest prompt a blanked sentence may make; longer sentences are not drafted from. */
export const MAX_SENTENCE = 600;

/**
 * Spans worth blanking in a sentence: informative ones, not a part of a wider span of another kind
 * ("2007" inside "August 2007" is asked as the date), and not a bare abbreviation's first use.
 */
export function blankable(sentence: Sentence, kinds: readonly Span['kind'][], index: DocumentIndex): Span[] {
  if (sentence.text.length > MAX_SENTENCE) return [];
  return sentence.spans.filter(
    (s) =>
      kinds.includes(s.kind) &&
      !index.subject.has(s.text) &&
      // "Central Asia" tagged as "Asia": a name that is only part of a longer name is not blanked.
      !(s.kind === 'place' || s.kind === 'organisation' || s.kind === 'person'
        ? /\S\s+[A-Z][\p{L}’'-]*\s$/u.test(sentence.text.slice(0, s.start - sentence.start))
        : false) &&
      spanScore(s) >= 0.5 &&
      !sentence.spans.some((o) => o !== s && o.start <= s.start && o.end >= s.end && o.end - o.start > s.end - s.start) &&
      // "the World Health Organization (WHO)": the other form beside the blank would give it away.
      !sentence.spans.some((o) => o !== s && isNamed(o.kind) && sameThing(o.text, s.text, index)),
  );
}

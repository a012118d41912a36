/**
 * Same-kind alternatives to a key, drawn from elsewhere in the document: MCQ distractors and the
 * detail a false statement swaps in. An alternative is never also true: it is not the key under
 * another name, it is not in the key's sentence (a list of five countries has no wrong country among
 * the five), a figure differs in value, and the sentence with it swapped in is said nowhere in the document.
 */
import type { Sentence, Span } from '../nlp.ts';
import { fold, replaceSpans, sameThing, type DocumentIndex, type Mention } from '../draft.ts';

const yearOf = (text: string) => /(?:1[6-9]|20)\d\d/.exec(text)?.[0];

/** The form of a date or figure, so "late 1990’s" is not swapped for "August 2007" (the sentence would not read). */
const shape = (text: string) => (/^(?:early|mid|late)/i.test(text) ? 'period' : /\d[’']?s$/.test(text) ? 'decade' : /^\d{1,2}\s/.test(text) ? 'day' : 'plain');

/** Whether swapping `span` of `sentence` for `alt` could still make a true statement. */
function alsoTrue(alt: Mention, span: Span, sentence: Sentence, index: DocumentIndex): boolean {
  if (sameThing(alt.text, span.text, index)) return true;
  if (span.value !== undefined && alt.value === span.value) return true;
  const fs = fold(sentence.text);
  const fa = fold(alt.text);
  // Folding drops apostrophes, so "Russia’s" in the sentence is "russias".
  if (!fa || ` ${fs} `.includes(` ${fa} `) || ` ${fs} `.includes(` ${fa}s `)) return true;
  // "June 2001" and "15 June 2001" are the same date at two precisions.
  if (span.kind === 'date' && (fa.includes(fold(span.text)) || fold(span.text).includes(fa))) return true;
  if (span.kind === 'date' && yearOf(alt.text) === yearOf(span.text) && /^(?:early|mid|late)/i.test(alt.text + span.text)) return true;
  const swapped = fold(replaceSpans(sentence, [span], () => alt.text));
  return index.folded.includes(` ${swapped} `);
}

/** Alternatives of the key's kind (and place sub-kind), nearest in length first, random among equals. */
export function alternativesFor(span: Span, sentence: Sentence, index: DocumentIndex, random: () => number): Mention[] {
  const pool = (index.mentions.get(span.kind) ?? []).filter(
    (m) => (span.kind !== 'place' || m.sub === span.sub) && shape(m.text) === shape(span.text) && !alsoTrue(m, span, sentence, index),
  );
  // Keep one form of each thing: "WHO" and "World Health Organization" are one distractor.
  const distinct: Mention[] = [];
  for (const m of pool) if (!distinct.some((d) => sameThing(d.text, m.text, index))) distinct.push(m);
  return distinct
    .map((m) => ({ m, d: Math.abs(m.text.length - span.text.length) + random() * 4 }))
    .sort((a, b) => a.d - b.d)
    .map((x) => x.m);
}

/** Up to `n` distractors; at least one as long as the key when the document has one, so length gives nothing away. */
export function distractorsFor(span: Span, sentence: Sentence, index: DocumentIndex, random: () => number, n = 3): Mention[] {
  const alts = alternativesFor(span, sentence, index, random);
  const picked = alts.slice(0, n);
  if (picked.length === n && picked.every((m) => m.text.length < span.text.length)) {
    const longer = alts.slice(n).find((m) => m.text.length >= span.text.length);
    if (longer) picked[n - 1] = longer;
  }
  return picked;
}

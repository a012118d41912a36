import type { Span } from '../nlp.ts';
import { explanationFrom, hashOf, sentenceScore, spanScore, suggestDifficulty, suggestLevel, suggestTopics, type Draft, type SentenceInput } from '../draft.ts';
import { blankable, blanked } from './blanks.ts';

/** Words before a figure that say the document rounds it ("some 8%", "about 300", "nearly half"). */
const HEDGE =
  /\b(?:some|about|around|approximately|roughly|nearly|almost|over|more than|less than|fewer than|up to|close to|an estimated|estimated|circa|c\.)\s*$/i;

/** The tolerance a figure deserves: none when exact, a tenth of it (at least 1) where the document rounds. */
export function toleranceFor(span: Span, before: string): number {
  if (!HEDGE.test(before)) return 0;
  const v = Math.abs(span.value ?? 0);
  return span.kind === 'year' ? 1 : Math.max(1, Math.round(v * 0.1));
}

/** Numeric drafts: a year, count or percentage blanked and answered as a number. A decade ("1990’s") is not a year to type. */
export function numericDrafts(input: SentenceInput): Draft[] {
  const { passage, sentence, index } = input;
  return blankable(sentence, ['year', 'number', 'percent'], index)
    .filter((s) => s.value !== undefined && !/s$/.test(s.text))
    .map((span) => {
      const key = hashOf('numeric', passage.id, sentence.text, span.text);
      const what = span.kind === 'year' ? 'year' : span.kind === 'percent' ? 'percentage' : 'number';
      return {
        key,
        kind: 'numeric',
        passageId: passage.id,
        sectionTitle: passage.sectionTitle,
        terms: [span.text],
        informativeness: Math.min(1, sentenceScore(sentence) * 0.6 + spanScore(span) * 0.4),
        question: {
          id: `d-${key}`,
          type: 'numeric',
          prompt: `What ${what} completes this statement from the document? ${blanked(sentence, span)}`,
          answer: span.value!,
          tolerance: toleranceFor(span, passage.text.slice(Math.max(0, span.start - 20), span.start)),
          ...(span.kind === 'percent' ? { unit: '%' } : {}),
          topics: suggestTopics(passage.sectionTitle, [span.text], span.kind),
          difficulty: suggestDifficulty(sentence.text, span.kind),
          level: suggestLevel(sentence.text),
          source: { passageId: passage.id, quote: sentence.text },
          explanation: explanationFrom(sentence.text, passage.sectionTitle),
        },
      };
    });
}

import { longestSharedRun } from '../../banks/quality/text.ts';
import { COPY_RUN } from '../../banks/quality/true-false-copy.ts';
import {
  explanationFrom,
  hashOf,
  replaceSpans,
  sentenceScore,
  spanScore,
  suggestDifficulty,
  suggestLevel,
  suggestTopics,
  type Draft,
  type SentenceInput,
} from '../draft.ts';
import { blankable } from './blanks.ts';
import { alternativesFor } from './alternatives.ts';

/**
 * True/false drafts, as a pair: the sentence as written, and the same sentence with one detail
 * swapped for another of its kind from the document. Both are the paper's wording, so neither
 * "sounds like the paper" more than the other (the quality report's true-false-copy check):
 * a pair is kept only when both copy at least COPY_RUN words, or neither does.
 */
export function trueFalseDrafts(input: SentenceInput): Draft[] {
  const { passage, sentence, index, random } = input;
  // "It …", "This was followed by …": a statement judged alone must say what it is about.
  if (/^(?:It|Its|This|These|That|Those|They|Their|Such|He|She)\b/.test(sentence.text)) return [];
  const spans = blankable(sentence, ['person', 'place', 'organisation', 'date', 'year', 'percent', 'number'], index).sort(
    (a, b) => spanScore(b) - spanScore(a),
  );
  for (const span of spans) {
    const swap = alternativesFor(span, sentence, index, random)[0];
    if (!swap) continue;
    const statement = sentence.text;
    const changed = replaceSpans(sentence, [span], () => swap.text);
    const copies = (s: string) => longestSharedRun(s, passage.text) >= COPY_RUN;
    if (copies(statement) !== copies(changed)) continue;
    const pairKey = hashOf('truefalse', passage.id, sentence.text, span.text);
    const base = {
      kind: 'truefalse' as const,
      passageId: passage.id,
      sectionTitle: passage.sectionTitle,
      terms: [span.text],
      informativeness: Math.min(1, sentenceScore(sentence) * 0.6 + spanScore(span) * 0.4) - 0.05,
      pairKey,
    };
    const meta = {
      topics: suggestTopics(passage.sectionTitle, [span.text], span.kind),
      difficulty: suggestDifficulty(sentence.text, span.kind),
      level: suggestLevel(sentence.text),
      source: { passageId: passage.id, quote: sentence.text },
    };
    const trueKey = hashOf(pairKey, 'true');
    const falseKey = hashOf(pairKey, 'false', swap.text);
    return [
      {
        ...base,
        key: trueKey,
        question: {
          id: `d-${trueKey}`,
          type: 'truefalse',
          answer: true,
          prompt: `True or false: ${statement}`,
          ...meta,
          explanation: `True. ${explanationFrom(statement, passage.sectionTitle)}`,
        },
      },
      {
        ...base,
        key: falseKey,
        question: {
          id: `d-${falseKey}`,
          type: 'truefalse',
          answer: false,
          prompt: `True or false: ${changed}`,
          ...meta,
          explanation: `False: the document names ${span.text}, not ${swap.text}. ${explanationFrom(statement, passage.sectionTitle)}`,
        },
      },
    ];
  }
  return [];
}

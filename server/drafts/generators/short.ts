import {
  explanationFrom,
  hashOf,
  kindWord,
  sentenceScore,
  spanScore,
  suggestDifficulty,
  suggestLevel,
  suggestTopics,
  variantsOf,
  type Draft,
  type SentenceInput,
} from '../draft.ts';
import { blankable, blanked } from './blanks.ts';

/** Short-answer drafts: a name or date blanked, answered in words; every form the document uses is accepted. */
export function shortDrafts(input: SentenceInput): Draft[] {
  const { passage, sentence, index } = input;
  return blankable(sentence, ['person', 'place', 'organisation', 'date'], index).map((span) => {
    const key = hashOf('short', passage.id, sentence.text, span.text);
    return {
      key,
      kind: 'short',
      passageId: passage.id,
      sectionTitle: passage.sectionTitle,
      terms: [span.text],
      informativeness: Math.min(1, sentenceScore(sentence) * 0.6 + spanScore(span) * 0.4),
      question: {
        id: `d-${key}`,
        type: 'short',
        prompt: `Which ${kindWord(span.kind)} completes this statement from the document? ${blanked(sentence, span)}`,
        answers: variantsOf(span.text, index),
        topics: suggestTopics(passage.sectionTitle, [span.text], span.kind),
        difficulty: suggestDifficulty(sentence.text, span.kind),
        level: suggestLevel(sentence.text),
        source: { passageId: passage.id, quote: sentence.text },
        explanation: explanationFrom(sentence.text, passage.sectionTitle),
      },
    };
  });
}

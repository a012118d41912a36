import { shuffle } from '../../questions/random.ts';
import {
  explanationFrom,
  hashOf,
  kindWord,
  sentenceScore,
  spanScore,
  suggestDifficulty,
  suggestLevel,
  suggestTopics,
  type Draft,
  type SentenceInput,
} from '../draft.ts';
import { blankable, blanked } from './blanks.ts';
import { distractorsFor } from './alternatives.ts';

const IDS = ['a', 'b', 'c', 'd'];

/** Multiple-choice drafts: the key and three distractors of its kind from elsewhere in the document, none also true. */
export function mcqDrafts(input: SentenceInput): Draft[] {
  const { passage, sentence, index, random } = input;
  return blankable(sentence, ['person', 'place', 'organisation', 'date', 'year', 'percent', 'number'], index).flatMap((span) => {
    const distractors = distractorsFor(span, sentence, index, random);
    if (distractors.length < 3) return [];
    const texts = shuffle([span.text, ...distractors.map((d) => d.text)], random);
    const choices = texts.map((text, i) => ({ id: IDS[i]!, text }));
    const key = hashOf('mcq', passage.id, sentence.text, span.text);
    return [
      {
        key,
        kind: 'mcq' as const,
        passageId: passage.id,
        sectionTitle: passage.sectionTitle,
        terms: [span.text],
        informativeness: Math.min(1, sentenceScore(sentence) * 0.6 + spanScore(span) * 0.4),
        question: {
          id: `d-${key}`,
          type: 'mcq' as const,
          prompt: `Which ${kindWord(span.kind)} completes this statement from the document? ${blanked(sentence, span)}`,
          choices,
          answer: choices.find((c) => c.text === span.text)!.id,
          topics: suggestTopics(passage.sectionTitle, [span.text], span.kind),
          difficulty: suggestDifficulty(sentence.text, span.kind),
          level: suggestLevel(sentence.text),
          source: { passageId: passage.id, quote: sentence.text },
          explanation: explanationFrom(sentence.text, passage.sectionTitle),
        },
      },
    ];
  });
}

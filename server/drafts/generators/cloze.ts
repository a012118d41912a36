import type { Span } from '../nlp.ts';
import {
  explanationFrom,
  hashOf,
  replaceSpans,
  sentenceScore,
  spanScore,
  suggestDifficulty,
  suggestLevel,
  suggestTopics,
  variantsOf,
  type Draft,
  type SentenceInput,
} from '../draft.ts';
import { blankable } from './blanks.ts';

const KINDS = ['person', 'place', 'organisation', 'date', 'year', 'number', 'percent'] as const;

/** Spans of one kind listed one after another ("China, Russia, Kazakhstan and Tajikistan"): three or more. */
function lists(input: SentenceInput): Span[][] {
  const spans = input.sentence.spans;
  const out: Span[][] = [];
  let run: Span[] = [];
  const gap = (a: Span, b: Span) => input.passage.text.slice(a.end, b.start);
  for (const s of spans) {
    const last = run[run.length - 1];
    if (last && last.kind === s.kind && /^(?:,\s*|,?\s+and\s+|,?\s+or\s+)$/.test(gap(last, s))) run.push(s);
    else {
      if (run.length >= 3) out.push(run);
      run = [s];
    }
  }
  if (run.length >= 3) out.push(run);
  return out;
}

/** Cloze drafts: each key term or figure blanked alone, and each list blanked item by item. */
export function clozeDrafts(input: SentenceInput): Draft[] {
  const { passage, sentence, index } = input;
  const make = (spans: Span[]): Draft => {
    const text = replaceSpans(sentence, spans, (_s, i) => `{{${i + 1}}}`);
    const ordered = [...spans].sort((a, b) => a.start - b.start);
    const kind = ordered[0]!.kind;
    return {
      key: hashOf('cloze', passage.id, sentence.text, ...ordered.map((s) => s.text)),
      kind: 'cloze',
      passageId: passage.id,
      sectionTitle: passage.sectionTitle,
      terms: ordered.map((s) => s.text),
      informativeness: Math.min(
        1,
        sentenceScore(sentence) * 0.6 + (ordered.reduce((n, s) => n + spanScore(s), 0) / ordered.length) * 0.4 + (ordered.length > 1 ? 0.1 : 0),
      ),
      question: {
        id: `d-${hashOf('cloze', passage.id, sentence.text, ...ordered.map((s) => s.text))}`,
        type: 'cloze',
        prompt: ordered.length > 1 ? `Complete the list from “${passage.sectionTitle}”.` : `Complete the sentence from “${passage.sectionTitle}”.`,
        text,
        blanks: ordered.map((s) => ({ answers: variantsOf(s.text, index) })),
        topics: suggestTopics(
          passage.sectionTitle,
          ordered.map((s) => s.text),
          kind,
        ),
        difficulty: suggestDifficulty(sentence.text, kind, ordered.length),
        level: suggestLevel(sentence.text),
        source: { passageId: passage.id, quote: sentence.text },
        explanation: explanationFrom(sentence.text, passage.sectionTitle),
      },
    };
  };
  const listDrafts = lists(input).map((l) => make(l.slice(0, 10)));
  const inLists = new Set(listDrafts.flatMap((d) => d.terms));
  const singles = blankable(sentence, KINDS, index)
    .filter((s) => !inLists.has(s.text))
    .map((s) => make([s]));
  return [...listDrafts, ...singles];
}

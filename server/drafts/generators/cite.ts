import type { Sentence } from '../nlp.ts';
import type { SourcePassage } from '../draft.ts';

/** The longest quote a source reference takes (server/questions/definition.ts). */
const MAX_QUOTE = 1000;

/** One part of a several-part draft (a pair, an event) and the sentence of the document it comes from. */
export interface SourcedPart {
  passage: SourcePassage;
  sentence: Sentence;
}

/**
 * Where a draft built from several sentences cites: a question cites one passage and one verbatim
 * quote, so it cites the passage holding most of its parts and quotes the run of that passage from
 * the first of their sentences to the last (the most of them a quote of 1,000 characters can hold).
 * `covered` are the parts the quote proves; the explanation quotes every sentence.
 */
export function citeMost<T extends SourcedPart>(parts: readonly T[]): { passage: SourcePassage; quote: string; covered: T[] } {
  const byPassage = new Map<string, T[]>();
  for (const p of parts) (byPassage.get(p.passage.id) ?? byPassage.set(p.passage.id, []).get(p.passage.id)!).push(p);
  let best: { passage: SourcePassage; quote: string; covered: T[] } | null = null;
  for (const group of byPassage.values()) {
    const sorted = [...group].sort((a, b) => a.sentence.start - b.sentence.start);
    // The widest window of consecutive parts whose span fits in one quote.
    for (let i = 0; i < sorted.length; i++) {
      for (let j = sorted.length - 1; j >= i; j--) {
        const start = sorted[i]!.sentence.start;
        const end = Math.max(...sorted.slice(i, j + 1).map((p) => p.sentence.end));
        if (end - start > MAX_QUOTE) continue;
        const covered = sorted.slice(i, j + 1);
        if (!best || covered.length > best.covered.length) best = { passage: sorted[i]!.passage, quote: sorted[i]!.passage.text.slice(start, end), covered };
        break;
      }
    }
  }
  // Only a single sentence over 1,000 characters fits no window: quote its opening.
  return best ?? { passage: parts[0]!.passage, quote: parts[0]!.sentence.text.slice(0, MAX_QUOTE).trim(), covered: [] };
}

/**
 * Drafting, pure: passages in, candidate drafts out. No I/O; randomness comes from a seed, so the
 * same document gives the same drafts (and a rejected draft's key is met again next run).
 */
import { seededRandom } from '../questions/random.ts';
import { buildIndex } from './build-index.ts';
import type { DocumentIndex, Draft, SentenceInput, SourcePassage } from './draft.ts';
import { clozeDrafts } from './generators/cloze.ts';
import { shortDrafts } from './generators/short.ts';
import { numericDrafts } from './generators/numeric.ts';
import { mcqDrafts } from './generators/mcq.ts';
import { trueFalseDrafts } from './generators/truefalse.ts';
import { matchingDrafts } from './generators/matching.ts';
import { orderingDrafts } from './generators/ordering.ts';

const SENTENCE_GENERATORS = [clozeDrafts, shortDrafts, numericDrafts, mcqDrafts, trueFalseDrafts];

/** Every candidate for a document (before ranking); `onPassage` reports progress. */
export function candidateDrafts(
  passages: readonly SourcePassage[],
  options: { seed?: number; onPassage?: (done: number, of: number) => void; index?: DocumentIndex } = {},
): Draft[] {
  const index = options.index ?? buildIndex(passages);
  const random = seededRandom(options.seed ?? 1);
  const out: Draft[] = [];
  index.passages.forEach((passage, i) => {
    for (const sentence of index.sentences.get(passage.id) ?? []) {
      const input: SentenceInput = { passage, sentence, index, random };
      for (const g of SENTENCE_GENERATORS) out.push(...g(input));
    }
    options.onPassage?.(i + 1, index.passages.length);
  });
  out.push(...matchingDrafts(index), ...orderingDrafts(index));
  return out;
}

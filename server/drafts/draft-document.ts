import type { QuestionDefinition } from '../questions/definition.ts';
import { buildIndex } from './build-index.ts';
import type { SourcePassage } from './draft.ts';
import { candidateDrafts } from './generate.ts';
import { rankDrafts, type RankedDraft } from './rank.ts';

export interface DraftDocumentOptions {
  /** Only passages of these sections (titles); all when absent. */
  sections?: readonly string[];
  existing?: readonly QuestionDefinition[];
  rejected?: ReadonlySet<string>;
  limit?: number;
  seed?: number;
  onProgress?: (done: number, of: number) => void;
}

/** Drafts for a document, ranked and spread: the whole pure pipeline, passages in, queue out. */
export function draftDocument(passages: readonly SourcePassage[], options: DraftDocumentOptions = {}): RankedDraft[] {
  // The index reads the whole document (distractors come from anywhere in it); drafting keeps to the chosen sections.
  const index = buildIndex(passages);
  const wanted = options.sections ? new Set(options.sections) : null;
  const scoped = wanted ? { ...index, passages: index.passages.filter((p) => wanted.has(p.sectionTitle)) } : index;
  const candidates = candidateDrafts(passages, { index: scoped, seed: options.seed, onPassage: options.onProgress });
  return rankDrafts(candidates, passages, { existing: options.existing, rejected: options.rejected, limit: options.limit });
}

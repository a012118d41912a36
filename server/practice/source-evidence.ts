import { findSource, highlightQuote, type TextPiece } from '../sources/index.ts';
import type { QuestionDefinition } from '../questions/definition.ts';

/** The passage that supports a question's answer, with its quote marked, and the link that opens it in the paper. */
export interface SourceEvidence {
  sourceId: string;
  sourceTitle: string;
  passageId: string;
  sectionTitle: string;
  pieces: TextPiece[];
  quote: string;
  /** `/sources/<id>?passage=…&quote=…#<passageId>` */
  href: string;
}

/** Finds a question's passage in its source; null when the source or passage is missing (the page still renders). */
export async function sourceEvidence(sourceId: string, def: QuestionDefinition): Promise<SourceEvidence | null> {
  const source = await findSource(sourceId);
  const passage = source?.passages.find((p) => p.id === def.source.passageId);
  if (!source || !passage) return null;
  const query = new URLSearchParams({ passage: passage.id, quote: def.source.quote });
  return {
    sourceId,
    sourceTitle: source.title,
    passageId: passage.id,
    sectionTitle: passage.sectionTitle,
    pieces: highlightQuote(passage.text, def.source.quote),
    quote: def.source.quote,
    href: `/sources/${encodeURIComponent(sourceId)}?${query.toString()}#${passage.id}`,
  };
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SHIPPED_SOURCES, shippedHeadings } from '../../seed/seed-database.ts';
import { splitSource } from '../../server/sources/passages.ts';
import type { SourcePassage } from '../../server/drafts/draft.ts';

/** The passages of every shipped source, as server/sources splits them (no database needed). */
export function shippedPassages(): Array<{ id: string; passages: SourcePassage[] }> {
  return SHIPPED_SOURCES.map((s) => ({
    id: s.id,
    passages: splitSource(readFileSync(path.join(import.meta.dirname, '../../seed', s.file), 'utf8'), shippedHeadings(s)).passages,
  }));
}

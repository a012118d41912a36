import { Source } from './model.ts';
import { passageHash, splitSource, type HeadingMap, type Passage, type SourceSection } from './passages.ts';
import { NotFoundError } from '../http/errors.ts';
import { sharedRead } from '../db-batch.ts';

export interface SourceView {
  id: string;
  title: string;
  description: string;
  sections: SourceSection[];
  passages: Passage[];
}

/** Stores a source split into passages; unchanged text is left alone. Returns whether it changed. */
export async function upsertSource(input: { id: string; title: string; description: string; raw: string; headings: HeadingMap }): Promise<boolean> {
  const { sections, passages } = splitSource(input.raw, input.headings);
  const hash = passageHash(passages.map((p) => p.hash).join(':') + input.title + input.description);
  const existing = await Source.findById(input.id, { hash: 1 }).lean();
  if (existing?.hash === hash) return false;
  await Source.updateOne(
    { _id: input.id },
    { $set: { title: input.title, description: input.description, sections, passages, hash } },
    { upsert: true },
  );
  return true;
}

type SourceDoc = NonNullable<Awaited<ReturnType<typeof readSources>>>[number];

function readSources(ids: string[]) {
  return Source.find({ _id: { $in: ids } }).lean();
}

/**
 * Sources by id: a paper is tens of kilobytes, and the pages that cite it (feedback, card
 * backs, progress) ask for the same one at once; one read serves the requests that ask together.
 * Callers share the document, so they only read it.
 */
const sourceById = sharedRead<string, SourceDoc | null>(
  async (ids) => new Map((await readSources(ids)).map((doc) => [String(doc._id), doc])),
  (id) => id,
  null,
);

/** A source with its passages, for the source page and for checking quotes. */
export async function getSource(id: string): Promise<SourceView> {
  const doc = await sourceById(id);
  if (!doc) throw new NotFoundError('We could not find that source document.');
  return {
    id: String(doc._id),
    title: doc.title,
    description: doc.description ?? '',
    sections: (doc.sections ?? []).map((s) => ({ slug: s.slug ?? '', title: s.title ?? '' })),
    passages: doc.passages as Passage[],
  };
}

/** The passages of a source by id. */
export async function passageMap(sourceId: string): Promise<Map<string, Passage>> {
  const source = await getSource(sourceId);
  return new Map(source.passages.map((p) => [p.id, p]));
}

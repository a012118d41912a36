import { Source, type SourceDoc } from './model.ts';
import { passageHash, splitSource, type HeadingMap, type Passage, type SourceSection } from './passages.ts';
import { NotFoundError } from '../http/errors.ts';
import { sharedRead } from '../db-batch.ts';
import type { PassageChange } from './versions.ts';
import type { SourceCaller } from './add-source.ts';

export interface SourceView {
  id: string;
  title: string;
  description: string;
  sections: SourceSection[];
  /** The passages of the current version (removed ones left out). */
  passages: Passage[];
  ownerId: string | null;
  format: string;
  version: number;
  guesses: string[];
}

/** Stores a source split into passages; unchanged text is left alone. Returns whether it changed. */
export async function upsertSource(input: { id: string; title: string; description: string; raw: string; headings: HeadingMap }): Promise<boolean> {
  const { sections, passages } = splitSource(input.raw, input.headings);
  const hash = passageHash(passages.map((p) => p.hash).join(':') + input.title + input.description);
  const existing = await Source.findById(input.id, { hash: 1 }).lean();
  if (existing?.hash === hash) return false;
  await Source.updateOne({ _id: input.id }, { $set: { title: input.title, description: input.description, sections, passages, hash } }, { upsert: true });
  return true;
}

function readSources(ids: string[]) {
  return Source.find({ _id: { $in: ids } }).lean<SourceDoc[]>();
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
  const source = await findSource(id);
  if (!source) throw new NotFoundError('We could not find that source document.');
  return source;
}

/** A source with its passages, or null when there is none (a database error still throws). */
export async function findSource(id: string): Promise<SourceView | null> {
  const doc = await sourceById(id);
  if (!doc) return null;
  return {
    id: String(doc._id),
    title: doc.title,
    description: doc.description ?? '',
    sections: (doc.sections ?? []).map((s) => ({ slug: s.slug ?? '', title: s.title ?? '' })),
    passages: doc.passages.filter((p) => !p.removed),
    ownerId: doc.ownerId ?? null,
    format: doc.format ?? 'text',
    version: doc.version ?? 1,
    guesses: doc.guesses ?? [],
  };
}

/** The passages of any source's current version, in order (removed ones left out). */
export async function passagesOf(sourceId: string): Promise<Passage[]> {
  return (await getSource(sourceId)).passages;
}

/** One passage by id, removed ones included, so what cites an old passage still reads it; null when unknown. */
export async function passageById(sourceId: string, passageId: string): Promise<Passage | null> {
  const doc = await sourceById(sourceId);
  return (doc?.passages ?? []).find((p) => p.id === passageId) ?? null;
}

/** What the latest version changed or removed, old and new text side by side (for flagging questions). */
export async function changedPassages(sourceId: string): Promise<PassageChange[]> {
  const doc = await sourceById(sourceId);
  return (doc?.changes ?? []).map((c) => ({ passageId: c.passageId, change: c.change, oldText: c.oldText, newText: c.newText ?? '' }));
}

/**
 * The sources a caller may read, by title: those Lectern ships, their own, all for an admin, and
 * the ones given (the sources of banks shared with them, which the banks feature knows).
 */
export async function listSources(
  caller: SourceCaller,
  alsoIds: string[] = [],
): Promise<Array<{ id: string; title: string; passages: number; version: number; mine: boolean }>> {
  const filter = caller.role === 'admin' ? {} : { $or: [{ ownerId: null }, { ownerId: caller.id }, { _id: { $in: alsoIds } }] };
  const docs = await Source.find(filter, { title: 1, ownerId: 1, version: 1, passages: 1 })
    .sort({ title: 1 })
    .lean<Pick<SourceDoc, '_id' | 'title' | 'ownerId' | 'version' | 'passages'>[]>();
  return docs.map((d) => ({
    id: String(d._id),
    title: d.title,
    passages: d.passages.filter((p) => !p.removed).length,
    version: d.version ?? 1,
    mine: d.ownerId === caller.id,
  }));
}

/** Start-up migration: sources stored before owners and versions existed are Lectern's own, version 1. */
export async function migrateSources(): Promise<number> {
  const res = await Source.updateMany({ ownerId: { $exists: false } }, { $set: { ownerId: null, format: 'text', version: 1, guesses: [], changes: [] } });
  return res.modifiedCount;
}

/** The passages of a source's current version by id. */
export async function passageMap(sourceId: string): Promise<Map<string, Passage>> {
  const source = await getSource(sourceId);
  return new Map(source.passages.map((p) => [p.id, p]));
}

/** Every source by id and title, for choosing one (the new-bank form). */
export async function sourceTitles(): Promise<{ id: string; title: string }[]> {
  const docs = await Source.find({}, { title: 1 }).sort({ title: 1 }).lean();
  return docs.map((d) => ({ id: String(d._id), title: d.title }));
}

/** Whether a source with this id is stored. */
export async function sourceExists(id: string): Promise<boolean> {
  return Boolean(await Source.exists({ _id: id }));
}

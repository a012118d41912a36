import { randomUUID } from 'node:crypto';
import { Source, type SourceDoc } from './model.ts';
import { passageHash, type Passage, type SourceSection } from './passages.ts';
import { extractDocument, SourceFileError, type ExtractInput, type ProgressFn, type SourceFormat, type SplitDocument } from './extract/index.ts';
import { carryOver, type PassageChange } from './versions.ts';
import { readOffThread } from './read-off-thread.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../http/errors.ts';

/** Who is asking, as far as sources care (the accounts feature's Caller fits). */
export interface SourceCaller {
  id: string;
  role: string;
}

export interface SourceLimits {
  maxBytes: number;
  maxPages: number;
  maxPassages: number;
}

/** Instructors and admins add sources; the rule is accounts' canAuthor, restated on the shape sources see. */
export function canAddSource(caller: SourceCaller): boolean {
  return caller.role === 'instructor' || caller.role === 'admin';
}

/**
 * Who may read a source: its owner, admins, anyone when Lectern ships it (no owner), and the
 * callers the banks feature says study a bank citing it (passed in: banks sit above sources).
 */
export function canReadSource(caller: SourceCaller, source: { ownerId: string | null }, studiesABankCitingIt = false): boolean {
  return source.ownerId === null || source.ownerId === caller.id || caller.role === 'admin' || studiesABankCitingIt;
}

function checkSize(input: ExtractInput, limits: SourceLimits): void {
  if (input.bytes.byteLength > limits.maxBytes) {
    throw new SourceFileError(
      `This file is ${(input.bytes.byteLength / 1048576).toFixed(1)} MB; Lectern takes files up to ${(limits.maxBytes / 1048576).toFixed(1)} MB.`,
    );
  }
}

/** Reads a document under the configured limits, writing nothing: the preview and the save both start here. */
export async function readSourceFile(input: ExtractInput, limits: SourceLimits, progress?: ProgressFn): Promise<SplitDocument> {
  checkSize(input, limits);
  return extractDocument(input, limits, progress);
}

/** As readSourceFile, in a worker thread (what the upload page uses): see readOffThread. */
export async function readSourceFileOffThread(
  input: ExtractInput,
  limits: SourceLimits & { timeoutMs: number },
  progress?: ProgressFn,
): Promise<SplitDocument> {
  checkSize(input, limits);
  return readOffThread(input, limits, { timeoutMs: limits.timeoutMs, progress });
}

const sourceHash = (passages: Passage[], title: string, description: string) => passageHash(passages.map((p) => p.hash).join(':') + title + description);

function checkTitle(title: string): string {
  const t = title.replace(/\s+/g, ' ').trim();
  if (!t || t.length > 200)
    throw new ValidationError('Give the source a title (at most 200 characters).', { title: 'Give the source a title (at most 200 characters).' });
  return t;
}

/**
 * Adds a document as a new source, owned by the caller (null: shipped with Lectern). Nothing is
 * written unless the whole document was read. Returns the new source's id.
 */
export async function addSource(
  caller: SourceCaller | null,
  input: ExtractInput & { title?: string; description?: string; id?: string },
  limits: SourceLimits,
  progress?: ProgressFn,
): Promise<string> {
  if (caller && !canAddSource(caller)) throw new ForbiddenError('Only instructors add sources.');
  const doc = await readSourceFile(input, limits, progress);
  return storeSource(caller, doc, input);
}

/** Stores a document already read (the preview's), as a new source owned by the caller. */
export async function storeSource(
  caller: SourceCaller | null,
  doc: SplitDocument,
  input: { format: SourceFormat; title?: string; description?: string; id?: string },
): Promise<string> {
  if (caller && !canAddSource(caller)) throw new ForbiddenError('Only instructors add sources.');
  const title = checkTitle(input.title || doc.title || '');
  const description = (input.description ?? '').trim().slice(0, 1000);
  const id = input.id ?? randomUUID();
  await Source.create({
    _id: id,
    title,
    description,
    sections: doc.sections,
    passages: doc.passages,
    hash: sourceHash(doc.passages, title, description),
    ownerId: caller?.id ?? null,
    format: input.format,
    version: 1,
    guesses: doc.guesses,
    changes: [],
  });
  return id;
}

/** The section slugs a new version of a source keeps by title, so its ids stay put. */
export async function versionHeadings(sourceId: string): Promise<SourceSection[]> {
  const old = await Source.findById(sourceId, { sections: 1 }).lean();
  if (!old) throw new NotFoundError('We could not find that source document.');
  return (old.sections ?? []).map((s) => ({ slug: s.slug ?? '', title: s.title ?? '' }));
}

/**
 * Stores a new version of a source: unchanged passages keep their ids, changed ones are matched
 * to their old selves, removed ones stay marked removed (see carryOver). Headings keep their old
 * slugs by title. Returns what changed; an identical version changes nothing.
 */
export async function addVersion(
  caller: SourceCaller | null,
  sourceId: string,
  input: ExtractInput,
  limits: SourceLimits,
  progress?: ProgressFn,
): Promise<{ changed: boolean; changes: PassageChange[] }> {
  const sections = await versionHeadings(sourceId);
  const doc = await readSourceFile({ ...input, headingSlugs: [...(input.headingSlugs ?? []), ...sections] }, limits, progress);
  return storeVersion(caller, sourceId, doc, input.format);
}

/** Stores a document already read (with versionHeadings) as the next version of a source. */
export async function storeVersion(
  caller: SourceCaller | null,
  sourceId: string,
  doc: SplitDocument,
  format: SourceFormat,
): Promise<{ changed: boolean; changes: PassageChange[] }> {
  const old = await Source.findById(sourceId).lean<SourceDoc>();
  if (!old) throw new NotFoundError('We could not find that source document.');
  if (caller && old.ownerId !== caller.id && caller.role !== 'admin') throw new ForbiddenError('Only the owner of a source uploads new versions of it.');
  const sections = (old.sections ?? []).map((s) => ({ slug: s.slug ?? '', title: s.title ?? '' }));
  const { passages, changes } = carryOver(old.passages, doc.passages);
  const hash = sourceHash(passages, old.title, old.description ?? '');
  if (hash === old.hash) return { changed: false, changes: [] };
  const kept: SourceSection[] = [
    ...doc.sections,
    ...sections.filter((s) => !doc.sections.some((d) => d.slug === s.slug) && passages.some((p) => p.section === s.slug)),
  ];
  await Source.updateOne(
    { _id: sourceId, hash: old.hash },
    { $set: { sections: kept, passages, hash, format, guesses: doc.guesses, changes }, $inc: { version: 1 } },
  );
  return { changed: true, changes };
}

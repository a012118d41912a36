/**
 * The approval queue of a source: who may draft it, starting a drafting run (in a worker thread,
 * its result stored as pending drafts), and the queue as its page shows it.
 */
import type { Caller } from '../accounts/index.ts';
import { findQuestions, listBanks, type BankSummary } from '../banks/index.ts';
import { getSource, type SourceView } from '../sources/index.ts';
import { ForbiddenError, ValidationError } from '../http/errors.ts';
import type { QuestionDefinition } from '../questions/definition.ts';
import { DraftRecord, type DraftDoc } from './model.ts';
import { draftFingerprint } from './fingerprint.ts';
import { draftInWorker, type DraftWorkerLimits } from './run-in-worker.ts';
import type { RankedDraft } from './rank.ts';
import type { DraftRuns, RunStatus } from './runs.ts';

/**
 * Who may draft a source, see its queue and decide its drafts: whoever may upload new versions of
 * it (its owner, or an admin; a shipped source is the admins'), the rule server/sources applies.
 */
export function mayDraft(caller: Caller, source: Pick<SourceView, 'ownerId'>): boolean {
  if (caller.role === 'admin') return true;
  return caller.role === 'instructor' && source.ownerId !== null && source.ownerId === caller.id;
}

/** The source, when the caller may draft it (404 unknown, 403 someone else's). */
export async function draftableSource(caller: Caller, sourceId: string): Promise<SourceView> {
  const source = await getSource(sourceId);
  if (!mayDraft(caller, source)) throw new ForbiddenError('Only the owner of a source drafts questions from it.');
  return source;
}

/** The banks the caller may edit that are built on the source: where its drafts may go. */
export async function targetBanks(caller: Caller, sourceId: string): Promise<BankSummary[]> {
  return (await listBanks(caller)).filter((b) => b.canEdit && b.sourceIds.includes(sourceId));
}

/** Questions the caller's banks already ask of this source: drafts asking the same are dropped. */
async function existingQuestions(caller: Caller, sourceId: string): Promise<QuestionDefinition[]> {
  const banks = await targetBanks(caller, sourceId);
  const lists = await Promise.all(banks.map((b) => findQuestions(b.id, { sourceId })));
  return lists.flat().map((q) => q.definition);
}

/** Stores a run's drafts: the pending drafts of its sections are replaced; decided ones are never offered again. */
export async function storeRun(sourceId: string, sectionTitles: readonly string[] | null, drafts: readonly RankedDraft[], userId: string): Promise<number> {
  await DraftRecord.deleteMany({ sourceId, status: 'pending', ...(sectionTitles ? { sectionTitle: { $in: sectionTitles } } : {}) });
  const known = new Set((await DraftRecord.find({ sourceId }, { fingerprint: 1 }).lean()).map((d) => d.fingerprint));
  const rows = [];
  for (const [i, d] of drafts.entries()) {
    const fingerprint = draftFingerprint(d);
    if (known.has(fingerprint)) continue;
    known.add(fingerprint);
    rows.push({
      sourceId,
      fingerprint,
      key: d.key,
      status: 'pending',
      kind: d.kind,
      passageId: d.passageId,
      sectionTitle: d.sectionTitle,
      rank: i,
      score: d.score,
      question: d.question,
      terms: d.terms,
      flags: d.flags,
      draftedBy: userId,
    });
  }
  if (rows.length) await DraftRecord.insertMany(rows, { ordered: false });
  return rows.length;
}

/**
 * Starts drafting a source (all of it, or the sections named by slug) in the background: the
 * pipeline runs in a worker thread, progress goes to `runs`, the drafts to the queue.
 */
export async function startDrafting(
  caller: Caller,
  sourceId: string,
  sectionSlugs: readonly string[],
  runs: DraftRuns,
  limits: DraftWorkerLimits,
  onError: (err: unknown) => void,
): Promise<RunStatus> {
  const source = await draftableSource(caller, sourceId);
  const unknown = sectionSlugs.filter((s) => !source.sections.some((x) => x.slug === s));
  if (unknown.length) throw new ValidationError('Choose sections of this source.', { sections: 'Choose sections of this source.' });
  const titles = sectionSlugs.length ? source.sections.filter((s) => sectionSlugs.includes(s.slug)).map((s) => s.title) : null;
  const passages = source.passages.map((p) => ({ id: p.id, sectionTitle: p.sectionTitle, text: p.text }));
  if (!passages.length) throw new ValidationError('This source has no passages to draft from.');
  const [existing, decided] = await Promise.all([
    existingQuestions(caller, sourceId),
    DraftRecord.find({ sourceId, status: { $ne: 'pending' } }, { key: 1 }).lean(),
  ]);
  return runs.start(
    sourceId,
    caller.id,
    async (progress) => {
      const drafts = await draftInWorker(
        { passages, ...(titles ? { sections: titles } : {}), existing, rejected: decided.map((d) => d.key) },
        progress,
        limits,
      );
      return storeRun(sourceId, titles, drafts, caller.id);
    },
    onError,
  );
}

/** How many drafts of a source are waiting, accepted and rejected. */
export async function draftCounts(sourceId: string): Promise<Record<'pending' | 'accepted' | 'rejected', number>> {
  const rows = await DraftRecord.aggregate<{ _id: string; n: number }>([{ $match: { sourceId } }, { $group: { _id: '$status', n: { $sum: 1 } } }]);
  const count = (s: string) => rows.find((r) => r._id === s)?.n ?? 0;
  return { pending: count('pending'), accepted: count('accepted'), rejected: count('rejected') };
}

/** The pending drafts of a source in queue order. */
export async function pendingDrafts(sourceId: string, limit = 1000): Promise<DraftDoc[]> {
  return DraftRecord.find({ sourceId, status: 'pending' }).sort({ rank: 1, score: -1, _id: 1 }).limit(limit).lean<DraftDoc[]>();
}

export interface QueueGroup {
  sectionTitle: string;
  passages: Array<{ id: string; text: string; drafts: DraftDoc[] }>;
}

/** The queue page's data: pending drafts by section (in the source's order), each passage with its drafts. */
export async function draftQueue(
  caller: Caller,
  sourceId: string,
): Promise<{ source: SourceView; groups: QueueGroup[]; counts: Awaited<ReturnType<typeof draftCounts>>; banks: BankSummary[] }> {
  const source = await draftableSource(caller, sourceId);
  const [drafts, counts, banks] = await Promise.all([pendingDrafts(sourceId), draftCounts(sourceId), targetBanks(caller, sourceId)]);
  const byPassage = new Map<string, DraftDoc[]>();
  for (const d of drafts) (byPassage.get(d.passageId) ?? byPassage.set(d.passageId, []).get(d.passageId)!).push(d);
  const groups: QueueGroup[] = [];
  for (const p of source.passages) {
    const mine = byPassage.get(p.id);
    if (!mine) continue;
    let group = groups.at(-1);
    if (!group || group.sectionTitle !== p.sectionTitle) groups.push((group = { sectionTitle: p.sectionTitle, passages: [] }));
    group.passages.push({ id: p.id, text: p.text, drafts: mine });
  }
  return { source, groups, counts, banks };
}

import mongoose from 'mongoose';
import { sharedRead } from '../db-batch.ts';
import { Bank, Question, type BankDoc, type QuestionDoc } from './model.ts';
import type { Caller } from '../accounts/roles.ts';
import { HAND_MARKED_TYPES, type QuestionDefinition, type QuestionType, type Difficulty } from '../questions/definition.ts';
import { ForbiddenError, NotFoundError } from '../http/errors.ts';
import { isObjectId } from '../object-ids.ts';
import type { BankTopic } from './topics.ts';
import { membershipsIn, membershipsOf } from '../classes/index.ts';

/** A bank as pages list it. */
export interface BankSummary {
  id: string;
  slug: string;
  title: string;
  description: string;
  sourceId: string;
  /** Every source the bank is built on, its first source first. */
  sourceIds: string[];
  ownerId: string | null;
  /** The bank's topics in its order: what its questions are tagged with. */
  topics: BankTopic[];
  /** The classes whose students may practise it (shared for self-study by its owner). */
  sharedWithClassIds: string[];
  questionCount: number;
  canEdit: boolean;
}

/** A question with its key, for server-side use only: never send `definition` to a learner before grading. */
export interface StoredQuestion {
  id: string;
  bankId: string;
  key: string;
  version: number;
  definition: QuestionDefinition;
}

export interface QuestionFilter {
  topics?: readonly string[];
  types?: readonly QuestionType[];
  difficulties?: readonly Difficulty[];
  passageIds?: readonly string[];
  /** Only questions citing this source (the bank's first source matches questions that name none). */
  sourceId?: string;
  ids?: readonly string[];
  /** Leave out questions marked by hand (essays): practice and flashcards mark answers at once. */
  selfMarkedOnly?: boolean;
}

/** Whether the caller may change a bank: its owner, or an admin (who alone edits shipped banks). */
export function canEditBank(caller: Caller | null | undefined, bank: Pick<BankDoc, 'ownerId'>): boolean {
  if (!caller) return false;
  if (caller.role === 'admin') return true;
  return caller.role === 'instructor' && bank.ownerId !== null && String(bank.ownerId) === caller.id;
}

/**
 * Whether students may practise a bank (practice and flashcards show its answers): a shipped
 * bank (no owner) is open to every student; an instructor's bank to the students of the classes
 * it is shared with. `classIds` narrows the question to some classes (a quiz's). The answer-key
 * rule asks this: a quiz whose review hides its keys never draws from such a bank.
 */
export function studentsMayPractise(bank: Pick<BankDoc, 'ownerId' | 'sharedWithClassIds'>, classIds?: readonly string[]): boolean {
  if (bank.ownerId === null) return true;
  const shared = (bank.sharedWithClassIds ?? []).map(String);
  return classIds ? shared.some((id) => classIds.includes(id)) : shared.length > 0;
}

/**
 * The answer-key rule for a quiz's classes: whether any student of them may practise the bank,
 * through those classes or through another class of theirs it is shared with (a student in a
 * lecture group and a tutorial group). Quizzes ask it when saving; sharing asks it (through
 * quizzes) of the quizzes already set.
 */
export async function quizStudentsMayPractise(bank: Pick<BankDoc, 'ownerId' | 'sharedWithClassIds'>, quizClassIds: readonly string[]): Promise<boolean> {
  if (studentsMayPractise(bank, quizClassIds)) return true;
  const shared = (bank.sharedWithClassIds ?? []).map(String);
  if (!shared.length || !quizClassIds.length) return false;
  const [quizStudents, sharedStudents] = await Promise.all([membershipsIn(quizClassIds), membershipsIn(shared)]);
  const practising = new Set(sharedStudents.map((m) => m.userId));
  return quizStudents.some((m) => practising.has(m.userId));
}

/**
 * Whether the caller may study a bank (practice, flashcards): shipped banks are open to everyone
 * signed in; an instructor's bank to its editors and to the students of the classes it is shared
 * with (read now, so leaving a class or an unshare takes effect at once).
 */
export async function mayStudyBank(caller: Caller, bank: Pick<BankDoc, 'ownerId' | 'sharedWithClassIds'>): Promise<boolean> {
  if (bank.ownerId === null || canEditBank(caller, bank)) return true;
  const shared = (bank.sharedWithClassIds ?? []).map(String);
  if (!shared.length) return false;
  return (await membershipsOf(caller.id, shared)).length > 0;
}

/** The sources a stored bank is built on, its first source first (older banks name only `sourceId`). */
export function bankSourceIds(bank: Pick<BankDoc, 'sourceId' | 'sourceIds'>): string[] {
  return [...new Set([bank.sourceId, ...(bank.sourceIds ?? [])])];
}

/** The source a question's passage is in: its own `sourceId`, else its bank's first source. */
export function questionSourceId(def: Pick<QuestionDefinition, 'source'>, bank: Pick<BankSummary, 'sourceId'>): string {
  return def.source.sourceId ?? bank.sourceId;
}

/** A stored bank's topics (none before the start-up migration gives it its own). */
export function bankTopicsOf(bank: Pick<BankDoc, 'topics'>): BankTopic[] {
  return (bank.topics ?? []).map((t) => ({ slug: t.slug, name: t.name }));
}

function summary(caller: Caller, bank: BankDoc, count: number): BankSummary {
  return {
    id: String(bank._id),
    slug: bank.slug,
    title: bank.title,
    description: bank.description ?? '',
    sourceId: bank.sourceId,
    sourceIds: bankSourceIds(bank),
    ownerId: bank.ownerId ? String(bank.ownerId) : null,
    topics: bankTopicsOf(bank),
    sharedWithClassIds: (bank.sharedWithClassIds ?? []).map(String),
    questionCount: count,
    canEdit: canEditBank(caller, bank),
  };
}

/** Live questions per bank; one aggregation for the requests that ask together (sharedRead). */
const liveCounts = sharedRead<string[], Map<string, number>>(
  async (keys) => {
    const results = await Promise.all(
      keys.map(async (ids) => {
        const rows = await Question.aggregate<{ _id: mongoose.Types.ObjectId; n: number }>([
          { $match: { bankId: { $in: ids.map((id) => new mongoose.Types.ObjectId(id)) }, retired: false } },
          { $group: { _id: '$bankId', n: { $sum: 1 } } },
        ]);
        return new Map(rows.map((r) => [String(r._id), r.n]));
      }),
    );
    return new Map(keys.map((ids, i) => [ids.join(','), results[i]!]));
  },
  (ids) => ids.join(','),
  new Map(),
);

function countsByBank(bankIds: mongoose.Types.ObjectId[]): Promise<Map<string, number>> {
  return liveCounts(bankIds.map(String).sort());
}

/** What progress needs of each live question of some banks: its bank, topics and passage. */
export interface QuestionOutline {
  _id: mongoose.Types.ObjectId;
  bankId: mongoose.Types.ObjectId;
  topics: string[];
  passageId: string;
  /** Null: the bank's first source. */
  sourceId?: string | null;
}

const outlines = sharedRead<string[], QuestionOutline[]>(
  async (keys) => {
    const results = await Promise.all(
      keys.map((ids) =>
        Question.find(
          { bankId: { $in: ids.map((id) => new mongoose.Types.ObjectId(id)) }, retired: false },
          { bankId: 1, topics: 1, passageId: 1, sourceId: 1 },
        ).lean<QuestionOutline[]>(),
      ),
    );
    return new Map(keys.map((ids, i) => [ids.join(','), results[i]!]));
  },
  (ids) => ids.join(','),
  [],
);

/** The live questions of these banks, outlined; shared by the requests that ask together, so read-only. */
export function liveQuestionOutlines(bankIds: readonly string[]): Promise<readonly QuestionOutline[]> {
  return outlines([...bankIds].sort());
}

/** A bank by id (null when there is none); shared by the requests that ask together, so read-only. */
export function findBank(bankId: string): Promise<BankDoc | null> {
  return isObjectId(bankId) ? bankById(bankId) : Promise.resolve(null);
}

/** The banks a caller may study or edit: shipped ones, their own, and those shared with their classes. */
export async function listBanks(caller: Caller): Promise<BankSummary[]> {
  const classIds = caller.role === 'admin' ? [] : (await membershipsOf(caller.id)).map((m) => new mongoose.Types.ObjectId(m.classId));
  const filter =
    caller.role === 'admin'
      ? {}
      : {
          $or: [
            { ownerId: null },
            { ownerId: new mongoose.Types.ObjectId(caller.id) },
            ...(classIds.length ? [{ sharedWithClassIds: { $in: classIds } }] : []),
          ],
        };
  const banks = await Bank.find(filter).sort({ title: 1 }).lean<BankDoc[]>();
  const counts = await countsByBank(banks.map((b) => b._id));
  return banks.map((b) => summary(caller, b, counts.get(String(b._id)) ?? 0));
}

/** A bank without its question count: what pages that only name the bank need. */
export type BankRef = Omit<BankSummary, 'questionCount'>;

/** Banks by id, read once for the requests that ask together (a class studies the same bank). */
const bankById = sharedRead<string, BankDoc | null>(
  async (ids) => {
    const banks = await Bank.find({ _id: { $in: ids.map((id) => new mongoose.Types.ObjectId(id)) } }).lean<BankDoc[]>();
    return new Map(banks.map((b) => [String(b._id), b]));
  },
  (id) => id,
  null,
);

/** A bank the caller may study (404 when it does not exist or is not theirs to see). Hot path: no count. */
export async function getStudyableBank(caller: Caller, bankId: string): Promise<BankRef> {
  const bank = isObjectId(bankId) ? await bankById(bankId) : null;
  if (!bank || !(await mayStudyBank(caller, bank))) throw new NotFoundError('We could not find that question bank.');
  const { questionCount: _omitted, ...ref } = summary(caller, bank, 0);
  return ref;
}

/** A bank the caller may edit: 404 when unknown, 403 when it is someone else's. */
export async function getEditableBank(caller: Caller, bankId: string): Promise<BankSummary> {
  const bank = isObjectId(bankId) ? await Bank.findById(bankId).lean<BankDoc>() : null;
  if (!bank) throw new NotFoundError('We could not find that question bank.');
  if (!canEditBank(caller, bank)) throw new ForbiddenError('Only the owner of this bank can change it.');
  const counts = await countsByBank([bank._id]);
  return summary(caller, bank, counts.get(String(bank._id)) ?? 0);
}

/** A stored question as services use it, from its document. */
export function storedQuestion(q: QuestionDoc): StoredQuestion {
  return { id: String(q._id), bankId: String(q.bankId), key: q.key, version: q.version ?? 1, definition: q.definition };
}

/** The live questions of a bank matching a filter, in the bank's order (by key). Server-side only. */
export async function findQuestions(bankId: string, filter: QuestionFilter = {}): Promise<StoredQuestion[]> {
  if (!isObjectId(bankId)) return [];
  const query: Record<string, unknown> = { bankId: new mongoose.Types.ObjectId(bankId), retired: false };
  if (filter.topics?.length) query.topics = { $in: filter.topics };
  const typeIn = filter.types?.length ? { $in: filter.types } : undefined;
  if (typeIn) query.type = typeIn;
  if (filter.selfMarkedOnly) query.type = { ...typeIn, $nin: HAND_MARKED_TYPES };
  if (filter.difficulties?.length) query.difficulty = { $in: filter.difficulties };
  if (filter.passageIds?.length) query.passageId = { $in: filter.passageIds };
  if (filter.sourceId) {
    const bank = await bankById(bankId);
    query.sourceId = bank && filter.sourceId === bank.sourceId ? { $in: [null, filter.sourceId] } : filter.sourceId;
  }
  if (filter.ids) query._id = { $in: filter.ids.filter(isObjectId).map((id) => new mongoose.Types.ObjectId(id)) };
  const docs = await Question.find(query).sort({ key: 1 }).lean<QuestionDoc[]>();
  return docs.map(storedQuestion);
}

/** Questions by id, whichever bank they are in (retired ones included, for history). Server-side only. */
export async function questionsByIds(ids: readonly string[]): Promise<Map<string, StoredQuestion>> {
  const docs = await Question.find({ _id: { $in: ids.filter(isObjectId).map((id) => new mongoose.Types.ObjectId(id)) } }).lean<QuestionDoc[]>();
  return new Map(docs.map((d) => [String(d._id), storedQuestion(d)]));
}

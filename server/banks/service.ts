import mongoose from 'mongoose';
import { sharedRead } from '../db-batch.ts';
import { Bank, Question, type BankDoc, type QuestionDoc } from './model.ts';
import type { Caller } from '../accounts/roles.ts';
import type { QuestionDefinition, QuestionType, Topic, Difficulty } from '../questions/definition.ts';
import { ForbiddenError, NotFoundError } from '../http/errors.ts';
import { isObjectId } from '../object-ids.ts';

/** A bank as pages list it. */
export interface BankSummary {
  id: string;
  slug: string;
  title: string;
  description: string;
  sourceId: string;
  ownerId: string | null;
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
  topics?: readonly Topic[];
  types?: readonly QuestionType[];
  difficulties?: readonly Difficulty[];
  passageIds?: readonly string[];
  ids?: readonly string[];
}


/** Whether the caller may change a bank: its owner, or an admin (who alone edits shipped banks). */
export function canEditBank(caller: Caller | null | undefined, bank: Pick<BankDoc, 'ownerId'>): boolean {
  if (!caller) return false;
  if (caller.role === 'admin') return true;
  return caller.role === 'instructor' && bank.ownerId !== null && String(bank.ownerId) === caller.id;
}

/**
 * Whether the caller may study a bank: shipped banks are open to everyone signed in;
 * an instructor's own bank is open to its owner (students reach it through assigned quizzes).
 */
export function canStudyBank(caller: Caller, bank: Pick<BankDoc, 'ownerId'>): boolean {
  return bank.ownerId === null || canEditBank(caller, bank);
}

function summary(caller: Caller, bank: BankDoc, count: number): BankSummary {
  return {
    id: String(bank._id),
    slug: bank.slug,
    title: bank.title,
    description: bank.description ?? '',
    sourceId: bank.sourceId,
    ownerId: bank.ownerId ? String(bank.ownerId) : null,
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
}

const outlines = sharedRead<string[], QuestionOutline[]>(
  async (keys) => {
    const results = await Promise.all(
      keys.map((ids) =>
        Question.find({ bankId: { $in: ids.map((id) => new mongoose.Types.ObjectId(id)) }, retired: false }, { bankId: 1, topics: 1, passageId: 1 }).lean<QuestionOutline[]>(),
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

/** The banks a caller may study or edit. */
export async function listBanks(caller: Caller): Promise<BankSummary[]> {
  const filter = caller.role === 'admin' ? {} : { $or: [{ ownerId: null }, { ownerId: new mongoose.Types.ObjectId(caller.id) }] };
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
  if (!bank || !canStudyBank(caller, bank)) throw new NotFoundError('We could not find that question bank.');
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
  return { id: String(q._id), bankId: String(q.bankId), key: q.key, version: q.version ?? 1, definition: q.definition as QuestionDefinition };
}

/** The live questions of a bank matching a filter, in the bank's order (by key). Server-side only. */
export async function findQuestions(bankId: string, filter: QuestionFilter = {}): Promise<StoredQuestion[]> {
  if (!isObjectId(bankId)) return [];
  const query: Record<string, unknown> = { bankId: new mongoose.Types.ObjectId(bankId), retired: false };
  if (filter.topics?.length) query.topics = { $in: filter.topics };
  if (filter.types?.length) query.type = { $in: filter.types };
  if (filter.difficulties?.length) query.difficulty = { $in: filter.difficulties };
  if (filter.passageIds?.length) query.passageId = { $in: filter.passageIds };
  if (filter.ids) query._id = { $in: filter.ids.filter(isObjectId).map((id) => new mongoose.Types.ObjectId(id)) };
  const docs = await Question.find(query).sort({ key: 1 }).lean<QuestionDoc[]>();
  return docs.map(storedQuestion);
}

/** Questions by id, whichever bank they are in (retired ones included, for history). Server-side only. */
export async function questionsByIds(ids: readonly string[]): Promise<Map<string, StoredQuestion>> {
  const docs = await Question.find({ _id: { $in: ids.filter(isObjectId).map((id) => new mongoose.Types.ObjectId(id)) } }).lean<QuestionDoc[]>();
  return new Map(docs.map((d) => [String(d._id), storedQuestion(d)]));
}

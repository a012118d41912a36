import type mongoose from 'mongoose';
import { Bank, Question, type BankDoc, type QuestionDoc } from './model.ts';
import { toObjectId as oid } from '../object-ids.ts';
import { HAND_MARKED_TYPES } from '../questions/definition.ts';
import type { Caller } from '../accounts/index.ts';
import { canEditBank } from './service.ts';

// The reads other features (progress, study) make of banks and questions; the collections stay
// private to this folder.

/** A question's bank, topics and passage (what mastery is measured over). */
export type QuestionPlace = Pick<QuestionDoc, '_id' | 'bankId' | 'topics' | 'passageId' | 'sourceId'>;

/** A question as item statistics show it. */
export type QuestionForStatistics = Pick<QuestionDoc, '_id' | 'key' | 'bankId' | 'definition' | 'passageId' | 'sourceId'>;

/** Questions by id (retired ones too), with their bank, topics and passage. */
export function questionPlaces(ids: readonly string[]): Promise<QuestionPlace[]> {
  if (!ids.length) return Promise.resolve([]);
  return Question.find({ _id: { $in: ids.map(oid) } }, { bankId: 1, topics: 1, passageId: 1, sourceId: 1 }).lean<QuestionPlace[]>();
}

/** Questions by id (retired ones too), with key, bank, definition and passage. Server-side only. */
export function questionsForStatistics(ids: readonly string[]): Promise<QuestionForStatistics[]> {
  return Question.find({ _id: { $in: ids.map(oid) } }, { key: 1, bankId: 1, definition: 1, passageId: 1, sourceId: 1 }).lean<QuestionForStatistics[]>();
}

/** The source each bank is built on, by bank id. */
export async function sourceOfBanks(bankIds: Iterable<string>): Promise<Map<string, string>> {
  const ids = [...new Set(bankIds)];
  const banks = await Bank.find({ _id: { $in: ids.map(oid) } }, { sourceId: 1 }).lean<Pick<BankDoc, '_id' | 'sourceId'>[]>();
  return new Map(banks.map((b) => [String(b._id), b.sourceId]));
}

/** The source of a bank shipped with Lectern (seeded, no owner), or null when none is loaded. */
export async function shippedSourceId(): Promise<string | null> {
  const shipped = await Bank.findOne({ ownerId: null }, { sourceId: 1 }).sort({ _id: 1 }).lean<Pick<BankDoc, 'sourceId'>>();
  return shipped?.sourceId ?? null;
}

/** The name of the questions collection, for a `$lookup` from another feature's aggregation. */
export function questionsCollectionName(): string {
  return Question.collection.collectionName;
}

/** The banks an instructor may build quizzes from: the ones they can edit and those shipped with Lectern (no owner). */
export async function buildableBanks(caller: Caller): Promise<BankDoc[]> {
  const banks = await Bank.find({ $or: [{ ownerId: null }, { ownerId: oid(caller.id) }] })
    .sort({ title: 1 })
    .lean<BankDoc[]>();
  const all = caller.role === 'admin' ? await Bank.find({}).sort({ title: 1 }).lean<BankDoc[]>() : banks;
  return all.filter((b) => b.ownerId === null || canEditBank(caller, b));
}

/** The live questions of a bank a flashcard can hold (of one topic, if given; no essays: they are marked by hand), in the bank's order (by key). */
export async function liveQuestionIds(bankId: string, topic?: string): Promise<mongoose.Types.ObjectId[]> {
  const rows = await Question.find({ bankId: oid(bankId), retired: false, type: { $nin: HAND_MARKED_TYPES }, ...(topic ? { topics: topic } : {}) }, { _id: 1 })
    .sort({ key: 1 })
    .lean<Pick<QuestionDoc, '_id'>[]>();
  return rows.map((q) => q._id);
}

/** How many live questions of a bank a flashcard can hold (of one topic, if given). */
export function countLiveQuestions(bankId: string, topic?: string): Promise<number> {
  return Question.countDocuments({ bankId: oid(bankId), retired: false, type: { $nin: HAND_MARKED_TYPES }, ...(topic ? { topics: topic } : {}) });
}

/** A question's topic tags; null when there is no such question. */
export async function questionTopics(questionId: string): Promise<string[] | null> {
  const q = await Question.findById(questionId, { topics: 1 }).lean<Pick<QuestionDoc, 'topics'>>();
  return q ? (q.topics ?? []) : null;
}

import type mongoose from 'mongoose';
import { Attempt, Quiz, QuizOverride, type OverrideDoc, type QuizDoc, type SlotDoc } from './model.ts';
import type { QuizOverrideRule } from './overrides.ts';
import { toObjectId as oid } from '../object-ids.ts';

// The reads other features (progress) make of quizzes and attempts: the collections stay private
// to this folder, and each read keeps its projection and index next to the model it relies on.

/** An attempt as the progress pages read it: its marks and which question each slot held. */
export interface MarkedAttempt {
  _id: mongoose.Types.ObjectId;
  quizId: mongoose.Types.ObjectId;
  userId: mongoose.Types.ObjectId;
  number: number;
  score?: number | null;
  submittedAt?: Date | null;
  marks?: number[];
  slots?: Array<{ questionId: mongoose.Types.ObjectId }>;
}

/** An attempt as the responses export reads it. */
export interface ExportAttempt {
  _id: mongoose.Types.ObjectId;
  quizId: mongoose.Types.ObjectId;
  userId: mongoose.Types.ObjectId;
  number: number;
  submittedAt?: Date | null;
  slots?: Array<Pick<SlotDoc, 'key' | 'definition' | 'response' | 'score' | 'savedAt'>>;
}

/** An attempt as a gradebook cell reads it. */
export type AttemptRow = {
  _id: mongoose.Types.ObjectId;
  quizId: mongoose.Types.ObjectId;
  userId: mongoose.Types.ObjectId;
  number: number;
  status: 'in-progress' | 'submitted';
  score?: number | null;
  submittedAt?: Date | null;
  deadline?: Date | null;
  needsGrading?: boolean;
  regrades?: Array<{ at?: Date }>;
};

// Top-level fields only: a gradebook page reads thousands of these, and a top-level inclusion is
// the embedded server's cheap copy where a dotted path ('regrades.at') goes through mingo's general
// projection (0.3 s for 4,000 attempts). `regrades` is small and rare, so it comes whole.
const ATTEMPT_SUMMARY = { quizId: 1, userId: 1, number: 1, status: 1, score: 1, submittedAt: 1, deadline: 1, needsGrading: 1, regrades: 1 } as const;

/** Submitted and fully marked: what statistics and progress count (an attempt with essays to mark has no score yet). */
const MARKED = { status: 'submitted', needsGrading: { $ne: true } } as const;

/** The quiz fields the progress pages show (title, settings, when it was made, whose it is). */
export type QuizOutline = Pick<QuizDoc, '_id' | 'title' | 'settings' | 'ownerId' | 'classIds' | 'selection'> & { createdAt?: Date; archivedAt?: Date | null };

/** A learner's submitted attempts that are fully marked, with their marks. */
export function submittedAttemptsOf(userId: string): Promise<MarkedAttempt[]> {
  return Attempt.find({ userId: oid(userId), ...MARKED }, { quizId: 1, number: 1, score: 1, submittedAt: 1, marks: 1, 'slots.questionId': 1 }).lean<
    MarkedAttempt[]
  >();
}

/** Submitted, fully marked attempts at some quizzes, with who made them and their marks. */
export function submittedAttemptsAt(quizIds: readonly string[]): Promise<MarkedAttempt[]> {
  return Attempt.find({ quizId: { $in: quizIds.map(oid) }, ...MARKED }, { userId: 1, marks: 1, 'slots.questionId': 1 }).lean<MarkedAttempt[]>();
}

/** How many first attempts at a quiz wait for essays to be marked (statistics leave them out until then). */
export function firstAttemptsAwaitingMarks(quizId: string): Promise<number> {
  return Attempt.countDocuments({ quizId: oid(quizId), number: 1, status: 'submitted', needsGrading: true });
}

/**
 * Every attempt of some learners, summarised. Filtered on userId alone, so the lookup goes
 * through the `{ userId, status }` index (a student has a few dozen attempts) rather than every
 * attempt at a class's quizzes; the caller drops other quizzes' attempts.
 */
export function attemptSummariesOfLearners(userIds: readonly string[], quizIds?: readonly string[]): Promise<AttemptRow[]> {
  const filter = { userId: { $in: userIds.map(oid) }, ...(quizIds ? { quizId: { $in: quizIds.map(oid) } } : {}) };
  return Attempt.collection.find<AttemptRow>(filter, { projection: ATTEMPT_SUMMARY, batchSize: 5000 }).toArray();
}

/** Every attempt at some quizzes, summarised. */
export function attemptSummariesAt(quizIds: readonly string[]): Promise<AttemptRow[]> {
  return Attempt.find({ quizId: { $in: quizIds.map(oid) } }, ATTEMPT_SUMMARY).lean<AttemptRow[]>();
}

/** Every attempt at some quizzes with its responses, read in batches (an export of a large class is big). */
export function attemptsForExport(quizIds: readonly string[]): AsyncIterable<ExportAttempt> {
  return Attempt.find(
    { quizId: { $in: quizIds.map(oid) } },
    { quizId: 1, userId: 1, number: 1, submittedAt: 1, 'slots.key': 1, 'slots.definition': 1, 'slots.response': 1, 'slots.score': 1, 'slots.savedAt': 1 },
  )
    .lean<ExportAttempt>()
    .cursor({ batchSize: 200 });
}

/** Quizzes by id: their titles and settings. */
export function quizOutlines(quizIds: readonly string[]): Promise<QuizOutline[]> {
  return Quiz.find({ _id: { $in: quizIds.map(oid) } }, { title: 1, settings: 1 }).lean<QuizOutline[]>();
}

/** The quizzes assigned to a class: titles, settings and when each was made. */
export function quizOutlinesOfClass(classId: string): Promise<QuizOutline[]> {
  return Quiz.find({ classIds: oid(classId) }, { title: 1, settings: 1, createdAt: 1, archivedAt: 1 }).lean<QuizOutline[]>();
}

/** One quiz with what its statistics need (owner, classes, selection, settings); null when there is none. */
export function quizOutline(quizId: string): Promise<QuizOutline | null> {
  return Quiz.findById(quizId, { title: 1, ownerId: 1, classIds: 1, selection: 1, settings: 1 }).lean<QuizOutline>();
}

/** An override as the gradebook reads it: for a student (`userId`) or a class (`classId`). */
export interface OverrideRow {
  quizId: string;
  userId: string | null;
  classId: string | null;
  rule: QuizOverrideRule;
}

/** The overrides of some quizzes. */
export async function overridesAt(quizIds: readonly string[]): Promise<OverrideRow[]> {
  const rows = await QuizOverride.find({ quizId: { $in: quizIds.map(oid) } }).lean<OverrideDoc[]>();
  return rows.map((o) => ({
    quizId: String(o.quizId),
    userId: o.userId ? String(o.userId) : null,
    classId: o.classId ? String(o.classId) : null,
    rule: {
      timeLimitMultiplier: o.timeLimitMultiplier ?? null,
      extraMinutes: o.extraMinutes ?? null,
      dueAt: o.dueAt ?? null,
      closesAt: o.closesAt ?? null,
      extraAttempts: o.extraAttempts ?? null,
    },
  }));
}

/**
 * The first submitted attempt of each learner at a quiz, once fully marked (item statistics use
 * these only): its marks and each slot's question, response and mark; and per question the
 * definition of the last attempt that saw it (its choices label the answer distribution).
 * Definitions are read once per question, not per slot.
 */
export type AnsweredAttempt = { marks?: number[]; slots?: Array<Pick<SlotDoc, 'questionId' | 'response' | 'score'>> };
export async function firstAttemptResponses(quizId: string): Promise<{ attempts: AnsweredAttempt[]; definitions: Map<string, SlotDoc['definition']> }> {
  const firsts = { quizId: oid(quizId), number: 1, ...MARKED };
  const [attempts, latest] = await Promise.all([
    Attempt.find(firsts, { marks: 1, 'slots.questionId': 1, 'slots.response': 1, 'slots.score': 1 }).lean<AnsweredAttempt[]>(),
    Attempt.aggregate<{ _id: mongoose.Types.ObjectId; definition: SlotDoc['definition'] }>([
      { $match: firsts },
      { $project: { _id: 0, 'slots.questionId': 1, 'slots.definition': 1 } },
      { $unwind: '$slots' },
      { $group: { _id: '$slots.questionId', definition: { $last: '$slots.definition' } } },
    ]),
  ]);
  return { attempts, definitions: new Map(latest.map((d) => [String(d._id), d.definition])) };
}

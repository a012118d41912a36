import mongoose from 'mongoose';
import { Quiz, Attempt, type QuizDoc, type AttemptDoc } from './model.ts';
import { markAttempt } from './attempt-marks.ts';
import { buildableBanks, findQuestions, questionsByIds, type StoredQuestion } from '../banks/index.ts';
import { authorStanding, canAuthor, NO_LONGER_AUTHOR, type Caller } from '../accounts/index.ts';
import { canManageQuiz } from './policy.ts';
import { archivedClassIds, classNames, membershipsOf } from '../classes/index.ts';
import { presentQuestion, type PresentedQuestion } from '../questions/index.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../http/errors.ts';
import { drawQuestions, seededRng, type PoolQuestion, type Selection } from './draw-questions.ts';
import { gradeFor } from './grading-method.ts';
import { GRACE_MS, assignmentState, attemptDeadline, isExpired, startRefusal, type AssignmentState } from './attempt-state.ts';
import { reviewAllowance, type ReviewAllowance } from './review-policy.ts';
import { quizSettings, type QuizSettings } from './settings.ts';
import { studentSettings } from './override-service.ts';
import { isObjectId, toObjectId as oid } from '../object-ids.ts';
import { isDuplicateKey } from '../mongo-errors.ts';

export { gradeFor } from './grading-method.ts';

export { buildableBanks, classNames };

export type { QuizSettings } from './settings.ts';

/** A quiz as its owner sees it. */
export interface QuizView {
  id: string;
  title: string;
  ownerId: string;
  bankIds: string[];
  mode: 'pick' | 'rules';
  questionIds: string[];
  rules: { count: number; topics: string[] }[];
  settings: QuizSettings;
  classIds: string[];
  questionCount: number;
  archivedAt: Date | null;
}

const settingsOf = (q: QuizDoc): QuizSettings => quizSettings(q);

export function viewOf(q: QuizDoc): QuizView {
  const sel = q.selection ?? { mode: 'pick', questionIds: [], rules: [] };
  const mode = sel.mode;
  const rules = (sel.rules ?? []).map((r) => ({ count: r.count, topics: [...(r.topics ?? [])] }));
  const questionIds = (sel.questionIds ?? []).map(String);
  return {
    id: String(q._id),
    title: q.title,
    ownerId: String(q.ownerId),
    bankIds: (q.bankIds ?? []).map(String),
    mode,
    questionIds,
    rules,
    settings: settingsOf(q),
    classIds: (q.classIds ?? []).map(String),
    archivedAt: q.archivedAt ?? null,
    questionCount: mode === 'pick' ? questionIds.length : rules.reduce((n, r) => n + r.count, 0),
  };
}

const owns = canManageQuiz;

// ---------------------------------------------------------------- owning quizzes

/** A quiz the caller owns: 404 when it does not exist or is someone else's, 403 when its owner lost the instructor role. */
export async function getOwnQuiz(caller: Caller, quizId: string): Promise<QuizView> {
  const q = isObjectId(quizId) ? await Quiz.findById(quizId).lean<QuizDoc>() : null;
  if (q && authorStanding(caller, q.ownerId) === 'former-author') throw new ForbiddenError(NO_LONGER_AUTHOR);
  if (!q || !owns(caller, q)) throw new NotFoundError('We could not find that quiz.');
  return viewOf(q);
}

// ---------------------------------------------------------------- attempts

/** The live questions of some banks, as the draw sees them. */
export async function poolOf(bankIds: readonly string[]): Promise<(PoolQuestion & { stored: StoredQuestion })[]> {
  const pool: (PoolQuestion & { stored: StoredQuestion })[] = [];
  // A self-rated card is never drawn into a graded quiz: nothing typed could be marked against its back.
  for (const id of bankIds)
    for (const q of await findQuestions(id)) if (q.definition.type !== 'card') pool.push({ id: q.id, topics: q.definition.topics, stored: q });
  return pool;
}

/** Why a student of an archived class cannot start its quizzes (their results stay). */
export const CLASS_ARCHIVED_REFUSAL = 'Your instructor has archived this class, so its quizzes can no longer be taken. Your attempts and results stay here.';

/**
 * The quiz as a student of one of its classes may reach it: 404 for anyone else. Returns the
 * class it reaches them through, a running one before an archived one; `classArchived` when
 * only archived classes reach it (its results may be read, no attempt started).
 */
async function quizForStudent(caller: Caller, quizId: string): Promise<{ quiz: QuizDoc; classId: string; classArchived: boolean }> {
  const quiz = isObjectId(quizId) ? await Quiz.findById(quizId).lean<QuizDoc>() : null;
  if (!quiz || quiz.archivedAt) throw new NotFoundError('We could not find that quiz.');
  const rows = await membershipsOf(caller.id, (quiz.classIds ?? []).map(String));
  if (rows.length === 0) throw new NotFoundError('We could not find that quiz. If your instructor assigned it, check that you are in their class.');
  const archived = await archivedClassIds(rows.map((r) => r.classId));
  const running = rows.find((r) => !archived.has(r.classId));
  return { quiz, classId: (running ?? rows[0]!).classId, classArchived: !running };
}

/**
 * Submits an attempt once: grades the revision it read and writes it only if the attempt is
 * still in progress at that revision. A save that slipped in between makes it read and grade
 * again; a submit that lost the race returns the attempt as the winner left it.
 */
export async function finalize(
  store: AttemptStore,
  attemptId: mongoose.Types.ObjectId,
  now: Date,
  by: 'student' | 'deadline' | 'archived',
): Promise<AttemptDoc> {
  // Each round loses only to an answer saved meanwhile (which bumps `revision`), so a few rounds
  // always suffice; the bound turns a stuck filter into an error instead of a spinning request.
  for (let round = 0; round < FINALIZE_ROUNDS; round++) {
    const a = await store.findById(attemptId).lean<AttemptDoc>();
    if (!a) throw new NotFoundError('We could not find that attempt.');
    if (a.status === 'submitted') return a;
    // Essays answered wait for a grader (attempt-marks.ts): the score stays null until then.
    const { marks, score, needsGrading } = markAttempt(a.slots);
    const submittedAt = by === 'deadline' && a.deadline ? a.deadline : now;
    const set: Record<string, unknown> = { status: 'submitted', score, marks, submittedAt, submittedBy: by, needsGrading };
    marks.forEach((m, i) => (set[`slots.${i}.score`] = m));
    // An attempt saved before `revision` existed has no such field: `null` matches a missing field.
    const done = await store
      .findOneAndUpdate({ _id: attemptId, status: 'in-progress', revision: a.revision ?? null }, { $set: set }, { returnDocument: 'after' })
      .lean<AttemptDoc>();
    if (done) return done;
  }
  throw new ConflictError('The attempt kept changing while it was being submitted. Please try again.');
}

const FINALIZE_ROUNDS = 20;

/** The collection an attempt lives in: `Attempt`, or `PreviewAttempt` for an instructor's preview. */
export type AttemptStore = typeof Attempt;

/** Submits, with what was saved, the caller's attempts that ran past their deadline (the lazy half of the server-side timer). */
export async function finalizeExpired(filter: Record<string, unknown>, now: Date): Promise<void> {
  const open = await Attempt.find(
    { ...filter, status: 'in-progress', deadline: { $ne: null, $lt: new Date(now.getTime() - GRACE_MS) } },
    { _id: 1, status: 1, deadline: 1 },
  ).lean<AttemptDoc[]>();
  for (const a of open) if (isExpired(a, now)) await finalize(Attempt, a._id, now, 'deadline');
}

const attemptsOf = (quizId: mongoose.Types.ObjectId, userId: string) =>
  Attempt.find({ quizId, userId: oid(userId) }, { slots: 0 })
    .sort({ number: 1 })
    .lean<AttemptDoc[]>();

/** A student's attempt summary with what the review settings let them see now. */
export interface AttemptSummary {
  id: string;
  number: number;
  status: 'in-progress' | 'submitted';
  startedAt: Date;
  deadline: Date | null;
  submittedAt: Date | null;
  submittedBy: string | null;
  /** Shown only when the review allows (null otherwise). */
  score: number | null;
  /** Submitted with essays still to be marked by the instructor (no score yet). */
  needsGrading: boolean;
  review: ReviewAllowance;
}

function summarise(s: QuizSettings, a: AttemptDoc, submittedCount: number, now: Date): AttemptSummary {
  const review = reviewAllowance(s, { submitted: a.status === 'submitted', attemptsSubmitted: submittedCount, now, submittedAt: a.submittedAt ?? null });
  return {
    id: String(a._id),
    number: a.number,
    status: a.status,
    startedAt: a.startedAt,
    deadline: a.deadline ?? null,
    submittedAt: a.submittedAt ?? null,
    submittedBy: a.submittedBy ?? null,
    score: review.showScore ? (a.score ?? null) : null,
    needsGrading: a.status === 'submitted' && a.needsGrading === true,
    review,
  };
}

/** A student's view of an assigned quiz: its settings, their state, attempts and grade as far as the review allows. */
export interface StudentQuizView {
  id: string;
  title: string;
  className: string;
  /** The student's own settings: the quiz's, with any override for them or their class. */
  settings: QuizSettings;
  /** Whether an override changed them. */
  overridden: boolean;
  questionCount: number;
  state: AssignmentState;
  attempts: AttemptSummary[];
  inProgressId: string | null;
  canStart: boolean;
  startRefusal: string | null;
  /** By the grading method, over the attempts whose score may be shown; null when none. */
  grade: number | null;
  passed: boolean | null;
}

async function studentView(quiz: QuizDoc, classId: string, userId: string, now: Date, className?: string): Promise<StudentQuizView> {
  const s = await studentSettings(quiz, userId, classId);
  const attempts = await attemptsOf(quiz._id, userId);
  const submittedCount = attempts.filter((a) => a.status === 'submitted').length;
  const summaries = attempts.map((a) => summarise(s, a, submittedCount, now));
  const visible = summaries.filter((a) => a.score !== null).map((a) => ({ number: a.number, status: a.status, score: a.score }));
  const grade = gradeFor(visible, s.gradingMethod);
  const refusal = startRefusal(s, attempts, now);
  const view = viewOf(quiz);
  return {
    id: String(quiz._id),
    title: quiz.title,
    className: className ?? (await classNames([classId])).get(classId) ?? '',
    settings: s,
    overridden: s.overridden,
    questionCount: view.questionCount,
    state: assignmentState(s, attempts, now),
    attempts: summaries,
    inProgressId: summaries.find((a) => a.status === 'in-progress')?.id ?? null,
    canStart: refusal === null,
    startRefusal: refusal,
    grade,
    passed: grade !== null && s.passMark !== null ? grade * 100 >= s.passMark : null,
  };
}

/** The quiz page for a student of one of its classes (404 for anyone else). */
export async function getStudentQuiz(caller: Caller, quizId: string, now: Date): Promise<StudentQuizView> {
  const { quiz, classId, classArchived } = await quizForStudent(caller, quizId);
  await finalizeExpired({ quizId: quiz._id, userId: oid(caller.id) }, now);
  const view = await studentView(quiz, classId, caller.id, now);
  return classArchived ? { ...view, inProgressId: null, canStart: false, startRefusal: CLASS_ARCHIVED_REFUSAL } : view;
}

/** Every quiz assigned to the caller through their classes, with its state and grade as the review settings allow. */
export async function listAssigned(caller: Caller, now: Date): Promise<StudentQuizView[]> {
  await finalizeExpired({ userId: oid(caller.id) }, now);
  // An archived class's quizzes are no longer work to do: they stay on the class's page, with their results.
  const joined = (await membershipsOf(caller.id)).map((r) => r.classId);
  const archived = await archivedClassIds(joined);
  const classIds = joined.filter((id) => !archived.has(id));
  const quizzes = await Quiz.find({ classIds: { $in: classIds.map(oid) }, archivedAt: null }).lean<QuizDoc[]>();
  const names = await classNames(classIds);
  const mine = new Set(classIds);
  const views: StudentQuizView[] = [];
  for (const q of quizzes) {
    const classId = (q.classIds ?? []).map(String).find((id) => mine.has(id))!;
    views.push(await studentView(q, classId, caller.id, now, names.get(classId)));
  }
  const dueKey = (v: StudentQuizView) => (v.settings.dueAt ?? v.settings.closesAt ?? new Date(8.64e15)).getTime();
  return views.sort((a, b) => dueKey(a) - dueKey(b) || a.title.localeCompare(b.title));
}

/**
 * Starts an attempt, or returns the one in progress. Freezes the questions: each slot keeps the
 * question's version, its definition and its presentation (shuffled with the attempt's seed),
 * so later edits of the bank change nothing. Two racing starts cannot both pass the attempt
 * limit: the unique index on `{ quizId, userId, number }` lets one insert win.
 */
export async function startAttempt(caller: Caller, quizId: string, now: Date): Promise<{ attemptId: string; resumed: boolean }> {
  const { quiz, classId, classArchived } = await quizForStudent(caller, quizId);
  if (classArchived) throw new ConflictError(CLASS_ARCHIVED_REFUSAL);
  await finalizeExpired({ quizId: quiz._id, userId: oid(caller.id) }, now);
  const attempts = await attemptsOf(quiz._id, caller.id);
  const open = attempts.find((a) => a.status === 'in-progress');
  if (open) return { attemptId: String(open._id), resumed: true };
  const s = await studentSettings(quiz, caller.id, classId);
  const refusal = startRefusal(s, attempts, now);
  if (refusal) throw new ConflictError(refusal);

  const number = attempts.length + 1;
  const seed = `${String(quiz._id)}:${caller.id}:${number}`;
  const slots = await drawSlots(quiz, seed);
  try {
    const doc = await Attempt.create({
      quizId: quiz._id,
      userId: oid(caller.id),
      classId: oid(classId),
      number,
      status: 'in-progress',
      startedAt: now,
      deadline: attemptDeadline(now, s),
      seed,
      slots,
    });
    // The class may have been archived since it was read, after archiving submitted the attempts
    // it found: archiving writes the flag before it looks, so a second look after the insert
    // sees it, and this attempt is submitted (empty) as archiving would have.
    if ((await archivedClassIds([classId])).has(classId)) {
      await finalize(Attempt, doc._id, now, 'archived');
      throw new ConflictError(CLASS_ARCHIVED_REFUSAL);
    }
    return { attemptId: String(doc._id), resumed: false };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // Another tab started attempt `number` at the same moment: resume it rather than start another.
    const raced = await Attempt.findOne({ quizId: quiz._id, userId: oid(caller.id), status: 'in-progress' }, { _id: 1 }).lean<AttemptDoc>();
    if (raced) return { attemptId: String(raced._id), resumed: true };
    throw new ConflictError('You have used all your attempts.');
  }
}

/** Draws and freezes an attempt's questions with its seed, as a student's attempt (and a preview) gets them. */
export async function drawSlots(quiz: QuizDoc, seed: string) {
  const s = settingsOf(quiz);
  const rng = seededRng(seed);
  const view = viewOf(quiz);
  const selection: Selection = view.mode === 'pick' ? { mode: 'pick', questionIds: view.questionIds } : { mode: 'rules', rules: view.rules };
  let pool: (PoolQuestion & { stored: StoredQuestion })[];
  if (view.mode === 'pick') {
    const found = await questionsByIds(view.questionIds);
    pool = [...found.values()].filter((q) => q.definition.type !== 'card').map((q) => ({ id: q.id, topics: q.definition.topics, stored: q }));
  } else {
    pool = await poolOf(view.bankIds);
  }
  const byId = new Map(pool.map((p) => [p.id, p.stored]));
  const ids = drawQuestions(selection, pool, rng, s.shuffleQuestions);
  if (ids.length === 0) throw new ConflictError('This quiz has no questions to answer yet. Please tell your instructor.');
  return ids.map((id) => {
    const q = byId.get(id)!;
    const presentation: PresentedQuestion = presentQuestion(q.definition, s.shuffleChoices ? rng : undefined);
    return {
      questionId: oid(q.id),
      bankId: oid(q.bankId),
      key: q.key,
      version: q.version,
      definition: q.definition,
      presentation,
      response: null,
      savedAt: null,
      score: null,
    };
  });
}

/** Throws 403 unless the caller builds quizzes. */
export function assertInstructor(caller: Caller): void {
  if (!canAuthor(caller)) throw new ForbiddenError('Only instructors can build quizzes.');
}

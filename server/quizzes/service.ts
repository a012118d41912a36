import mongoose from 'mongoose';
import { LRUCache } from 'lru-cache';
import { Quiz, Attempt, type QuizDoc, type AttemptDoc, type SlotDoc } from './model.ts';
import { Bank, type BankDoc } from '../banks/model.ts';
import { User, type UserDoc } from '../accounts/model.ts';
import { Class, Enrolment, type ClassDoc, type EnrolmentDoc } from '../classes/model.ts';
import { canEditBank, findQuestions, questionsByIds, type StoredQuestion } from '../banks/service.ts';
import type { Caller } from '../accounts/roles.ts';
import {
  presentQuestion,
  parseResponse,
  gradeResponse,
  blankResponse,
  isBlankResponse,
  answerKeyText,
  responseText,
  type QuestionDefinition,
  type QuestionResponse,
  type PresentedQuestion,
  type GradeResult,
} from '../questions/index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors.ts';
import { drawQuestions, ruleShortfalls, seededRng, type PoolQuestion, type Selection } from './draw-questions.ts';
import { gradeFor, type GradingMethod } from './grading-method.ts';
import { GRACE_MS, assignmentState, attemptDeadline, isExpired, startRefusal, takesAnswers, type AssignmentState } from './attempt-state.ts';
import { reviewAllowance, type ReviewAllowance, type FeedbackTiming, type ReviewLevel } from './review-policy.ts';
import { quizFormRules, type QuizInput } from './schemas.ts';
import { isObjectId, toObjectId as oid } from '../object-ids.ts';

export { gradeFor } from './grading-method.ts';

const SHIPPED_BANK_SLUG = 'sco-policy-brief';
const isDuplicateKey = (err: unknown) => (err as { code?: unknown })?.code === 11000;

/** A quiz's settings as plain values. */
export interface QuizSettings {
  timeLimitMinutes: number | null;
  opensAt: Date | null;
  dueAt: Date | null;
  closesAt: Date | null;
  attemptsAllowed: number;
  gradingMethod: GradingMethod;
  shuffleQuestions: boolean;
  shuffleChoices: boolean;
  feedbackTiming: FeedbackTiming;
  reviewShows: ReviewLevel;
  passMark: number | null;
}

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
}

function settingsOf(q: QuizDoc): QuizSettings {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const s = (q.settings ?? {}) as Record<string, any>;
  return {
    timeLimitMinutes: s.timeLimitMinutes ?? null,
    opensAt: s.opensAt ?? null,
    dueAt: s.dueAt ?? null,
    closesAt: s.closesAt ?? null,
    attemptsAllowed: s.attemptsAllowed ?? 1,
    gradingMethod: (s.gradingMethod ?? 'highest') as GradingMethod,
    shuffleQuestions: Boolean(s.shuffleQuestions),
    shuffleChoices: Boolean(s.shuffleChoices),
    feedbackTiming: (s.feedbackTiming ?? 'immediately') as FeedbackTiming,
    reviewShows: (s.reviewShows ?? 'explanations') as ReviewLevel,
    passMark: s.passMark ?? null,
  };
}

function viewOf(q: QuizDoc): QuizView {
  const sel = q.selection ?? { mode: 'pick', questionIds: [], rules: [] };
  const mode = sel.mode as 'pick' | 'rules';
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
    questionCount: mode === 'pick' ? questionIds.length : rules.reduce((n, r) => n + r.count, 0),
  };
}

const owns = (caller: Caller, q: Pick<QuizDoc, 'ownerId'>) => caller.role === 'admin' || String(q.ownerId) === caller.id;

// ---------------------------------------------------------------- building quizzes

/** The banks an instructor may build from: the ones they can edit and the shipped bank. */
export async function buildableBanks(caller: Caller): Promise<BankDoc[]> {
  const banks = await Bank.find({ $or: [{ slug: SHIPPED_BANK_SLUG }, { ownerId: oid(caller.id) }] }).sort({ title: 1 }).lean<BankDoc[]>();
  const all = caller.role === 'admin' ? await Bank.find({}).sort({ title: 1 }).lean<BankDoc[]>() : banks;
  return all.filter((b) => b.slug === SHIPPED_BANK_SLUG || canEditBank(caller, b));
}

/** What the builder page lists: banks, the questions of the chosen banks (filtered by topic), the caller's classes. */
export async function builderData(caller: Caller, chosenBankIds: readonly string[], topics: readonly string[]) {
  const banks = await buildableBanks(caller);
  const allowed = new Set(banks.map((b) => String(b._id)));
  let bankIds = chosenBankIds.filter((id) => allowed.has(id));
  if (bankIds.length === 0) bankIds = banks.filter((b) => b.slug === SHIPPED_BANK_SLUG).map((b) => String(b._id)).slice(0, 1);
  const questions: (StoredQuestion & { bankTitle: string })[] = [];
  for (const id of bankIds) {
    const title = banks.find((b) => String(b._id) === id)?.title ?? '';
    const qs = await findQuestions(id, topics.length ? { topics: topics as never } : {});
    questions.push(...qs.map((q) => ({ ...q, bankTitle: title })));
  }
  const classes = await Class.find({ instructorId: oid(caller.id) }).sort({ name: 1 }).lean<ClassDoc[]>();
  return {
    banks: banks.map((b) => ({ id: String(b._id), title: b.title, slug: b.slug })),
    bankIds,
    questions: questions.map((q) => ({ id: q.id, key: q.key, bankTitle: q.bankTitle, type: q.definition.type, topics: q.definition.topics, prompt: q.definition.prompt })),
    classes: classes.map((c) => ({ id: String(c._id), name: c.name })),
  };
}

/** Checks a builder form against the database: banks, questions, rules and classes must be the caller's to use. */
async function checkQuizInput(caller: Caller, input: QuizInput): Promise<void> {
  const errors = quizFormRules(input);
  const banks = await buildableBanks(caller);
  const allowed = new Set(banks.map((b) => String(b._id)));
  if (input.bankIds.some((id) => !allowed.has(id))) errors.bankIds = 'Choose only banks you can use.';
  if (!errors.bankIds) {
    if (input.mode === 'pick' && input.questionIds.length) {
      const found = await questionsByIds(input.questionIds);
      const ok = input.questionIds.every((id) => found.has(id) && input.bankIds.includes(found.get(id)!.bankId));
      if (!ok) errors.questionIds = 'Tick only questions from the chosen banks.';
    }
    if (input.mode === 'rules' && input.rules.length) {
      const pool = await poolOf(input.bankIds);
      const short = ruleShortfalls(input.rules, pool);
      short.forEach((n, i) => {
        if (n > 0) errors[`rule${i}_count`] ??= `The chosen banks have ${n} question${n === 1 ? '' : 's'} too few for this rule (with the rules above it).`;
      });
    }
  }
  if (input.classIds.length) {
    const mine = await Class.countDocuments({ _id: { $in: input.classIds.map(oid) }, ...(caller.role === 'admin' ? {} : { instructorId: oid(caller.id) }) });
    if (mine !== input.classIds.length) errors.classIds = 'Assign the quiz only to classes you teach.';
  }
  if (Object.keys(errors).length) throw new ValidationError('Please correct the fields marked below.', errors);
}

function quizFields(input: QuizInput) {
  return {
    title: input.title,
    bankIds: input.bankIds.map(oid),
    selection: { mode: input.mode, questionIds: input.mode === 'pick' ? input.questionIds.map(oid) : [], rules: input.mode === 'rules' ? input.rules : [] },
    settings: input.settings,
    classIds: input.classIds.map(oid),
  };
}

/** Creates a quiz owned by the caller. */
export async function createQuiz(caller: Caller, input: QuizInput): Promise<QuizView> {
  await checkQuizInput(caller, input);
  const doc = await Quiz.create({ ...quizFields(input), ownerId: oid(caller.id) });
  return viewOf(doc.toObject() as QuizDoc);
}

/** Changes a quiz the caller owns; attempts already started keep their frozen questions. */
export async function updateQuiz(caller: Caller, quizId: string, input: QuizInput): Promise<QuizView> {
  await getOwnQuiz(caller, quizId);
  await checkQuizInput(caller, input);
  await Quiz.updateOne({ _id: oid(quizId) }, { $set: quizFields(input) });
  return getOwnQuiz(caller, quizId);
}

/** A quiz the caller owns: 404 when it does not exist or is someone else's. */
export async function getOwnQuiz(caller: Caller, quizId: string): Promise<QuizView> {
  const q = isObjectId(quizId) ? await Quiz.findById(quizId).lean<QuizDoc>() : null;
  if (!q || !owns(caller, q)) throw new NotFoundError('We could not find that quiz.');
  return viewOf(q);
}

/** The quizzes the caller owns, newest first. */
export async function listOwnQuizzes(caller: Caller): Promise<QuizView[]> {
  const qs = await Quiz.find({ ownerId: oid(caller.id) }).sort({ createdAt: -1 }).lean<QuizDoc[]>();
  return qs.map(viewOf);
}

/** The quizzes assigned to a class (titles and ids). */
export async function quizzesForClass(classId: string): Promise<{ id: string; title: string }[]> {
  if (!isObjectId(classId)) return [];
  const qs = await Quiz.find({ classIds: oid(classId) }).sort({ title: 1 }).lean<QuizDoc[]>();
  return qs.map((q) => ({ id: String(q._id), title: q.title }));
}

/** Class names by id, for pages. */
export async function classNames(ids: readonly string[]): Promise<Map<string, string>> {
  const cs = await Class.find({ _id: { $in: ids.filter(isObjectId).map(oid) } }).lean<ClassDoc[]>();
  return new Map(cs.map((c) => [String(c._id), c.name]));
}

// ---------------------------------------------------------------- attempts

/** The live questions of some banks, as the draw sees them. */
async function poolOf(bankIds: readonly string[]): Promise<(PoolQuestion & { stored: StoredQuestion })[]> {
  const pool: (PoolQuestion & { stored: StoredQuestion })[] = [];
  for (const id of bankIds) for (const q of await findQuestions(id)) pool.push({ id: q.id, topics: q.definition.topics, stored: q });
  return pool;
}

/** The quiz as a student of one of its classes may reach it: 404 for anyone else. Returns the class it reaches them through. */
async function quizForStudent(caller: Caller, quizId: string): Promise<{ quiz: QuizDoc; classId: string }> {
  const quiz = isObjectId(quizId) ? await Quiz.findById(quizId).lean<QuizDoc>() : null;
  if (!quiz) throw new NotFoundError('We could not find that quiz.');
  const rows = await Enrolment.find({ userId: oid(caller.id), classId: { $in: quiz.classIds ?? [] } }).lean<EnrolmentDoc[]>();
  if (rows.length === 0) throw new NotFoundError('We could not find that quiz. If your instructor assigned it, check that you are in their class.');
  return { quiz, classId: String(rows[0]!.classId) };
}

/** Grades an attempt's saved answers from its snapshot definitions. */
function gradeSlots(slots: readonly SlotDoc[]): { marks: number[]; score: number } {
  const marks = slots.map((s) => {
    const def = s.definition as QuestionDefinition;
    const response = (s.response as QuestionResponse | null) ?? blankResponse(def.type);
    return gradeResponse(def, response).score;
  });
  const score = marks.length ? marks.reduce((a, b) => a + b, 0) / marks.length : 0;
  return { marks, score };
}

/**
 * Submits an attempt once: grades the revision it read and writes it only if the attempt is
 * still in progress at that revision. A save that slipped in between makes it read and grade
 * again; a submit that lost the race returns the attempt as the winner left it.
 */
async function finalize(attemptId: mongoose.Types.ObjectId, now: Date, by: 'student' | 'deadline'): Promise<AttemptDoc> {
  for (;;) {
    const a = await Attempt.findById(attemptId).lean<AttemptDoc>();
    if (!a) throw new NotFoundError('We could not find that attempt.');
    if (a.status === 'submitted') return a;
    const { marks, score } = gradeSlots(a.slots);
    const submittedAt = by === 'deadline' && a.deadline ? a.deadline : now;
    const set: Record<string, unknown> = { status: 'submitted', score, marks, submittedAt, submittedBy: by };
    marks.forEach((m, i) => (set[`slots.${i}.score`] = m));
    const done = await Attempt.findOneAndUpdate({ _id: attemptId, status: 'in-progress', revision: a.revision ?? 0 }, { $set: set }, { new: true }).lean<AttemptDoc>();
    if (done) return done;
  }
}

/** Submits, with what was saved, the caller's attempts that ran past their deadline (the lazy half of the server-side timer). */
async function finalizeExpired(filter: Record<string, unknown>, now: Date): Promise<void> {
  const open = await Attempt.find({ ...filter, status: 'in-progress', deadline: { $ne: null, $lt: new Date(now.getTime() - GRACE_MS) } }, { _id: 1, status: 1, deadline: 1 }).lean<AttemptDoc[]>();
  for (const a of open) if (isExpired(a, now)) await finalize(a._id, now, 'deadline');
}

const attemptsOf = (quizId: mongoose.Types.ObjectId, userId: string) =>
  Attempt.find({ quizId, userId: oid(userId) }, { slots: 0 }).sort({ number: 1 }).lean<AttemptDoc[]>();

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
  review: ReviewAllowance;
}

function summarise(quiz: QuizDoc, a: AttemptDoc, submittedCount: number, now: Date): AttemptSummary {
  const s = settingsOf(quiz);
  const review = reviewAllowance(s, { submitted: a.status === 'submitted', attemptsSubmitted: submittedCount, now });
  return {
    id: String(a._id),
    number: a.number,
    status: a.status as 'in-progress' | 'submitted',
    startedAt: a.startedAt,
    deadline: a.deadline ?? null,
    submittedAt: a.submittedAt ?? null,
    submittedBy: a.submittedBy ?? null,
    score: review.showScore ? (a.score ?? null) : null,
    review,
  };
}

/** A student's view of an assigned quiz: its settings, their state, attempts and grade as far as the review allows. */
export interface StudentQuizView {
  id: string;
  title: string;
  className: string;
  settings: QuizSettings;
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
  const s = settingsOf(quiz);
  const attempts = await attemptsOf(quiz._id, userId);
  const submittedCount = attempts.filter((a) => a.status === 'submitted').length;
  const summaries = attempts.map((a) => summarise(quiz, a, submittedCount, now));
  const visible = summaries.filter((a) => a.score !== null).map((a) => ({ number: a.number, status: a.status, score: a.score }));
  const grade = gradeFor(visible, s.gradingMethod);
  const refusal = startRefusal(s, attempts as { status: 'in-progress' | 'submitted' }[], now);
  const view = viewOf(quiz);
  return {
    id: String(quiz._id),
    title: quiz.title,
    className: className ?? (await classNames([classId])).get(classId) ?? '',
    settings: s,
    questionCount: view.questionCount,
    state: assignmentState(s, attempts as { status: 'in-progress' | 'submitted' }[], now),
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
  const { quiz, classId } = await quizForStudent(caller, quizId);
  await finalizeExpired({ quizId: quiz._id, userId: oid(caller.id) }, now);
  return studentView(quiz, classId, caller.id, now);
}

/** Every quiz assigned to the caller through their classes, with its state and grade as the review settings allow. */
export async function listAssigned(caller: Caller, now: Date): Promise<StudentQuizView[]> {
  await finalizeExpired({ userId: oid(caller.id) }, now);
  const rows = await Enrolment.find({ userId: oid(caller.id) }).lean<EnrolmentDoc[]>();
  const classIds = rows.map((r) => r.classId);
  const quizzes = await Quiz.find({ classIds: { $in: classIds } }).lean<QuizDoc[]>();
  const names = await classNames(classIds.map(String));
  const mine = new Set(classIds.map(String));
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
  const { quiz, classId } = await quizForStudent(caller, quizId);
  await finalizeExpired({ quizId: quiz._id, userId: oid(caller.id) }, now);
  const attempts = await attemptsOf(quiz._id, caller.id);
  const open = attempts.find((a) => a.status === 'in-progress');
  if (open) return { attemptId: String(open._id), resumed: true };
  const s = settingsOf(quiz);
  const refusal = startRefusal(s, attempts as { status: 'in-progress' | 'submitted' }[], now);
  if (refusal) throw new ConflictError(refusal);

  const number = attempts.length + 1;
  const seed = `${String(quiz._id)}:${caller.id}:${number}`;
  const rng = seededRng(seed);
  const view = viewOf(quiz);
  const selection: Selection = view.mode === 'pick' ? { mode: 'pick', questionIds: view.questionIds } : { mode: 'rules', rules: view.rules };
  let pool: (PoolQuestion & { stored: StoredQuestion })[];
  if (view.mode === 'pick') {
    const found = await questionsByIds(view.questionIds);
    pool = [...found.values()].map((q) => ({ id: q.id, topics: q.definition.topics, stored: q }));
  } else {
    pool = await poolOf(view.bankIds);
  }
  const byId = new Map(pool.map((p) => [p.id, p.stored]));
  const ids = drawQuestions(selection, pool, rng, s.shuffleQuestions);
  if (ids.length === 0) throw new ConflictError('This quiz has no questions to answer yet. Please tell your instructor.');
  const slots = ids.map((id) => {
    const q = byId.get(id)!;
    const presentation: PresentedQuestion = presentQuestion(q.definition, s.shuffleChoices ? rng : undefined);
    return { questionId: oid(q.id), bankId: oid(q.bankId), key: q.key, version: q.version, definition: q.definition, presentation, response: null, savedAt: null, score: null };
  });
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
    return { attemptId: String(doc._id), resumed: false };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // Another tab started attempt `number` at the same moment: resume it rather than start another.
    const raced = await Attempt.findOne({ quizId: quiz._id, userId: oid(caller.id), status: 'in-progress' }, { _id: 1 }).lean<AttemptDoc>();
    if (raced) return { attemptId: String(raced._id), resumed: true };
    throw new ConflictError('You have used all your attempts.');
  }
}

/** One slot as the attempt page shows it: the frozen presentation and the saved response, never the definition. */
export interface SlotView {
  number: number;
  presentation: PresentedQuestion;
  response: QuestionResponse | null;
  answered: boolean;
  savedAt: Date | null;
}

/** An attempt in progress as the student taking it sees it. */
export interface TakingView {
  id: string;
  quizId: string;
  quizTitle: string;
  number: number;
  deadline: Date | null;
  slots: SlotView[];
}

/** The caller's own attempt, submitted first if its time ran out; 404 for anyone else's. */
async function ownAttempt(caller: Caller, attemptId: string, now: Date, projection?: Record<string, unknown>): Promise<AttemptDoc> {
  const a = isObjectId(attemptId) ? await Attempt.findOne({ _id: oid(attemptId), userId: oid(caller.id) }, projection).lean<AttemptDoc>() : null;
  if (!a) throw new NotFoundError('We could not find that attempt.');
  return isExpired(a, now) ? finalize(a._id, now, 'deadline') : a;
}

/** The caller's attempt to take: `{ submitted: true }` when it is already submitted (by them or by the clock). */
export async function getAttemptForTaking(caller: Caller, attemptId: string, now: Date): Promise<{ submitted: true; submittedBy: string | null } | { submitted: false; view: TakingView }> {
  const a = await ownAttempt(caller, attemptId, now);
  if (a.status === 'submitted') return { submitted: true, submittedBy: a.submittedBy ?? null };
  const quiz = await Quiz.findById(a.quizId, { title: 1 }).lean<QuizDoc>();
  return {
    submitted: false,
    view: {
      id: String(a._id),
      quizId: String(a.quizId),
      quizTitle: quiz?.title ?? 'Quiz',
      number: a.number,
      deadline: a.deadline ?? null,
      slots: a.slots.map((s, i) => ({
        number: i + 1,
        presentation: s.presentation as PresentedQuestion,
        response: (s.response as QuestionResponse | null) ?? null,
        answered: s.response ? !isBlankResponse(s.response as QuestionResponse) : false,
        savedAt: s.savedAt ?? null,
      })),
    },
  };
}

/**
 * The question definitions frozen into attempt slots, by attempt and slot, with the attempt's
 * owner. A slot's definition never changes once drawn, so a copy is always current, in any
 * process; what can change (status, deadline, owner) is checked by the write itself.
 */
const frozenSlots = new LRUCache<string, { userId: string; definition: QuestionDefinition }>({ max: 10_000 });

/**
 * Saves the answer to one slot (1-based) of the caller's attempt, as one atomic update of that
 * slot only, so two tabs saving different questions both keep theirs. Refused (409) once the
 * attempt is submitted or past its deadline and grace; bad input is a 400.
 *
 * Saving is the hot path of a class taking a quiz: with the slot's definition known, it is one
 * guarded write; anything unusual (first save of the slot in this process, an unreadable
 * answer, a write that matched nothing) takes the path that reads the attempt and says
 * exactly what is wrong.
 */
export async function saveAnswer(caller: Caller, attemptId: string, slot: number, raw: unknown, now: Date): Promise<{ savedAt: Date }> {
  const frozen = frozenSlots.get(`${attemptId}:${slot}`);
  if (frozen && frozen.userId === caller.id) {
    const parsed = parseResponse(frozen.definition, raw);
    if (parsed.ok && (await writeAnswer(caller, oid(attemptId), slot, parsed.response, now)).matchedCount === 1) return { savedAt: now };
  }
  const a = await ownAttempt(caller, attemptId, now, { status: 1, deadline: 1, submittedBy: 1, startedAt: 1, slots: { $slice: [slot - 1, 1] } });
  if (a.status === 'submitted') {
    throw new ConflictError(a.submittedBy === 'deadline' ? 'Time is up: this attempt was submitted with the answers saved before the deadline.' : 'This attempt has been submitted; answers can no longer change.');
  }
  const s = a.slots[0];
  if (!s) throw new NotFoundError('This attempt has no such question.');
  const definition = s.definition as QuestionDefinition;
  frozenSlots.set(`${attemptId}:${slot}`, { userId: caller.id, definition });
  const parsed = parseResponse(definition, raw);
  if (!parsed.ok) throw new ValidationError(`Your answer could not be saved: ${parsed.error}.`, { response: parsed.error });
  const res = await writeAnswer(caller, a._id, slot, parsed.response, now);
  if (res.modifiedCount === 0 && res.matchedCount === 0) {
    // Submitted by another tab, or the deadline passed between the read and the write.
    if (!takesAnswers(a.deadline ?? null, now)) {
      await finalize(a._id, now, 'deadline');
      throw new ConflictError('Time is up: this attempt was submitted with the answers saved before the deadline.');
    }
    throw new ConflictError('This attempt has been submitted; answers can no longer change.');
  }
  return { savedAt: now };
}

/** Writes one slot's answer, only into the caller's attempt while it still takes answers. */
function writeAnswer(caller: Caller, attemptId: mongoose.Types.ObjectId, slot: number, response: QuestionResponse, now: Date) {
  const i = slot - 1;
  // The driver's own updateOne: every value here already has its stored type, so Mongoose's
  // casting (a tenth of a save's time under load) has nothing to do.
  return Attempt.collection.updateOne(
    {
      _id: attemptId,
      userId: oid(caller.id),
      status: 'in-progress',
      $or: [{ deadline: null }, { deadline: { $gte: new Date(now.getTime() - GRACE_MS) } }],
      // A slot that exists: the cached path must not create one past the end.
      [`slots.${i}`]: { $exists: true },
    },
    { $set: { [`slots.${i}.response`]: response, [`slots.${i}.savedAt`]: now }, $inc: { revision: 1 } },
  );
}

/** Submits the caller's attempt; submitting twice grades once (the second just returns the result). */
export async function submitAttempt(caller: Caller, attemptId: string, now: Date): Promise<{ attemptId: string; alreadySubmitted: boolean }> {
  const a = await ownAttempt(caller, attemptId, now);
  if (a.status === 'submitted') return { attemptId: String(a._id), alreadySubmitted: true };
  const done = await finalize(a._id, now, 'student');
  // Another request may have submitted between our read and our write.
  return { attemptId: String(done._id), alreadySubmitted: done.submittedAt?.getTime() !== now.getTime() || done.submittedBy !== 'student' };
}

/** One question of a review, with only what the allowance lets the student see. */
export interface ReviewItem {
  number: number;
  prompt: string;
  /** The student's own answer, in words. */
  yourAnswer: string | null;
  result: GradeResult | null;
  keyText: string | null;
  explanation: string | null;
  source: { sourceId: string; passageId: string; quote: string } | null;
}

export interface ReviewView {
  attemptId: string;
  quizId: string;
  quizTitle: string;
  studentName: string;
  number: number;
  status: 'in-progress' | 'submitted';
  submittedAt: Date | null;
  submittedBy: string | null;
  allowance: ReviewAllowance;
  asInstructor: boolean;
  score: number | null;
  passMark: number | null;
  passed: boolean | null;
  items: ReviewItem[];
}

/**
 * The review of an attempt: the student who made it sees what the quiz's review settings allow
 * at `now`; the quiz's owner sees everything; anyone else gets a 404.
 */
export async function getReview(caller: Caller, attemptId: string, now: Date): Promise<ReviewView> {
  let a = isObjectId(attemptId) ? await Attempt.findById(attemptId).lean<AttemptDoc>() : null;
  if (!a) throw new NotFoundError('We could not find that attempt.');
  const quiz = await Quiz.findById(a.quizId).lean<QuizDoc>();
  if (!quiz) throw new NotFoundError('We could not find that attempt.');
  const isStudent = String(a.userId) === caller.id;
  const asInstructor = !isStudent && owns(caller, quiz);
  if (!isStudent && !asInstructor) throw new NotFoundError('We could not find that attempt.');
  if (isExpired(a, now)) a = await finalize(a._id, now, 'deadline');
  const s = settingsOf(quiz);
  const submittedCount = await Attempt.countDocuments({ quizId: quiz._id, userId: a.userId, status: 'submitted' });
  const allowance: ReviewAllowance = asInstructor
    ? { available: a.status === 'submitted', opensAt: null, waitingFor: a.status === 'submitted' ? null : 'The attempt is still in progress.', showScore: true, showCorrectness: true, showAnswers: true, showExplanations: true }
    : reviewAllowance(s, { submitted: a.status === 'submitted', attemptsSubmitted: submittedCount, now });
  const student = await User.findById(a.userId, { name: 1 }).lean<UserDoc>();
  const score = allowance.showScore ? (a.score ?? null) : null;
  const items: ReviewItem[] = !allowance.showCorrectness
    ? []
    : a.slots.map((slot, i) => {
        const def = slot.definition as QuestionDefinition;
        const response = (slot.response as QuestionResponse | null) ?? blankResponse(def.type);
        return {
          number: i + 1,
          prompt: (slot.presentation as PresentedQuestion).prompt,
          yourAnswer: responseText(def, response),
          result: gradeResponse(def, response),
          keyText: allowance.showAnswers ? answerKeyText(def) : null,
          explanation: allowance.showExplanations ? def.explanation : null,
          source: allowance.showExplanations ? { sourceId: 'sco-policy-brief', passageId: def.source.passageId, quote: def.source.quote } : null,
        };
      });
  if (allowance.showExplanations && items.length) {
    // The source of each question is its bank's source.
    const banks = await Bank.find({ _id: { $in: a.slots.map((x) => x.bankId) } }, { sourceId: 1 }).lean<BankDoc[]>();
    const sourceOf = new Map(banks.map((b) => [String(b._id), b.sourceId]));
    items.forEach((it, i) => {
      if (it.source) it.source.sourceId = sourceOf.get(String(a!.slots[i]!.bankId)) ?? it.source.sourceId;
    });
  }
  return {
    attemptId: String(a._id),
    quizId: String(quiz._id),
    quizTitle: quiz.title,
    studentName: student?.name ?? '',
    number: a.number,
    status: a.status as 'in-progress' | 'submitted',
    submittedAt: a.submittedAt ?? null,
    submittedBy: a.submittedBy ?? null,
    allowance,
    asInstructor,
    score,
    passMark: s.passMark,
    passed: score !== null && s.passMark !== null ? score * 100 >= s.passMark : null,
    items,
  };
}

/** A row of a quiz's results: a student, their attempts and their grade by the grading method. */
export interface ResultRow {
  userId: string;
  name: string;
  email: string;
  className: string;
  attempts: { id: string; number: number; status: string; score: number | null; submittedAt: Date | null; submittedBy: string | null }[];
  grade: number | null;
}

/** The results of a quiz the caller owns: every student of its classes (and anyone who made an attempt), by name. */
export async function quizResults(caller: Caller, quizId: string, now: Date): Promise<ResultRow[]> {
  const quiz = await getOwnQuiz(caller, quizId);
  await finalizeExpired({ quizId: oid(quiz.id) }, now);
  const attempts = await Attempt.find({ quizId: oid(quiz.id) }, { slots: 0 }).sort({ number: 1 }).lean<AttemptDoc[]>();
  const enrolments = await Enrolment.find({ classId: { $in: quiz.classIds.map(oid) } }).lean<EnrolmentDoc[]>();
  const userIds = [...new Set([...enrolments.map((e) => String(e.userId)), ...attempts.map((a) => String(a.userId))])];
  const users = await User.find({ _id: { $in: userIds.map(oid) } }, { name: 1, email: 1 }).lean<UserDoc[]>();
  const names = await classNames([...quiz.classIds, ...attempts.map((a) => String(a.classId))]);
  const classOf = new Map(enrolments.map((e) => [String(e.userId), String(e.classId)]));
  for (const a of attempts) if (!classOf.has(String(a.userId)) && a.classId) classOf.set(String(a.userId), String(a.classId));
  return users
    .map((u) => {
      const mine = attempts.filter((a) => String(a.userId) === String(u._id));
      return {
        userId: String(u._id),
        name: u.name,
        email: u.email,
        className: names.get(classOf.get(String(u._id)) ?? '') ?? '',
        attempts: mine.map((a) => ({ id: String(a._id), number: a.number, status: a.status, score: a.score ?? null, submittedAt: a.submittedAt ?? null, submittedBy: a.submittedBy ?? null })),
        grade: gradeFor(mine as { number: number; status: 'in-progress' | 'submitted'; score: number | null }[], quiz.settings.gradingMethod),
      };
    })
    .sort((x, y) => x.name.localeCompare(y.name));
}

/** Throws 403 unless the caller builds quizzes. */
export function assertInstructor(caller: Caller): void {
  if (caller.role !== 'instructor' && caller.role !== 'admin') throw new ForbiddenError('Only instructors can build quizzes.');
}

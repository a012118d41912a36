import { Quiz, Attempt, PreviewAttempt, storeOf, type QuizDoc, type AttemptDoc } from './model.ts';
import { sourceOfBanks } from '../banks/index.ts';
import { sourceEvidence, type SourceEvidence } from '../practice/index.ts';
import { authorStanding, NO_LONGER_AUTHOR, usersByIds, type Caller } from '../accounts/index.ts';
import { canManageQuiz as owns } from './policy.ts';
import { classNames, membershipsIn } from '../classes/index.ts';
import { blankResponse, answerKeyText, isHandMarked, responseText, type GradeResult } from '../questions/index.ts';
import { slotResult } from './attempt-marks.ts';
import { regradeNotes, type RegradeNote } from './regrade-service.ts';
import { ForbiddenError, NotFoundError } from '../http/errors.ts';
import { gradeFor } from './grading-method.ts';
import { isExpired } from './attempt-state.ts';
import { reviewAllowance, type ReviewAllowance } from './review-policy.ts';
import { quizSettings as settingsOf } from './settings.ts';
import { studentSettings } from './override-service.ts';
import { finalize, finalizeExpired, getOwnQuiz } from './service.ts';
import { isObjectId, toObjectId as oid } from '../object-ids.ts';

// What a submitted attempt shows (the review, per the quiz's review options) and a quiz's results.

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
  /** The cited passage with its quote marked, as practice feedback shows it (when the review shows sources). */
  evidence?: SourceEvidence | null;
  /** An essay: its key is a model answer, and its mark comes from the grader. */
  essay: boolean;
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
  /** An instructor's preview, reviewed as their students would see it. */
  preview: boolean;
  score: number | null;
  passMark: number | null;
  passed: boolean | null;
  items: ReviewItem[];
  /** Submitted with essays the instructor has not marked yet: no score until they are. */
  needsGrading: boolean;
  /** Each regrade applied to this attempt, oldest first. */
  regrades: RegradeNote[];
}

/**
 * The review of an attempt: the student who made it sees what the quiz's review settings allow
 * at `now`; the quiz's owner sees everything; anyone else gets a 404.
 */
export async function getReview(caller: Caller, attemptId: string, now: Date): Promise<ReviewView> {
  let a = isObjectId(attemptId)
    ? ((await Attempt.findById(attemptId).lean<AttemptDoc>()) ?? (await PreviewAttempt.findById(attemptId).lean<AttemptDoc>()))
    : null;
  if (!a) throw new NotFoundError('We could not find that attempt.');
  const store = storeOf(a);
  const quiz = await Quiz.findById(a.quizId).lean<QuizDoc>();
  if (!quiz) throw new NotFoundError('We could not find that attempt.');
  const isStudent = String(a.userId) === caller.id;
  if (!isStudent && authorStanding(caller, quiz.ownerId) === 'former-author') throw new ForbiddenError(NO_LONGER_AUTHOR);
  const asInstructor = !isStudent && owns(caller, quiz);
  // An archived quiz is hidden from its students, reviews included.
  if (isStudent && quiz.archivedAt && !a.preview) throw new NotFoundError('We could not find that attempt.');
  if (!isStudent && !asInstructor) throw new NotFoundError('We could not find that attempt.');
  if (isExpired(a, now)) a = await finalize(store, a._id, now, 'deadline');
  const s = asInstructor || a.preview ? settingsOf(quiz) : await studentSettings(quiz, String(a.userId), a.classId ? String(a.classId) : null);
  const submittedCount = await store.countDocuments({ quizId: quiz._id, userId: a.userId, status: 'submitted' });
  const allowance: ReviewAllowance = asInstructor
    ? {
        available: a.status === 'submitted',
        opensAt: null,
        waitingFor: a.status === 'submitted' ? null : 'The attempt is still in progress.',
        showScore: true,
        showCorrectness: true,
        showAnswers: true,
        showExplanations: true,
        showSource: true,
      }
    : reviewAllowance(s, { submitted: a.status === 'submitted', attemptsSubmitted: submittedCount, now, submittedAt: a.submittedAt ?? null });
  const student = (await usersByIds([String(a.userId)])).get(String(a.userId));
  const score = allowance.showScore ? (a.score ?? null) : null;
  // Each question is listed when the phase shows anything about it; each part only as it allows.
  const perQuestion = allowance.showCorrectness || allowance.showAnswers || allowance.showExplanations || allowance.showSource;
  const items: ReviewItem[] = !perQuestion
    ? []
    : a.slots.map((slot, i) => {
        const def = slot.definition;
        const response = slot.response ?? blankResponse(def.type);
        return {
          number: i + 1,
          prompt: slot.presentation.prompt,
          yourAnswer: responseText(def, response),
          result: allowance.showCorrectness ? slotResult(slot) : null,
          keyText: allowance.showAnswers ? answerKeyText(def) : null,
          explanation: allowance.showExplanations ? def.explanation : null,
          source: allowance.showSource ? { sourceId: '', passageId: def.source.passageId, quote: def.source.quote } : null,
          essay: isHandMarked(def),
        };
      });
  if (allowance.showSource && items.length) {
    // The source of each question is its bank's source.
    const sourceOf = await sourceOfBanks(a.slots.map((x) => String(x.bankId)));
    await Promise.all(
      items.map(async (it, i) => {
        if (!it.source) return;
        const def = a!.slots[i]!.definition;
        it.source.sourceId = def.source.sourceId ?? sourceOf.get(String(a!.slots[i]!.bankId)) ?? it.source.sourceId;
        it.evidence = await sourceEvidence(it.source.sourceId, def);
      }),
    );
  }
  return {
    attemptId: String(a._id),
    quizId: String(quiz._id),
    quizTitle: quiz.title,
    studentName: student?.name ?? '',
    number: a.number,
    status: a.status,
    submittedAt: a.submittedAt ?? null,
    submittedBy: a.submittedBy ?? null,
    allowance,
    asInstructor,
    preview: a.preview === true,
    score,
    passMark: s.passMark,
    passed: score !== null && s.passMark !== null ? score * 100 >= s.passMark : null,
    items,
    needsGrading: a.status === 'submitted' && a.needsGrading === true,
    regrades: await regradeNotes(a.regrades ?? [], allowance.showScore),
  };
}

/** A row of a quiz's results: a student, their attempts and their grade by the grading method. */
export interface ResultRow {
  userId: string;
  name: string;
  email: string;
  className: string;
  attempts: {
    id: string;
    number: number;
    status: string;
    score: number | null;
    submittedAt: Date | null;
    submittedBy: string | null;
    needsGrading: boolean;
    regraded: boolean;
  }[];
  grade: number | null;
}

/** The results of a quiz the caller owns: every student of its classes (and anyone who made an attempt), by name. */
export async function quizResults(caller: Caller, quizId: string, now: Date): Promise<ResultRow[]> {
  const quiz = await getOwnQuiz(caller, quizId);
  await finalizeExpired({ quizId: oid(quiz.id) }, now);
  const attempts = await Attempt.find({ quizId: oid(quiz.id) }, { slots: 0 })
    .sort({ number: 1 })
    .lean<AttemptDoc[]>();
  const enrolments = await membershipsIn(quiz.classIds);
  const userIds = [...new Set([...enrolments.map((e) => e.userId), ...attempts.map((a) => String(a.userId))])];
  const users = [...(await usersByIds(userIds)).values()];
  const names = await classNames([...quiz.classIds, ...attempts.map((a) => String(a.classId))]);
  const classOf = new Map(enrolments.map((e) => [e.userId, e.classId]));
  for (const a of attempts) if (!classOf.has(String(a.userId)) && a.classId) classOf.set(String(a.userId), String(a.classId));
  return users
    .map((u) => {
      const mine = attempts.filter((a) => String(a.userId) === u.id);
      return {
        userId: u.id,
        name: u.name,
        email: u.email,
        className: names.get(classOf.get(u.id) ?? '') ?? '',
        attempts: mine.map((a) => ({
          id: String(a._id),
          number: a.number,
          status: a.status,
          score: a.score ?? null,
          submittedAt: a.submittedAt ?? null,
          submittedBy: a.submittedBy ?? null,
          needsGrading: a.status === 'submitted' && a.needsGrading === true,
          regraded: (a.regrades ?? []).length > 0,
        })),
        grade: gradeFor(mine, quiz.settings.gradingMethod),
      };
    })
    .sort((x, y) => x.name.localeCompare(y.name));
}

import { PreviewAttempt, Quiz, type QuizDoc } from './model.ts';
import { canManageQuiz } from './policy.ts';
import { drawSlots } from './service.ts';
import { attemptDeadline } from './attempt-state.ts';
import { quizSettings } from './settings.ts';
import { NotFoundError } from '../http/errors.ts';
import { isObjectId, toObjectId as oid } from '../object-ids.ts';
import type { Caller } from '../accounts/index.ts';

/**
 * Starts an instructor's preview of a quiz they manage: the questions drawn and shuffled as for a
 * student, the same timer, the review the settings allow. It is kept apart (PreviewAttempt), so no
 * attempt is recorded and results, statistics and the gradebook stay as they were. The caller's
 * previous preview of this quiz is discarded. Opening and closing times do not stop a preview (an
 * instructor checks a quiz before it opens); a closing time still to come shortens the timer as it
 * would for a student starting now.
 */
export async function startPreview(caller: Caller, quizId: string, now: Date): Promise<{ attemptId: string }> {
  const quiz = isObjectId(quizId) ? await Quiz.findById(quizId).lean<QuizDoc>() : null;
  if (!quiz || !canManageQuiz(caller, quiz)) throw new NotFoundError('We could not find that quiz.');
  const s = quizSettings(quiz);
  await PreviewAttempt.deleteMany({ quizId: quiz._id, userId: oid(caller.id) });
  const seed = `preview:${String(quiz._id)}:${caller.id}:${now.getTime()}`;
  const slots = await drawSlots(quiz, seed);
  const closesAt = s.closesAt && s.closesAt > now ? s.closesAt : null;
  const doc = await PreviewAttempt.create({
    quizId: quiz._id,
    userId: oid(caller.id),
    classId: null,
    number: 1,
    status: 'in-progress',
    startedAt: now,
    deadline: attemptDeadline(now, { timeLimitMinutes: s.timeLimitMinutes, closesAt }),
    seed,
    slots,
    preview: true,
  });
  return { attemptId: String(doc._id) };
}

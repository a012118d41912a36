import { Attempt, PreviewAttempt, Quiz, type AttemptDoc, type QuizDoc } from './model.ts';
import { canManageQuiz } from './policy.ts';
import { finalize, viewOf, type QuizView } from './service.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { isObjectId, toObjectId as oid } from '../object-ids.ts';
import type { Caller } from '../accounts/index.ts';

// Duplicating, deleting, archiving and restoring a quiz: each for the quiz's owner (or an admin) only.

async function managedQuiz(caller: Caller, quizId: string): Promise<QuizDoc> {
  const quiz = isObjectId(quizId) ? await Quiz.findById(quizId).lean<QuizDoc>() : null;
  if (!quiz || !canManageQuiz(caller, quiz)) throw new NotFoundError('We could not find that quiz.');
  return quiz;
}

/**
 * A copy of a quiz, owned by the caller: the same banks, questions or rules and settings, titled
 * "Copy of …", assigned to no class (so no student meets it before the instructor has looked at it).
 */
export async function duplicateQuiz(caller: Caller, quizId: string): Promise<QuizView> {
  const q = await managedQuiz(caller, quizId);
  const title = `Copy of ${q.title}`.slice(0, 200);
  const doc = await Quiz.create({ title, ownerId: oid(caller.id), bankIds: q.bankIds, selection: q.selection, settings: q.settings, classIds: [] });
  return viewOf(doc.toObject());
}

/**
 * Deletes a quiz that no student has attempted (previews go with it); one with attempts must be
 * archived instead, so that no grade is lost. A start racing the delete is caught by checking again
 * after the delete and putting the quiz back.
 */
export async function deleteQuiz(caller: Caller, quizId: string): Promise<{ title: string }> {
  const q = await managedQuiz(caller, quizId);
  const refusal = 'Students have attempted this quiz, so it cannot be deleted; archive it instead (it stays in the gradebook).';
  if (await Attempt.exists({ quizId: q._id })) throw new ConflictError(refusal);
  await Quiz.deleteOne({ _id: q._id });
  if (await Attempt.exists({ quizId: q._id })) {
    await Quiz.collection.insertOne(q);
    throw new ConflictError(refusal);
  }
  await PreviewAttempt.deleteMany({ quizId: q._id });
  return { title: q.title };
}

/**
 * Archives a quiz: students no longer see it, its results stay with its owner and in the gradebook.
 * Attempts still in progress are submitted with what was saved, as at a deadline.
 */
export async function archiveQuiz(caller: Caller, quizId: string, now: Date): Promise<{ title: string; submitted: number }> {
  const q = await managedQuiz(caller, quizId);
  if (q.archivedAt) return { title: q.title, submitted: 0 };
  await Quiz.updateOne({ _id: q._id, archivedAt: null }, { $set: { archivedAt: now } });
  const open = await Attempt.find({ quizId: q._id, status: 'in-progress' }, { _id: 1 }).lean<AttemptDoc[]>();
  for (const a of open) await finalize(Attempt, a._id, now, 'archived');
  return { title: q.title, submitted: open.length };
}

/**
 * Submits, with what was saved, the attempts in progress that students took through a class
 * just archived (as archiving a quiz does): its quizzes are closed to them now. Returns how many.
 */
export async function submitOpenAttemptsOfClass(classId: string, now: Date): Promise<number> {
  if (!isObjectId(classId)) return 0;
  // Through the class's quizzes: attempts are indexed by quiz and status, not by class.
  const quizIds = (await Quiz.find({ classIds: oid(classId) }, { _id: 1 }).lean<QuizDoc[]>()).map((q) => q._id);
  if (!quizIds.length) return 0;
  const open = await Attempt.find({ quizId: { $in: quizIds }, status: 'in-progress', classId: oid(classId) }, { _id: 1 }).lean<AttemptDoc[]>();
  for (const a of open) await finalize(Attempt, a._id, now, 'archived');
  return open.length;
}

/** Restores an archived quiz: its students see it again, with their attempts. */
export async function restoreQuiz(caller: Caller, quizId: string): Promise<{ title: string }> {
  const q = await managedQuiz(caller, quizId);
  await Quiz.updateOne({ _id: q._id }, { $set: { archivedAt: null } });
  return { title: q.title };
}

import { Attempt, Quiz, type AttemptDoc, type QuizDoc } from './model.ts';
import { isExpired } from './attempt-state.ts';
import { hidesAnswerKeys } from './review-policy.ts';
import { quizSettings, type QuizSettings } from './settings.ts';
import { isObjectId, toObjectId as oid } from '../object-ids.ts';

/**
 * Whether an open attempt at this quiz pauses the student's practice and flashcards: its review
 * keeps the keys from them in some phase (the review options), or opens only after the last
 * attempt or the due date. Practice and flashcards show answers, maybe to
 * the very questions of the attempt: the same bank, or a copy of it, which carries the same keys.
 */
export function pausesSelfStudy(settings: Pick<QuizSettings, 'reviewOptions' | 'feedbackTiming'>): boolean {
  return hidesAnswerKeys(settings.reviewOptions) || settings.feedbackTiming !== 'immediately';
}

/** The quiz whose open attempt pauses the learner's practice and flashcards now, or null. */
export async function selfStudyPausedBy(userId: string, now: Date): Promise<{ id: string; title: string } | null> {
  if (!isObjectId(userId)) return null;
  const open = await Attempt.find({ userId: oid(userId), status: 'in-progress' }, { quizId: 1, status: 1, deadline: 1 }).lean<AttemptDoc[]>();
  const live = open.filter((a) => !isExpired(a, now));
  if (!live.length) return null;
  const quizzes = await Quiz.find({ _id: { $in: live.map((a) => a.quizId) } }, { title: 1, settings: 1 }).lean<QuizDoc[]>();
  const pausing = quizzes.find((q) => pausesSelfStudy(quizSettings(q)));
  return pausing ? { id: String(pausing._id), title: pausing.title } : null;
}

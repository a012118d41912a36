import type { Caller } from '../accounts/index.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { withdrawStudyResponse } from '../responses/index.ts';
import { isObjectId, toObjectId as oid } from '../object-ids.ts';
import { ReviewLog, StudyCard } from './model.ts';
import { STUDY_RATINGS, startOfStudyDay } from './schedule.ts';
import { removeReviewLog } from './review-log.ts';

/** The rating a session may undo: kept in the session when it is given. */
export interface UndoToken {
  log: string;
  rating: number;
  /** When it was given (ISO). */
  at: string;
}

/** What the undo button offers: the log entry to post, and the rating's name. */
export interface UndoOffer {
  logId: string;
  label: string;
}

/** The learner's latest review log entry (the `{ userId, review }` index, newest first). */
function latestReview(userId: string) {
  return ReviewLog.findOne({ userId: oid(userId) })
    .sort({ review: -1, _id: -1 })
    .lean();
}

/**
 * What the undo button offers, read from the session alone (a card page costs no extra read): the
 * session's last rating while it is from today (past days are folded into progress summaries and
 * never change). The undo itself checks that it is still the learner's latest rating.
 */
export function undoOffer(token: UndoToken | undefined, now: Date, learner?: Pick<Caller, 'timeZone' | 'dayStartHour'>): UndoOffer | null {
  if (!token || !isObjectId(token.log) || !(new Date(token.at) >= startOfStudyDay(now, learner))) return null;
  return { logId: token.log, label: STUDY_RATINGS.find((r) => r.rating === token.rating)?.label ?? 'rating' };
}

/**
 * Undoes a rating: the card gets back the scheduling state it had before, and the review log entry
 * (and a typed answer logged with it) is removed. Only the caller's own latest rating, given today,
 * can be undone. The card is restored with a guard on the state that rating left it in, so a
 * second undo of the same rating (double click, another tab) changes nothing: `undone: false`.
 */
export async function undoRating(caller: Caller, logId: string, now: Date): Promise<{ undone: boolean; cardId: string; bankId: string }> {
  // Another learner's rating is "not found": its existence is not theirs to know.
  const log = isObjectId(logId) ? await ReviewLog.findOne({ _id: oid(logId), userId: oid(caller.id) }).lean() : null;
  if (!log) throw new NotFoundError('There is no such rating to undo.');
  const result = { cardId: String(log.cardId), bankId: String(log.bankId) };
  const latest = await latestReview(caller.id);
  if (!latest || String(latest._id) !== logId) throw new ConflictError('Only your last rating can be undone.');
  if (!log.previous) throw new ConflictError('This rating was given before undo existed and cannot be undone.');
  if (log.review < startOfStudyDay(now, caller)) throw new ConflictError('A rating can be undone only on the day it was given.');
  const { last_review, ...previous } = log.previous;
  const restored = await StudyCard.updateOne(
    // The state this rating left the card in: a rating sets last_review to its time and adds one to reps.
    { _id: log.cardId, userId: log.userId, reps: previous.reps + 1, last_review: log.review },
    { $set: { ...previous, last_review: last_review ?? null } },
  );
  if (restored.modifiedCount === 0) return { undone: false, ...result };
  await removeReviewLog(log);
  if (log.typedScore !== null && log.typedScore !== undefined) await withdrawStudyResponse(caller.id, String(log.cardId), log.review);
  return { undone: true, ...result };
}

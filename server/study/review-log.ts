import { noteReview, withdrawReview } from '../aggregates/index.ts';
import { ReviewLog, type ReviewLogDoc } from './model.ts';
import { reviewFacts } from './reads.ts';

/**
 * The one writer of the review log: each entry written or removed is counted in (or out of) the
 * learner's aggregates right after, so the dashboard never scans the log.
 */

/** Writes a review log entry (a rating just applied to its card). */
export async function writeReviewLog(entry: Omit<ReviewLogDoc, '_id'>): Promise<ReviewLogDoc> {
  const doc = (await ReviewLog.create(entry)).toObject() as ReviewLogDoc;
  await noteReview(reviewFacts(doc));
  return doc;
}

/** Removes a review log entry (an undone rating); false when it was already gone (only one remover counts it out). */
export async function removeReviewLog(log: Pick<ReviewLogDoc, '_id' | 'userId' | 'review' | 'rating' | 'topics'>): Promise<boolean> {
  const removed = await ReviewLog.deleteOne({ _id: log._id });
  if (removed.deletedCount !== 1) return false;
  await withdrawReview(reviewFacts(log));
  return true;
}

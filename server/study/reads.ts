import { ReviewLog, StudyCard, type ReviewLogDoc, type StudyCardDoc } from './model.ts';
import type { ReviewFacts } from '../aggregates/index.ts';
import { toObjectId as oid } from '../object-ids.ts';

// The reads other features (progress) make of flashcards and their reviews; the collections stay
// private to this folder.

/** What recall and due counts need of a card. */
export type CardRecallInput = Pick<StudyCardDoc, '_id' | 'questionId' | 'stability' | 'state' | 'last_review' | 'due'>;

/** A learner's cards, with what recall and due counts need. */
export function cardsForRecall(userId: string): Promise<CardRecallInput[]> {
  return StudyCard.find({ userId: oid(userId) }, { questionId: 1, stability: 1, state: 1, last_review: 1, due: 1 }).lean<CardRecallInput[]>();
}

/** What the learner aggregates count of a review. */
export function reviewFacts(r: Pick<ReviewLogDoc, '_id' | 'userId' | 'review' | 'rating' | 'topics'>): ReviewFacts {
  return { id: String(r._id), userId: String(r.userId), review: r.review, rating: r.rating, topics: r.topics ?? [] };
}

/** The learners with any review (the aggregates' migration). */
export async function reviewingLearners(): Promise<string[]> {
  return (await ReviewLog.distinct('userId')).map(String);
}

/** Every review of a learner, as the aggregates count it. */
export async function reviewFactsOf(userId: string): Promise<ReviewFacts[]> {
  const rows = await ReviewLog.find({ userId: oid(userId) }, { userId: 1, review: 1, rating: 1, topics: 1 }).lean<ReviewLogDoc[]>();
  return rows.map(reviewFacts);
}

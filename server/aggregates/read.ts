import mongoose from 'mongoose';
import { LearnerAggregate } from './model.ts';
import { normalised, parseLast, SCORE_UNIT, topicOfKey, type AggregateBody } from './fold.ts';

/** A learner's aggregates as the pages read them (scores back in 0..1 units). */
export interface LearnerAggregateView {
  totals: { reviews: number; recalled: number; answers: number; correct: number; scoreSum: number };
  /** Days with activity, oldest first. */
  days: Array<{ day: string; reviews: number; recalled: number; answers: number; scoreSum: number }>;
  /** Each question answered: how often, and the latest answer. */
  questions: Array<{ questionId: string; n: number; correct: number; scoreSum: number; lastScore: number; lastAt: Date }>;
  /** Per topic slug: reviews of its cards, answers to its questions. */
  topics: Array<{ topic: string; reviews: number; answers: number; correct: number; scoreSum: number }>;
}

/** The stored aggregate, normalised (an empty one when the learner has no records). */
export async function storedAggregate(userId: string): Promise<AggregateBody> {
  const doc = await LearnerAggregate.collection.findOne({ _id: new mongoose.Types.ObjectId(userId) }, { projection: { recent: 0, gone: 0 } });
  return normalised(doc as Partial<AggregateBody> | null);
}

/** A learner's aggregates: one read of one document. */
export async function learnerAggregate(userId: string): Promise<LearnerAggregateView> {
  const b = await storedAggregate(userId);
  const score = (s: number) => s / SCORE_UNIT;
  return {
    totals: { reviews: b.n.reviews, recalled: b.n.recalled, answers: b.n.answers, correct: b.n.correct, scoreSum: score(b.n.score) },
    days: Object.entries(b.days)
      .sort(([x], [y]) => (x < y ? -1 : 1))
      .map(([day, d]) => ({ day, reviews: d.r, recalled: d.k, answers: d.a, scoreSum: score(d.s) })),
    questions: Object.entries(b.questions)
      .filter(([, q]) => typeof q.last === 'string')
      .map(([key, q]) => {
        const last = parseLast(q.last);
        return { questionId: key.slice(1), n: q.n, correct: q.c, scoreSum: score(q.s), lastScore: last.score, lastAt: last.at };
      }),
    topics: Object.entries(b.topics).map(([key, t]) => ({ topic: topicOfKey(key), reviews: t.r, answers: t.a, correct: t.c, scoreSum: score(t.s) })),
  };
}

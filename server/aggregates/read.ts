import mongoose from 'mongoose';
import { LearnerAggregate } from './model.ts';
import { normalised, parseLast, SCORE_UNIT, topicOfKey, type AggregateBody } from './fold.ts';

/** A learner's aggregates as the pages read them (scores back in 0..1 units). */
export interface LearnerAggregateView {
  totals: { reviews: number; recalled: number; answers: number; correct: number; scoreSum: number };
  /** Study days with activity ('YYYY-MM-DD' as `studyDay` names them), oldest first. */
  days: Array<{ day: string; reviews: number; recalled: number; answers: number; scoreSum: number }>;
  /** Each question answered: how often, and the latest answer. */
  questions: Array<{ questionId: string; n: number; correct: number; scoreSum: number; lastScore: number; lastAt: Date }>;
  /** Per topic slug: reviews of its cards, answers to its questions. */
  topics: Array<{ topic: string; reviews: number; answers: number; correct: number; scoreSum: number }>;
}

/** The stored aggregate, normalised (an empty one when the learner has no records). */
export async function storedAggregate(userId: string): Promise<AggregateBody> {
  const doc = await LearnerAggregate.collection.findOne({ _id: new mongoose.Types.ObjectId(userId) }, { projection: { recent: 0, gone: 0 } });
  return normalised(doc);
}

/** A UTC quarter-hour key's UTC day. */
const utcDayOfSlot = (slot: string) => slot.slice(0, 10);

/**
 * A learner's aggregates: one read of one document; `studyDayOfSlot` names the study day a UTC
 * quarter-hour key ('YYYY-MM-DDTHH:MM') falls in (the learner's own; UTC days without it).
 */
export async function learnerAggregate(userId: string, studyDayOfSlot: (slot: string) => string = utcDayOfSlot): Promise<LearnerAggregateView> {
  const b = await storedAggregate(userId);
  const score = (s: number) => s / SCORE_UNIT;
  const days = new Map<string, LearnerAggregateView['days'][number]>();
  for (const [slot, d] of Object.entries(b.slots)) {
    const day = studyDayOfSlot(slot);
    const row = days.get(day) ?? { day, reviews: 0, recalled: 0, answers: 0, scoreSum: 0 };
    row.reviews += d.r;
    row.recalled += d.k;
    row.answers += d.a;
    row.scoreSum += d.s; // millionths until the end, so the sum stays exact
    days.set(day, row);
  }
  for (const row of days.values()) row.scoreSum = score(row.scoreSum);
  return {
    totals: { reviews: b.n.reviews, recalled: b.n.recalled, answers: b.n.answers, correct: b.n.correct, scoreSum: score(b.n.score) },
    days: [...days.values()].sort((x, y) => (x.day < y.day ? -1 : 1)),
    questions: Object.entries(b.questions).flatMap(([key, q]) => {
      if (q.last === undefined) return [];
      const last = parseLast(q.last);
      return [{ questionId: key.slice(1), n: q.n, correct: q.c, scoreSum: score(q.s), lastScore: last.score, lastAt: last.at }];
    }),
    topics: Object.entries(b.topics).map(([key, t]) => ({ topic: topicOfKey(key), reviews: t.r, answers: t.a, correct: t.c, scoreSum: score(t.s) })),
  };
}

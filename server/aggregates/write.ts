import mongoose from 'mongoose';
import { isDuplicateKey } from '../mongo-errors.ts';
import { aggregateCollection, type StoredAggregate } from './model.ts';
import { isRecord } from '../object-shape.ts';
import {
  answerContribution,
  foldRecords,
  lastKey,
  questionKey,
  reviewContribution,
  type AggregateBody,
  type AnswerFacts,
  type Contribution,
  type ReviewFacts,
} from './fold.ts';

/**
 * Keeping a learner's aggregate document in step with their records. Each writer calls these
 * right after its own guarded write succeeded (the insert, or the delete that removed exactly one
 * record), so a record is added once and taken away once. Each call is also idempotent on the
 * record id (the last RECENT ids added and removed are kept in the document and checked in the
 * filter), so a repeated call after a lost reply changes nothing.
 */

const RECENT = 32;
const col = aggregateCollection;
const oid = (id: string) => new mongoose.Types.ObjectId(id);

async function add(userId: string, recordId: string, c: Contribution): Promise<void> {
  try {
    await col().updateOne(
      { _id: oid(userId), recent: { $ne: recordId } },
      { $inc: c.inc, ...(Object.keys(c.max).length ? { $max: c.max } : {}), $push: { recent: { $each: [recordId], $slice: -RECENT } } },
      { upsert: true },
    );
  } catch (err) {
    // The filter missed because the id is in `recent` (already added): the upsert's insert collides.
    if (!isDuplicateKey(err)) throw err;
  }
}

/** Takes a record away; returns the entries it touched as they are now, or null if already taken away. */
async function remove(userId: string, recordId: string, c: Contribution): Promise<StoredAggregate | null> {
  const projection = Object.fromEntries(c.entries.map((e) => [e.path, 1]));
  const after = await col().findOneAndUpdate(
    { _id: oid(userId), gone: { $ne: recordId } },
    { $inc: c.inc, $push: { gone: { $each: [recordId], $slice: -RECENT } } },
    { returnDocument: 'after', projection },
  );
  if (!after) return null;
  // Entries left with nothing in them go, so the document stays what a recomputation gives; the
  // guard (every counter still zero) keeps a record added meanwhile.
  const get = (path: string) => {
    const entry = path.split('.').reduce<unknown>((o, k) => (isRecord(o) ? o[k] : undefined), after);
    return isRecord(entry) ? entry : undefined;
  };
  for (const e of c.entries) {
    const entry = get(e.path);
    if (entry && e.counters.every((k) => !entry[k])) {
      await col().updateOne({ _id: oid(userId), ...Object.fromEntries(e.counters.map((k) => [`${e.path}.${k}`, 0])) }, { $unset: { [e.path]: '' } });
    }
  }
  return after;
}

/** A review was written. */
export function noteReview(r: ReviewFacts): Promise<void> {
  return add(r.userId, r.id, reviewContribution(r));
}

/** A review was removed (an undone rating). */
export async function withdrawReview(r: ReviewFacts): Promise<void> {
  await remove(r.userId, r.id, reviewContribution(r, -1));
}

/** A graded answer was written. */
export function noteAnswer(a: AnswerFacts): Promise<void> {
  return add(a.userId, a.id, answerContribution(a));
}

/**
 * A graded answer was removed. When it was its question's latest, the latest of those left is
 * set (`latestLeft` reads them: the record is already gone), guarded on the removed one still
 * being there, so an answer written meanwhile (later, so kept by its own `$max`) wins.
 */
export async function withdrawAnswer(a: AnswerFacts, latestLeft: () => Promise<AnswerFacts | null>): Promise<void> {
  const after = await remove(a.userId, a.id, answerContribution(a, -1));
  const q = `questions.${questionKey(a.questionId)}`;
  const entry = after?.questions?.[questionKey(a.questionId)];
  const removed = lastKey(a);
  // Even with nothing left counted here: an answer written meanwhile may be counting in now.
  if (!entry || entry.last !== removed) return;
  const left = await latestLeft();
  const set = left ? lastKey(left) : null;
  await col().updateOne({ _id: oid(a.userId), [`${q}.last`]: removed }, set ? { $set: { [`${q}.last`]: set } } : { $unset: { [`${q}.last`]: '' } });
  // An answer written meanwhile whose own $max ran before this write was overwritten by it; its
  // record was inserted before that $max, so it is read now: put it back (a $max, so never older).
  const again = await latestLeft();
  if (again && lastKey(again) !== set) await col().updateOne({ _id: oid(a.userId), [`${q}.n`]: { $gt: 0 } }, { $max: { [`${q}.last`]: lastKey(again) } });
}

/** Replaces a learner's aggregate with one folded from all their records (the migration, a repair). */
export async function replaceAggregate(userId: string, reviews: Iterable<ReviewFacts>, answers: Iterable<AnswerFacts>): Promise<AggregateBody> {
  const body = foldRecords(reviews, answers);
  await col().replaceOne({ _id: oid(userId) }, { ...body, recent: [], gone: [] }, { upsert: true });
  return body;
}

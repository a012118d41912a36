import { aggregateCollection, BUILT_MARKER } from './model.ts';
import { foldRecords, type AnswerFacts, type ReviewFacts } from './fold.ts';
import { replaceAggregate } from './write.ts';

/** Where the records come from: their owners (study, responses) read them. */
export interface RecordSource {
  /** The learners with any review or answer. */
  learners(): Promise<string[]>;
  reviewsOf(userId: string): Promise<ReviewFacts[]>;
  answersOf(userId: string): Promise<AnswerFacts[]>;
}

const markerFilter = { _id: BUILT_MARKER };
/** Markers of earlier shapes of the aggregates: a store that has one is rebuilt, then it goes. */
const OLD_MARKERS = ['built-v1'];

/**
 * The one-off migration: records written before aggregates existed are folded in, learner by
 * learner, then a marker is stored so later starts cost one read. It runs at start-up before the
 * app serves a request, so no write races it; from then on every write keeps the aggregates.
 * Returns how many learners were built (0 once built).
 */
export async function ensureAggregatesBuilt(source: RecordSource, progress: (line: string) => void = () => undefined): Promise<number> {
  if (await aggregateCollection().findOne(markerFilter)) return 0;
  const learners = await source.learners();
  let done = 0;
  for (const userId of learners) {
    const [reviews, answers] = await Promise.all([source.reviewsOf(userId), source.answersOf(userId)]);
    await replaceAggregate(userId, reviews, answers);
    if (++done % 100 === 0) progress(`learner aggregates: ${done}/${learners.length}`);
  }
  await markBuilt();
  return learners.length;
}

/** Stores the marker (also for a bulk loader that wrote the aggregates itself). */
export async function markBuilt(): Promise<void> {
  await aggregateCollection().updateOne(markerFilter, { $set: { at: new Date() } }, { upsert: true });
  await aggregateCollection().deleteMany({ _id: { $in: OLD_MARKERS } });
}

/** A learner's aggregate recomputed from their records, not stored (tests and checks compare it). */
export async function recomputedAggregate(source: RecordSource, userId: string) {
  const [reviews, answers] = await Promise.all([source.reviewsOf(userId), source.answersOf(userId)]);
  return foldRecords(reviews, answers);
}

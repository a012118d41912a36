import { computeParameters, FSRSBindingItem, FSRSBindingReview } from '@open-spaced-repetition/binding';
import { DEFAULT_DAY_START_HOUR, type Caller } from '../accounts/index.ts';
import { DEFAULT_TIME_ZONE, studyDayReader } from '../formatting/index.ts';
import { ConflictError, ValidationError } from '../http/errors.ts';
import { toObjectId as oid } from '../object-ids.ts';
import { ReviewLog, StudyParameters } from './model.ts';
import { DEFAULT_FSRS_SETTINGS, type FsrsSettings } from './schedule.ts';

/** Reviews a learner needs before their own parameters are optimised (fewer fit noise). */
export const MIN_REVIEWS_TO_OPTIMISE = 400;
/** The most recent reviews an optimisation reads: bounded work, whatever the history. */
export const MAX_REVIEWS_TO_OPTIMISE = 20_000;
/** One optimisation per learner per day; a claim older than this is taken as abandoned. */
export const OPTIMISE_EVERY_MS = 24 * 3600_000;
const CLAIM_EXPIRES_MS = 10 * 60_000;
const DAY_MS = 24 * 3600_000;
/** Desired retention a learner may choose, as Anki allows. */
export const RETENTION_RANGE = { min: 0.7, max: 0.97 } as const;

/** A learner's FSRS settings for scheduling (the defaults until they change or optimise them). */
export async function fsrsSettings(userId: string): Promise<FsrsSettings> {
  const doc = await StudyParameters.findOne({ userId: oid(userId) }, { desiredRetention: 1, weights: 1 }).lean();
  if (!doc) return DEFAULT_FSRS_SETTINGS;
  return { desiredRetention: doc.desiredRetention ?? 0.9, weights: doc.weights?.length ? doc.weights : null };
}

/** What the statistics page shows of the settings. */
export async function parametersView(userId: string): Promise<{
  desiredRetention: number;
  weights: number[] | null;
  optimisedAt: Date | null;
  optimisedReviews: number;
  running: boolean;
  reviews: number;
  minReviews: number;
}> {
  const [doc, reviews] = await Promise.all([StudyParameters.findOne({ userId: oid(userId) }).lean(), ReviewLog.countDocuments({ userId: oid(userId) })]);
  return {
    desiredRetention: doc?.desiredRetention ?? 0.9,
    weights: doc?.weights?.length ? doc.weights : null,
    optimisedAt: doc?.optimisedAt ?? null,
    optimisedReviews: doc?.optimisedReviews ?? 0,
    running: Boolean(doc?.optimisingSince),
    reviews,
    minReviews: MIN_REVIEWS_TO_OPTIMISE,
  };
}

/** Sets the learner's desired retention (0.70..0.97). */
export async function setDesiredRetention(caller: Caller, retention: number): Promise<void> {
  if (!(retention >= RETENTION_RANGE.min && retention <= RETENTION_RANGE.max)) {
    throw new ValidationError('Desired retention is between 70% and 97%.', { retention: 'Between 70% and 97%.' });
  }
  await StudyParameters.updateOne({ userId: oid(caller.id) }, { $set: { desiredRetention: retention } }, { upsert: true });
}

/** One review as the optimiser reads it. */
export interface ReviewForTraining {
  cardId: string;
  rating: number;
  review: Date;
}

/**
 * The optimiser's training set from a review history (pure): for each card, its reviews in time
 * order, and one item per review after the first holding every review up to it; delta_t counts
 * whole study days of the learner (their zone, their day-start hour: as the scheduler counts
 * them, and as Anki gives fsrs-rs its days) since the previous review, 0 for the first. Without
 * a learner, UTC days from midnight.
 */
export function trainingItems(reviews: readonly ReviewForTraining[], learner?: Pick<Caller, 'timeZone' | 'dayStartHour'>): FSRSBindingItem[] {
  const dayOf = learner ? studyDayReader(learner.timeZone ?? DEFAULT_TIME_ZONE, learner.dayStartHour ?? DEFAULT_DAY_START_HOUR) : studyDayReader('UTC', 0);
  const dayNumber = (at: Date) => Math.round(Date.parse(dayOf(at)) / DAY_MS);
  const byCard = new Map<string, ReviewForTraining[]>();
  for (const r of reviews) (byCard.get(r.cardId) ?? byCard.set(r.cardId, []).get(r.cardId)!).push(r);
  const items: FSRSBindingItem[] = [];
  for (const list of byCard.values()) {
    list.sort((a, b) => a.review.getTime() - b.review.getTime());
    const steps: FSRSBindingReview[] = [];
    list.forEach((r, i) => {
      const days = i === 0 ? 0 : dayNumber(r.review) - dayNumber(list[i - 1]!.review);
      steps.push(new FSRSBindingReview(r.rating, days));
      if (i > 0) items.push(new FSRSBindingItem([...steps]));
    });
  }
  return items;
}

/**
 * Optimises the learner's FSRS weights from their own reviews with the FSRS optimiser that Anki
 * uses (fsrs-rs, through @open-spaced-repetition/binding). The training runs in the native
 * addon's worker thread, not on the request thread. At most once a day per learner, one at a time:
 * a claim on the learner's settings document guards it. Throws ConflictError when refused.
 */
export async function optimiseParameters(caller: Caller, now: Date): Promise<{ weights: number[]; reviews: number }> {
  const userId = oid(caller.id);
  const reviews = await ReviewLog.countDocuments({ userId });
  if (reviews < MIN_REVIEWS_TO_OPTIMISE) throw new ConflictError(`Your own parameters need at least ${MIN_REVIEWS_TO_OPTIMISE} reviews; you have ${reviews}.`);
  await StudyParameters.updateOne({ userId }, { $setOnInsert: { userId } }, { upsert: true });
  const claimed = await StudyParameters.updateOne(
    {
      userId,
      $and: [
        { $or: [{ optimisingSince: null }, { optimisingSince: { $lt: new Date(now.getTime() - CLAIM_EXPIRES_MS) } }] },
        { $or: [{ optimisedAt: null }, { optimisedAt: { $lte: new Date(now.getTime() - OPTIMISE_EVERY_MS) } }] },
      ],
    },
    { $set: { optimisingSince: now } },
  );
  if (claimed.modifiedCount === 0) throw new ConflictError('Your parameters were optimised in the last day, or are being optimised now.');
  try {
    const logs = await ReviewLog.find({ userId }, { cardId: 1, rating: 1, review: 1 }).sort({ review: -1 }).limit(MAX_REVIEWS_TO_OPTIMISE).lean();
    const items = trainingItems(
      logs.map((l) => ({ cardId: String(l.cardId), rating: l.rating, review: l.review })),
      caller,
    );
    const weights = await computeParameters(items, { enableShortTerm: true, timeout: 60_000 });
    if (weights.length < 19 || !weights.every((w) => Number.isFinite(w))) throw new Error('the optimiser returned no usable parameters');
    await StudyParameters.updateOne({ userId }, { $set: { weights, optimisedAt: now, optimisedReviews: logs.length, optimisingSince: null } });
    return { weights, reviews: logs.length };
  } catch (err) {
    await StudyParameters.updateOne({ userId }, { $set: { optimisingSince: null } });
    throw err;
  }
}

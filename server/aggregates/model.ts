import mongoose, { Schema } from 'mongoose';
import type { DayCounts, PassageCounts, QuestionCounts, TopicCounts, Totals } from './fold.ts';

/**
 * `LearnerAggregate` (collection `learneraggregates`): one small document per learner, kept up to
 * date as their flashcard reviews and graded answers are written and removed, so the dashboard
 * reads one document instead of scanning years of records. `_id` is the learner's user id.
 *
 * Fields (see fold.ts for the exact counters):
 * - n: totals (reviews, recalled, answers, correct, score in millionths)
 * - slots.<YYYY-MM-DDTHH:MM>: { r reviews, k recalled, a answers, s score } per UTC quarter-hour,
 *   grouped into the learner's study days when read (history, streaks)
 * - questions.q<id>: { n, c, s, last: 'ISO|recordId|score' } (the latest answer: mastery)
 * - topics.t<slug>, passages.p<bankId>~<passageId>: answer (and review) counts per topic/passage
 * - recent, gone: the last record ids added and removed, so a repeated call changes nothing
 * One other document, `_id: 'built-v2'`, marks that every learner's aggregates were built from
 * their records (the one-off migration at start-up, build.ts).
 * Index: `_id` only.
 */
const learnerAggregateSchema = new Schema({ _id: Schema.Types.Mixed }, { strict: false, versionKey: false, minimize: false });

export const LearnerAggregate = mongoose.model('LearnerAggregate', learnerAggregateSchema);

/**
 * A document of the collection as the driver's updates see it. Counters are written by `$inc`
 * on dotted paths, so any of them may be missing: readers go through `normalised`.
 */
export interface StoredAggregate {
  /** A learner's user id, or a marker's name. */
  _id: mongoose.Types.ObjectId | string;
  n?: Partial<Totals>;
  slots?: Record<string, Partial<DayCounts>>;
  questions?: Record<string, Partial<QuestionCounts>>;
  topics?: Record<string, Partial<TopicCounts>>;
  passages?: Record<string, Partial<PassageCounts>>;
  recent?: string[];
  gone?: string[];
  /** On a marker: when it was stored. */
  at?: Date;
}

/** The model's own collection (the same object), typed with what its documents hold. */
export const aggregateCollection = () => LearnerAggregate.db.collection<StoredAggregate>(LearnerAggregate.collection.name);
/** The marker of the migration. */
// v2: activity by quarter-hour instead of UTC day; a store built as v1 is rebuilt once at start-up.
export const BUILT_MARKER = 'built-v2';

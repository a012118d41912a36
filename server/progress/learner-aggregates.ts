import { ensureAggregatesBuilt, recomputedAggregate, type AggregateBody, type RecordSource } from '../aggregates/index.ts';
import { answerFactsOf, answeringLearners } from '../responses/index.ts';
import { reviewFactsOf, reviewingLearners } from '../study/index.ts';

/** The learners' records, read from their owners: what the aggregates are folded from. */
export const learnerRecords: RecordSource = {
  async learners() {
    return [...new Set([...(await reviewingLearners()), ...(await answeringLearners())])];
  },
  reviewsOf: reviewFactsOf,
  answersOf: answerFactsOf,
};

/** At start-up: builds the aggregates of records written before they existed (once). */
export function ensureLearnerAggregates(progress?: (line: string) => void): Promise<number> {
  return ensureAggregatesBuilt(learnerRecords, progress);
}

/** A learner's aggregate recomputed from their records (what the stored one must equal). */
export function recomputedLearnerAggregate(userId: string): Promise<AggregateBody> {
  return recomputedAggregate(learnerRecords, userId);
}

/**
 * Per-learner aggregates: counts per day, question, topic and passage, kept up to date by the
 * writers of reviews (study) and answers (responses), read by the progress pages.
 */
export { noteReview, withdrawReview, noteAnswer, withdrawAnswer, replaceAggregate } from './write.ts';
export { learnerAggregate, storedAggregate, type LearnerAggregateView } from './read.ts';
export { ensureAggregatesBuilt, markBuilt, recomputedAggregate, type RecordSource } from './build.ts';
export { foldRecords, normalised, type AggregateBody, type AnswerFacts, type ReviewFacts } from './fold.ts';

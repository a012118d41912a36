import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * Flashcards: one `StudyCard` per learner and question (the FSRS memory state, unique on
 * `{ userId, questionId }`), and one `ReviewLog` entry per rating applied.
 *
 * StudyCard fields: userId, questionId, bankId, topics (copied from the question, to scope a
 * session by topic), introducedAt (when the card was first shown: the daily new-card limit counts
 * these since the learner's study day began), and ts-fsrs's Card fields: due, stability, difficulty, elapsed_days,
 * scheduled_days, learning_steps, reps, lapses, state (0 New, 1 Learning, 2 Review, 3 Relearning),
 * last_review (null until first rated); suspended (never scheduled until unsuspended) and buriedUntil
 * (not scheduled before that time: "bury until tomorrow"), both set from the card browser. `reps` grows by one with every review: a rating is applied
 * with the filter `{ _id, userId, reps, last_review }` it was shown with, so a repeat does nothing.
 * Indexes: `{ userId, questionId }` unique; `{ userId, due }` (due counts, the next due card);
 * `{ userId, introducedAt }` (today's new cards).
 */
const CARD_STATE = {
  due: { type: Date, required: true },
  stability: { type: Number, required: true },
  difficulty: { type: Number, required: true },
  elapsed_days: { type: Number, required: true },
  scheduled_days: { type: Number, required: true },
  learning_steps: { type: Number, required: true },
  reps: { type: Number, required: true },
  lapses: { type: Number, required: true },
  state: { type: Number, required: true },
  last_review: { type: Date, default: null },
} as const;

const studyCardSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    questionId: { type: Schema.Types.ObjectId, ref: 'Question', required: true },
    bankId: { type: Schema.Types.ObjectId, ref: 'Bank', required: true },
    topics: { type: [String], default: [] },
    introducedAt: { type: Date, required: true },
    ...CARD_STATE,
    suspended: { type: Boolean, default: false },
    buriedUntil: { type: Date, default: null },
  },
  { timestamps: true },
);
studyCardSchema.index({ userId: 1, questionId: 1 }, { unique: true });
studyCardSchema.index({ userId: 1, due: 1 });
studyCardSchema.index({ userId: 1, introducedAt: 1 });

/** A card's scheduling state (ts-fsrs's Card fields), as a review log keeps it for undo. */
const cardStateSchema = new Schema(CARD_STATE, { _id: false });

/**
 * One rating of one card (what the progress feature reads for review history and streaks).
 * Fields: userId, cardId, questionId, bankId, topics, rating (1 Again, 2 Hard, 3 Good, 4 Easy),
 * ts-fsrs's ReviewLog as it builds it (state, stability, difficulty, scheduled_days, learning_steps:
 * the card as it was when rated; due: its previous review, or its due date if it had none;
 * elapsed_days, last_elapsed_days; review: when it was rated), and what the rating gave: nextState,
 * nextDue, nextStability; typedScore is 0..1 when the learner typed an answer (short answer, cloze), else null;
 * previous: the card's whole scheduling state before the rating (what undo restores; null on logs
 * written before undo existed, which cannot be undone).
 * Indexes: `{ userId, review }`; `{ userId, questionId }`.
 */

const reviewLogSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    cardId: { type: Schema.Types.ObjectId, ref: 'StudyCard', required: true },
    questionId: { type: Schema.Types.ObjectId, ref: 'Question', required: true },
    bankId: { type: Schema.Types.ObjectId, ref: 'Bank', required: true },
    topics: { type: [String], default: [] },
    rating: { type: Number, required: true, min: 1, max: 4 },
    state: { type: Number, required: true },
    due: { type: Date, required: true },
    stability: { type: Number, required: true },
    difficulty: { type: Number, required: true },
    elapsed_days: { type: Number, required: true },
    last_elapsed_days: { type: Number, required: true },
    scheduled_days: { type: Number, required: true },
    learning_steps: { type: Number, required: true },
    review: { type: Date, required: true },
    nextState: { type: Number, required: true },
    nextDue: { type: Date, required: true },
    nextStability: { type: Number, required: true },
    typedScore: { type: Number, default: null },
    previous: { type: cardStateSchema, default: null },
  },
  { timestamps: false },
);
reviewLogSchema.index({ userId: 1, review: 1 });
reviewLogSchema.index({ userId: 1, questionId: 1 });

export type StudyCardDoc = InferSchemaType<typeof studyCardSchema> & { _id: mongoose.Types.ObjectId };
export type ReviewLogDoc = InferSchemaType<typeof reviewLogSchema> & { _id: mongoose.Types.ObjectId };
export const StudyCard = mongoose.model('StudyCard', studyCardSchema);
export const ReviewLog = mongoose.model('ReviewLog', reviewLogSchema);

/**
 * A learner's FSRS settings (collection `studyparameters`, unique on userId): desiredRetention
 * (0.7..0.97, default 0.9), weights (empty: FSRS's defaults; else the 21 optimised from the
 * learner's own reviews), optimisedAt and optimisedReviews (when, and from how many reviews),
 * optimisingSince (set while an optimisation runs: the claim that keeps it to one at a time).
 */
const studyParametersSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    desiredRetention: { type: Number, default: 0.9 },
    weights: { type: [Number], default: [] },
    optimisedAt: { type: Date, default: null },
    optimisedReviews: { type: Number, default: 0 },
    optimisingSince: { type: Date, default: null },
  },
  { timestamps: false },
);
studyParametersSchema.index({ userId: 1 }, { unique: true });
export type StudyParametersDoc = InferSchemaType<typeof studyParametersSchema> & { _id: mongoose.Types.ObjectId };
export const StudyParameters = mongoose.model('StudyParameters', studyParametersSchema);

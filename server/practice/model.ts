import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import type { PresentationOrder, QuestionResponse } from '../questions/index.ts';

/**
 * A practice session: questions frozen at the start (ids and the shuffled order of their choices),
 * answered one at a time. `position` is the index of the next question; answering is one atomic
 * update guarded on `{ _id, userId, position, finishedAt: null }`, so a double submit records once.
 * Each answer keeps the parsed response, its score and when it was given; `finishedAt` is set by
 * the update that records the last answer.
 * Modes: 'new' (bank, topics, types, length), 'retry' (questions whose latest practice answer
 * scored below 1), 'weakest' (questions from the topics with the lowest mean score), 'misses'
 * (the missed questions of one earlier session).
 * Index: `{ userId, startedAt }`.
 */
const answerSchema = new Schema(
  {
    questionId: { type: Schema.Types.ObjectId, required: true },
    response: { type: Schema.Types.Mixed, required: true },
    score: { type: Number, required: true },
    correct: { type: Boolean, required: true },
    answeredAt: { type: Date, required: true },
  },
  { _id: false, minimize: false },
);

const practiceSessionSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    bankId: { type: Schema.Types.ObjectId, ref: 'Bank', required: true },
    mode: { type: String, enum: ['new', 'retry', 'weakest', 'misses'], required: true },
    settings: {
      topics: { type: [String], default: [] },
      types: { type: [String], default: [] },
      length: { type: Number, required: true },
    },
    questionIds: { type: [Schema.Types.ObjectId], required: true },
    /** One PresentationOrder per question (choices/rights/items ids in the order shown). */
    presentations: { type: [Schema.Types.Mixed], default: [] },
    position: { type: Number, default: 0 },
    answers: { type: [answerSchema], default: [] },
    startedAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
  },
  { minimize: false },
);
practiceSessionSchema.index({ userId: 1, startedAt: -1 });

export const PRACTICE_MODES = ['new', 'retry', 'weakest', 'misses'] as const;
export type PracticeMode = (typeof PRACTICE_MODES)[number];
/**
 * The Mixed fields hold what the service writes into them and nothing else (a presentation order
 * per question, a response as parseResponse made it), so the type says so once here instead of a
 * cast at every read.
 */
export type PracticeAnswerDoc = Omit<InferSchemaType<typeof answerSchema>, 'response'> & { response: QuestionResponse };
export type PracticeSessionDoc = Omit<InferSchemaType<typeof practiceSessionSchema>, 'presentations' | 'answers'> & {
  _id: mongoose.Types.ObjectId;
  presentations: PresentationOrder[];
  answers: PracticeAnswerDoc[];
};
export const PracticeSession = mongoose.model('PracticeSession', practiceSessionSchema);

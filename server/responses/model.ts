import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * `LearnerResponse` (collection `learnerresponses`): every graded answer a learner gives, flat and
 * indexed, for progress tracking (mastery per topic and per passage, history). Written by practice
 * (one per answered question) and by flashcard study when an answer was typed; assigned quizzes
 * may write theirs here too with `source: 'quiz'`.
 *
 * Fields:
 * - userId, bankId, questionId (Question _id), questionKey (the bank's stable id, e.g. 'q-001'),
 *   questionVersion (the version that was graded)
 * - source: 'practice' | 'study' | 'quiz'; sourceRef: the practice session, study card or attempt id
 * - topics (the question's topic tags), passageId (the passage of the source it cites), type
 * - score (0..1, partial credit), correct (score === 1), answeredAt
 *
 * Indexes: `{ userId, answeredAt }` (history), `{ userId, questionId }` (latest answer per
 * question: "retry what I missed"), `{ userId, bankId, source, answeredAt }` (per-bank reads).
 */
const learnerResponseSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    source: { type: String, enum: ['practice', 'study', 'quiz'], required: true },
    sourceRef: { type: Schema.Types.ObjectId, required: true },
    bankId: { type: Schema.Types.ObjectId, ref: 'Bank', required: true },
    questionId: { type: Schema.Types.ObjectId, ref: 'Question', required: true },
    questionKey: { type: String, required: true },
    questionVersion: { type: Number, default: 1 },
    type: { type: String, required: true },
    topics: { type: [String], default: [] },
    passageId: { type: String, required: true },
    score: { type: Number, required: true, min: 0, max: 1 },
    correct: { type: Boolean, required: true },
    answeredAt: { type: Date, required: true },
  },
  { timestamps: false },
);
learnerResponseSchema.index({ userId: 1, answeredAt: 1 });
learnerResponseSchema.index({ userId: 1, questionId: 1 });
learnerResponseSchema.index({ userId: 1, bankId: 1, source: 1, answeredAt: 1 });

export const RESPONSE_SOURCES = ['practice', 'study', 'quiz'] as const;
export type ResponseSource = (typeof RESPONSE_SOURCES)[number];
export type LearnerResponseDoc = InferSchemaType<typeof learnerResponseSchema> & { _id: mongoose.Types.ObjectId };
export const LearnerResponse = mongoose.model('LearnerResponse', learnerResponseSchema);

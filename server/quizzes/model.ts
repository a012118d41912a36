import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { GRADING_METHODS } from './grading-method.ts';
import { FEEDBACK_TIMINGS, REVIEW_LEVELS } from './review-policy.ts';

/**
 * A quiz an instructor builds from one or more banks and assigns to classes.
 *
 * Fields:
 * - `title`, `ownerId` (the instructor; only they, or an admin, edit it and see its results).
 * - `bankIds`: the banks it draws from.
 * - `selection`: `mode` 'pick' (the hand-picked `questionIds`, in that order) or 'rules'
 *   (`rules`: rows of `{ count, topics[] }`, drawn per student when an attempt starts).
 * - `settings`: `timeLimitMinutes` (null: none), `opensAt` / `dueAt` / `closesAt` (null: none),
 *   `attemptsAllowed` (0: unlimited), `gradingMethod` (highest | last | first | average),
 *   `shuffleQuestions`, `shuffleChoices`, `feedbackTiming` (immediately | after-submit |
 *   after-due), `reviewShows` (score | correctness | answers | explanations), `passMark`
 *   (percent, null: none).
 * - `classIds`: the classes it is assigned to.
 * Indexes: `ownerId`; `classIds` (multikey: the quizzes of a class).
 */
const quizSchema = new Schema(
  {
    title: { type: String, required: true, trim: true },
    ownerId: { type: Schema.Types.ObjectId, ref: 'User', required: true, index: true },
    bankIds: { type: [Schema.Types.ObjectId], ref: 'Bank', default: [] },
    selection: {
      mode: { type: String, enum: ['pick', 'rules'], required: true },
      questionIds: { type: [Schema.Types.ObjectId], ref: 'Question', default: [] },
      rules: { type: [new Schema({ count: { type: Number, required: true }, topics: { type: [String], default: [] } }, { _id: false })], default: [] },
    },
    settings: {
      timeLimitMinutes: { type: Number, default: null },
      opensAt: { type: Date, default: null },
      dueAt: { type: Date, default: null },
      closesAt: { type: Date, default: null },
      attemptsAllowed: { type: Number, default: 1 },
      gradingMethod: { type: String, enum: GRADING_METHODS, default: 'highest' },
      shuffleQuestions: { type: Boolean, default: false },
      shuffleChoices: { type: Boolean, default: false },
      feedbackTiming: { type: String, enum: FEEDBACK_TIMINGS, default: 'immediately' },
      reviewShows: { type: String, enum: REVIEW_LEVELS, default: 'explanations' },
      passMark: { type: Number, default: null },
    },
    classIds: { type: [Schema.Types.ObjectId], ref: 'Class', default: [], index: true },
  },
  { timestamps: true },
);

/**
 * One slot of an attempt: a question frozen when the attempt started.
 * - `questionId`, `bankId`, `key`, `version`: which question and which version of it.
 * - `definition`: the QuestionDefinition snapshot (answer key included): server-side only, never
 *   sent to the student; grading and the review read it, so a later edit of the bank changes nothing.
 * - `presentation`: the frozen presentQuestion output (choices shuffled with the attempt's seed
 *   when the quiz shuffles choices): what the page renders.
 * - `response`: the saved QuestionResponse (null: not answered yet); `savedAt`.
 * - `score` (0..1), set when the attempt is submitted.
 */
const slotSchema = new Schema(
  {
    questionId: { type: Schema.Types.ObjectId, ref: 'Question', required: true },
    bankId: { type: Schema.Types.ObjectId, ref: 'Bank', required: true },
    key: { type: String, required: true },
    version: { type: Number, required: true },
    definition: { type: Schema.Types.Mixed, required: true },
    presentation: { type: Schema.Types.Mixed, required: true },
    response: { type: Schema.Types.Mixed, default: null },
    savedAt: { type: Date, default: null },
    score: { type: Number, default: null },
  },
  { _id: false, minimize: false },
);

/**
 * A student's attempt at a quiz.
 *
 * Fields: `quizId`, `userId`, `classId` (the class through which the quiz was assigned),
 * `number` (1, 2, … per quiz and student), `status` ('in-progress' | 'submitted'), `startedAt`,
 * `deadline` (min(start + time limit, closing time); null: none; answers are taken until
 * deadline + GRACE_MS), `submittedAt`, `submittedBy` ('student' | 'deadline': submitted lazily
 * with what was saved once the deadline had passed), `score` (0..1, the mean of the slot scores),
 * `marks` (each slot's score, in slot order), `revision` (grows with each saved answer; submit
 * grades the revision it read, so a save racing a submit is never lost), `seed` (of the draw
 * and shuffles), `slots` (see slotSchema).
 *
 * Concurrency: saving an answer is one updateOne guarded by `{ _id, userId, status:
 * 'in-progress', deadline }` that sets only its own slot; submitting is one findOneAndUpdate
 * guarded by `{ _id, status: 'in-progress', revision }`, so two submits grade once.
 *
 * Indexes: `{ quizId, userId, number }` unique (two racing starts cannot exceed the attempt
 * limit); `{ quizId, status }` (results, item statistics); `{ userId, status }`.
 */
const attemptSchema = new Schema(
  {
    quizId: { type: Schema.Types.ObjectId, ref: 'Quiz', required: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    classId: { type: Schema.Types.ObjectId, ref: 'Class', default: null },
    number: { type: Number, required: true },
    status: { type: String, enum: ['in-progress', 'submitted'], required: true },
    startedAt: { type: Date, required: true },
    deadline: { type: Date, default: null },
    submittedAt: { type: Date, default: null },
    submittedBy: { type: String, enum: ['student', 'deadline', null], default: null },
    score: { type: Number, default: null },
    marks: { type: [Number], default: [] },
    revision: { type: Number, default: 0 },
    seed: { type: String, required: true },
    slots: { type: [slotSchema], default: [] },
  },
  { timestamps: true, minimize: false },
);
attemptSchema.index({ quizId: 1, userId: 1, number: 1 }, { unique: true });
attemptSchema.index({ quizId: 1, status: 1 });
attemptSchema.index({ userId: 1, status: 1 });

export type QuizDoc = InferSchemaType<typeof quizSchema> & { _id: mongoose.Types.ObjectId };
export type AttemptDoc = InferSchemaType<typeof attemptSchema> & { _id: mongoose.Types.ObjectId };
export type SlotDoc = InferSchemaType<typeof slotSchema>;
export const Quiz = mongoose.model('Quiz', quizSchema);
export const Attempt = mongoose.model('Attempt', attemptSchema);

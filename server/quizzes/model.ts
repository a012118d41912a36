import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { GRADING_METHODS } from './grading-method.ts';
import { FEEDBACK_TIMINGS, REVIEW_LEVELS, reviewOptionsFromLevel } from './review-policy.ts';
import type { PresentedQuestion, QuestionDefinition, QuestionResponse } from '../questions/index.ts';

export const ATTEMPT_STATUSES = ['in-progress', 'submitted'] as const;

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
 *   after-due), `reviewShows` (score | correctness | answers | explanations: before review
 *   options, and still their fallback), `reviewOptions` (per phase, see review-policy.ts), `passMark`
 *   (percent, null: none).
 * - `classIds`: the classes it is assigned to.
 * - `archivedAt`: set when the owner archives it (null: active): hidden from students, kept in
 *   the owner's results and the gradebook; restoring clears it.
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
    // The same defaults as QUIZ_SETTING_DEFAULTS (settings.ts), written out so that Mongoose infers
    // the nullable types; test/quizzes/settings.test.ts holds the two together.
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
      // { immediately | open | closed: { score, marks, answers, feedback, source } }; a quiz stored
      // without it (made before review options) reads it from reviewShows (quizSettings).
      reviewOptions: { type: Schema.Types.Mixed, default: () => reviewOptionsFromLevel('explanations') },
      passMark: { type: Number, default: null },
    },
    classIds: { type: [Schema.Types.ObjectId], ref: 'Class', default: [], index: true },
    archivedAt: { type: Date, default: null },
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
 * - `score` (0..1), set when the attempt is submitted; an essay's stays null until it is marked.
 * - `handMark`: an essay's mark by the grader (`mark` of `maxMark`, `comment`, `by`, `at`); null: unmarked.
 */
const handMarkSchema = new Schema(
  {
    mark: { type: Number, required: true },
    maxMark: { type: Number, required: true },
    comment: { type: String, default: '' },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    at: { type: Date, required: true },
  },
  { _id: false },
);

/**
 * A regrade applied to an attempt: when, by whom, and each slot whose question moved to a newer
 * version (`fromVersion` → `toVersion`) with its mark before and after; `scoreBefore`/`scoreAfter`
 * are the attempt's score (null while essays wait to be marked).
 */
const regradeSchema = new Schema(
  {
    at: { type: Date, required: true },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    changes: {
      type: [
        new Schema(
          {
            slot: Number,
            key: String,
            fromVersion: Number,
            toVersion: Number,
            before: { type: Number, default: null },
            after: { type: Number, default: null },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    scoreBefore: { type: Number, default: null },
    scoreAfter: { type: Number, default: null },
  },
  { _id: false },
);

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
    handMark: { type: handMarkSchema, default: null },
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
 * with what was saved once the deadline had passed | 'archived': submitted with what was saved
 * when the owner archived the quiz), `score` (0..1, the mean of the slot scores),
 * `marks` (each slot's score, in slot order), `revision` (grows with each saved answer; submit
 * grades the revision it read, so a save racing a submit is never lost), `seed` (of the draw
 * and shuffles), `slots` (see slotSchema), `preview` (true only in the PreviewAttempt collection),
 * `needsGrading` (submitted with essays not yet marked: `score` is null until they are; an
 * unanswered essay scores 0 at once, there being nothing to mark), `regrades` (see regradeSchema).
 * Marking an essay and applying a regrade are each one updateOne per attempt guarded by
 * `{ _id, status: 'submitted', revision }` (and bump `revision`), so neither overwrites the other.
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
    status: { type: String, enum: ATTEMPT_STATUSES, required: true },
    startedAt: { type: Date, required: true },
    deadline: { type: Date, default: null },
    submittedAt: { type: Date, default: null },
    submittedBy: { type: String, enum: ['student', 'deadline', 'archived', null], default: null },
    score: { type: Number, default: null },
    marks: { type: [Number], default: [] },
    revision: { type: Number, default: 0 },
    seed: { type: String, required: true },
    slots: { type: [slotSchema], default: [] },
    preview: { type: Boolean, default: false },
    needsGrading: { type: Boolean, default: false },
    regrades: { type: [regradeSchema], default: [] },
  },
  { timestamps: true, minimize: false },
);
attemptSchema.index({ quizId: 1, userId: 1, number: 1 }, { unique: true });
attemptSchema.index({ quizId: 1, status: 1 });
attemptSchema.index({ userId: 1, status: 1 });

/**
 * An accommodation on a quiz for one student (`userId`) or one class (`classId`); exactly one of
 * the two is set. Fields as QuizOverrideRule (overrides.ts); null keeps the quiz's own setting.
 * Indexes: `{ quizId, userId, classId }` unique (one override per target; saving again replaces it).
 */
const overrideSchema = new Schema(
  {
    quizId: { type: Schema.Types.ObjectId, ref: 'Quiz', required: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    classId: { type: Schema.Types.ObjectId, ref: 'Class', default: null },
    timeLimitMultiplier: { type: Number, default: null },
    extraMinutes: { type: Number, default: null },
    dueAt: { type: Date, default: null },
    closesAt: { type: Date, default: null },
    extraAttempts: { type: Number, default: null },
  },
  { timestamps: true },
);
overrideSchema.index({ quizId: 1, userId: 1, classId: 1 }, { unique: true });

export type QuizDoc = InferSchemaType<typeof quizSchema> & { _id: mongoose.Types.ObjectId };
/**
 * A slot as stored: its Mixed fields hold what startAttempt froze into them (a definition from a
 * validated bank question, its presentation, a response parsed by parseResponse), so the type
 * says so once here instead of a cast at every read.
 */
export type SlotDoc = Omit<InferSchemaType<typeof slotSchema>, 'definition' | 'presentation' | 'response' | 'handMark'> & {
  definition: QuestionDefinition;
  presentation: PresentedQuestion;
  response: QuestionResponse | null;
  handMark?: HandMark | null;
};
/** An essay's mark by the grader. */
export type HandMark = { mark: number; maxMark: number; comment: string; by: mongoose.Types.ObjectId; at: Date };
/** A regrade as stored on an attempt. */
export type RegradeRecord = InferSchemaType<typeof regradeSchema>;
export type AttemptDoc = Omit<InferSchemaType<typeof attemptSchema>, 'slots' | 'status'> & {
  _id: mongoose.Types.ObjectId;
  status: (typeof ATTEMPT_STATUSES)[number];
  slots: SlotDoc[];
};
export const Quiz = mongoose.model('Quiz', quizSchema);
export type OverrideDoc = InferSchemaType<typeof overrideSchema> & { _id: mongoose.Types.ObjectId };
export const QuizOverride = mongoose.model('QuizOverride', overrideSchema);
export const Attempt = mongoose.model('Attempt', attemptSchema);
/**
 * An instructor's preview of their own quiz: an attempt in a collection of its own, so results,
 * statistics and the gradebook (which read only `Attempt`) never see it. One per quiz and
 * instructor: starting a new preview deletes the last.
 */
export const PreviewAttempt = mongoose.model('PreviewAttempt', attemptSchema.clone());
/** Where an attempt is kept: previews apart from real attempts. */
export const storeOf = (a: { preview?: boolean | null }) => (a.preview ? PreviewAttempt : Attempt);

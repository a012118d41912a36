import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * `LearnerProgress` (collection `learnerprogresses`): a learner's history summarised up to
 * `through` (the start of a UTC day), so the dashboard never re-reads tens of thousands of
 * reviews. Everything before `through` is folded in; the current day is read live. It is
 * brought forward on the first dashboard view of a day by aggregating only the new whole days,
 * and written with the guard `{ userId, through: <the value it read> }`, so two racing views
 * fold a day in once. Past days never change (reviews and answers are logged at the time they
 * happen), which is what makes the summary safe to keep.
 *
 * Fields:
 * - userId (unique), through (null: nothing folded in yet)
 * - days: one row per UTC day with activity: day 'YYYY-MM-DD', reviews (flashcard ratings),
 *   recalled (ratings Hard/Good/Easy), answers (graded practice and typed answers), scoreSum
 * - questions: per question answered: questionId, n answers, scoreSum, lastScore and lastAt
 *   (the latest answer; mastery uses it)
 * Index: `userId` unique.
 */
const daySchema = new Schema(
  {
    day: { type: String, required: true },
    reviews: { type: Number, default: 0 },
    recalled: { type: Number, default: 0 },
    answers: { type: Number, default: 0 },
    scoreSum: { type: Number, default: 0 },
  },
  { _id: false },
);

const questionStatSchema = new Schema(
  {
    questionId: { type: Schema.Types.ObjectId, required: true },
    n: { type: Number, required: true },
    scoreSum: { type: Number, required: true },
    lastScore: { type: Number, required: true },
    lastAt: { type: Date, required: true },
  },
  { _id: false },
);

const learnerProgressSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true, unique: true },
    through: { type: Date, default: null },
    days: { type: [daySchema], default: [] },
    questions: { type: [questionStatSchema], default: [] },
  },
  { timestamps: true, minimize: false },
);

export type LearnerProgressDoc = InferSchemaType<typeof learnerProgressSchema> & { _id: mongoose.Types.ObjectId };
export type DaySummary = InferSchemaType<typeof daySchema>;
export type QuestionStat = InferSchemaType<typeof questionStatSchema>;
export const LearnerProgress = mongoose.model('LearnerProgress', learnerProgressSchema);

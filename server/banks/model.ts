import mongoose, { Schema, type InferSchemaType } from 'mongoose';

const bankSchema = new Schema(
  {
    slug: { type: String, required: true, unique: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    sourceId: { type: String, required: true },
    // No owner: a bank shipped with Lectern, edited by admins and open to every learner.
    ownerId: { type: Schema.Types.ObjectId, ref: 'User', default: null, index: true },
  },
  { timestamps: true },
);

/**
 * A question of a bank. `definition` is the whole validated QuestionDefinition (key included);
 * the fields beside it are copies for querying. `version` grows with each edit, and attempts
 * keep their own snapshot, so an edit never changes an attempt in progress.
 */
const questionSchema = new Schema(
  {
    bankId: { type: Schema.Types.ObjectId, ref: 'Bank', required: true },
    key: { type: String, required: true },
    type: { type: String, required: true },
    topics: { type: [String], index: true },
    difficulty: { type: String, required: true },
    passageId: { type: String, required: true },
    definition: { type: Schema.Types.Mixed, required: true },
    hash: { type: String, required: true },
    version: { type: Number, default: 1 },
    retired: { type: Boolean, default: false },
  },
  { timestamps: true, minimize: false },
);
questionSchema.index({ bankId: 1, key: 1 }, { unique: true });

export type BankDoc = InferSchemaType<typeof bankSchema> & { _id: mongoose.Types.ObjectId };
export type QuestionDoc = InferSchemaType<typeof questionSchema> & { _id: mongoose.Types.ObjectId };
export const Bank = mongoose.model('Bank', bankSchema);
export const Question = mongoose.model('Question', questionSchema);

import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import type { QuestionDefinition } from '../questions/index.ts';

const bankSchema = new Schema(
  {
    slug: { type: String, required: true, unique: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    // The first source; `sourceIds` lists every source the bank is built on, this one first.
    sourceId: { type: String, required: true },
    sourceIds: { type: [String], default: undefined },
    // The bank's own topics, in the order pages list them; questions tag themselves with the slugs.
    topics: { type: [new Schema({ slug: { type: String, required: true }, name: { type: String, required: true } }, { _id: false })], default: undefined },
    // The owner's classes whose students may practise and study this bank (self-study sharing).
    sharedWithClassIds: { type: [Schema.Types.ObjectId], default: [], index: true },
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
    // The source the passage is in when not the bank's first (copied from the definition).
    sourceId: { type: String, default: null },
    definition: { type: Schema.Types.Mixed, required: true },
    hash: { type: String, required: true },
    version: { type: Number, default: 1 },
    retired: { type: Boolean, default: false },
  },
  { timestamps: true, minimize: false },
);
questionSchema.index({ bankId: 1, key: 1 }, { unique: true });

export type BankDoc = InferSchemaType<typeof bankSchema> & { _id: mongoose.Types.ObjectId };
/** A stored question; `definition` holds what validateBankFile or the editor accepted, so the type says so once here. */
export type QuestionDoc = Omit<InferSchemaType<typeof questionSchema>, 'definition'> & { _id: mongoose.Types.ObjectId; definition: QuestionDefinition };
export const Bank = mongoose.model('Bank', bankSchema);
export const Question = mongoose.model('Question', questionSchema);

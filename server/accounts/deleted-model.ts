import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * What is left of a deleted account: its old id and a number, nothing that names the person.
 * The number labels their results in gradebooks ("Deleted student 3") and is never reused.
 * Indexes: `number` unique (two deletions racing for one number: the second tries the next).
 */
const deletedSchema = new Schema({
  _id: { type: Schema.Types.ObjectId, required: true },
  number: { type: Number, required: true, unique: true },
  deletedAt: { type: Date, required: true },
});

export type DeletedUserDoc = InferSchemaType<typeof deletedSchema>;
export const DeletedUser = mongoose.model('DeletedUser', deletedSchema);

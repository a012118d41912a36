import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * A class an instructor teaches.
 * Fields: `name`; `instructorId` (User who owns it; only they, or an admin, see its roster);
 * `joinCode` (8 characters from JOIN_CODE_ALPHABET, stored without the dash; regenerating it
 * replaces it, so the old code stops working); `archivedAt` (null while the class runs: once
 * archived, its code admits no one, nobody is enrolled by file and its quizzes cannot be
 * started; results, roster and gradebook stay readable; unarchiving clears it).
 * Indexes: `joinCode` unique; `instructorId`.
 */
const classSchema = new Schema(
  {
    name: { type: String, required: true, trim: true },
    instructorId: { type: Schema.Types.ObjectId, ref: 'User', required: true, index: true },
    joinCode: { type: String, required: true, unique: true },
    archivedAt: { type: Date, default: null },
  },
  { timestamps: true },
);

/**
 * A student's membership of a class (the roster is every Enrolment of a class).
 * Fields: `classId`, `userId`, `joinedAt`, and the student's `name` and `email` copied from the
 * account (kept in step by renameMember) so that a roster page is sorted and cut by the
 * database without reading every student's account (a deleted account's become "Deleted
 * student N" and ''). `via`: how they came: 'code' (joined themselves), 'csv-new' (an account the
 * instructor's CSV created), 'csv-existing' (an existing account the CSV added): an instructor
 * may make reset links only for the first two. Removing a student deletes the row; their
 * attempts stay.
 * Indexes: `{ classId, userId }` unique (joining twice is a no-op); `userId` (a student's classes).
 */
const enrolmentSchema = new Schema({
  classId: { type: Schema.Types.ObjectId, ref: 'Class', required: true },
  userId: { type: Schema.Types.ObjectId, ref: 'User', required: true, index: true },
  joinedAt: { type: Date, required: true },
  name: { type: String, default: '' },
  email: { type: String, default: '' },
  via: { type: String, enum: ['code', 'csv-new', 'csv-existing'], default: 'code' },
});
enrolmentSchema.index({ classId: 1, userId: 1 }, { unique: true });

export type ClassDoc = InferSchemaType<typeof classSchema> & { _id: mongoose.Types.ObjectId; createdAt: Date };
export type EnrolmentDoc = InferSchemaType<typeof enrolmentSchema> & { _id: mongoose.Types.ObjectId };
export const Class = mongoose.model('Class', classSchema);
export const Enrolment = mongoose.model('Enrolment', enrolmentSchema);

import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * A one-time password reset link. Only the SHA-256 of its token is stored (the token is 256
 * random bits, so a fast hash makes a leaked table useless). Redeeming it sets `usedAt` in the
 * same atomic update that checks it is unused and unexpired, so a link works once.
 * Indexes: `tokenHash` unique; `userId` (a user's links end when they are deleted); `expiresAt`
 * TTL (a week after expiry the row goes: nothing reads it then).
 */
const resetSchema = new Schema({
  tokenHash: { type: String, required: true, unique: true },
  userId: { type: Schema.Types.ObjectId, required: true, index: true },
  // Who made it (an admin, an instructor, or the user themselves by email), for the record.
  createdBy: { type: Schema.Types.ObjectId, default: null },
  createdAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
  usedAt: { type: Date, default: null },
});
resetSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 7 * 24 * 3600 });

export type PasswordResetDoc = InferSchemaType<typeof resetSchema> & { _id: mongoose.Types.ObjectId };
export const PasswordReset = mongoose.model('PasswordReset', resetSchema);

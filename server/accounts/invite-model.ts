import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * An instructor invite an admin made. The code itself is never stored: only its SHA-256 (the
 * code is 80 random bits, so a fast hash is enough to make a leaked table useless).
 */
const inviteSchema = new Schema(
  {
    codeHash: { type: String, required: true, unique: true },
    // Who it is for, as the admin wrote it ("Dr Lee, history"): the list is readable without the code.
    note: { type: String, required: true, trim: true },
    createdBy: { type: Schema.Types.ObjectId, required: true },
    usedBy: { type: Schema.Types.ObjectId, default: null },
    usedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { timestamps: true },
);

export type InviteDoc = InferSchemaType<typeof inviteSchema> & { _id: mongoose.Types.ObjectId; createdAt: Date };
export const Invite = mongoose.model('Invite', inviteSchema);

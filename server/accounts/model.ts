import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { ROLES } from './roles.ts';

const userSchema = new Schema(
  {
    email: { type: String, required: true, unique: true, lowercase: true, trim: true },
    name: { type: String, required: true, trim: true },
    // argon2id PHC string; the password itself is never stored.
    passwordHash: { type: String, required: true },
    role: { type: String, enum: ROLES, default: 'student', required: true },
    demo: { type: Boolean, default: false },
  },
  { timestamps: true },
);

export type UserDoc = InferSchemaType<typeof userSchema> & { _id: mongoose.Types.ObjectId };
export const User = mongoose.model('User', userSchema);

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
    // Detected from the browser at registration (or first login), editable on the account page.
    timeZone: { type: String, default: null },
    dayStartHour: { type: Number, min: 0, max: 23, default: null },
    // Set by an admin: the account cannot sign in and its sessions stop working.
    disabledAt: { type: Date, default: null },
  },
  { timestamps: true },
);

// The admin search pages through users by name.
userSchema.index({ name: 1, _id: 1 });

export type UserDoc = InferSchemaType<typeof userSchema> & { _id: mongoose.Types.ObjectId };
export const User = mongoose.model('User', userSchema);

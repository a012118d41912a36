import mongoose from 'mongoose';
import { User, type UserDoc } from './model.ts';
import type { Role } from './roles.ts';
import { isObjectId } from '../object-ids.ts';
import { errorCode, isRecord } from '../object-shape.ts';

/** An account as bulk enrolment sees it: enough to know whether it may be enrolled as a student. */
export interface AccountByEmail {
  id: string;
  name: string;
  email: string;
  role: Role;
  disabled: boolean;
}

// Not a PHC string, so verifyPassword refuses every password: nobody signs in until a reset link sets one.
const NO_PASSWORD_YET = '!unset';

/** The accounts with these (lower-case) emails, by email. */
export async function accountsByEmail(emails: readonly string[]): Promise<Map<string, AccountByEmail>> {
  if (!emails.length) return new Map();
  const users = await User.find({ email: { $in: [...emails] } }, { name: 1, email: 1, role: 1, disabledAt: 1 }).lean<UserDoc[]>();
  return new Map(users.map((u) => [u.email, { id: String(u._id), name: u.name, email: u.email, role: u.role, disabled: Boolean(u.disabledAt) }]));
}

/** A user's role now (null: no such account), for rules that depend on whom they act upon. */
export async function roleOf(userId: string): Promise<Role | null> {
  const user = isObjectId(userId) ? await User.findById(userId, { role: 1 }).lean<UserDoc>() : null;
  return user?.role ?? null;
}

/**
 * Creates student accounts with no password (a reset link sets the first one). An email taken
 * meanwhile (someone registered between the check and the write) is skipped and reported back,
 * so the caller treats that person as an existing account.
 */
export async function createStudentAccounts(people: ReadonlyArray<{ name: string; email: string }>): Promise<Map<string, string>> {
  if (!people.length) return new Map();
  const docs = people.map((p) => ({
    _id: new mongoose.Types.ObjectId(),
    name: p.name,
    email: p.email,
    passwordHash: NO_PASSWORD_YET,
    role: 'student' as const,
  }));
  try {
    await User.insertMany(docs, { ordered: false });
  } catch (err) {
    // Duplicate emails fail one by one (ordered: false writes the rest); anything else is real.
    const writeErrors = isRecord(err) ? err.writeErrors : undefined;
    const codeOf = (e: unknown) => (isRecord(e) ? (e.code ?? errorCode(e.err)) : undefined);
    if (!Array.isArray(writeErrors) || !writeErrors.every((e) => codeOf(e) === 11000)) throw err;
  }
  const made = await User.find({ _id: { $in: docs.map((d) => d._id) } }, { email: 1 }).lean<UserDoc[]>();
  return new Map(made.map((u) => [u.email, String(u._id)]));
}

import { timingSafeEqual } from 'node:crypto';
import { User, type UserDoc } from './model.ts';
import { hashPassword, verifyPassword, dummyPasswordHash } from './passwords.ts';
import { renameMember } from '../classes/service.ts';
import type { Caller, Role } from './roles.ts';
import type { RegisterInput } from './schemas.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors.ts';

/** The Caller view of a stored user. */
export function toCaller(user: Pick<UserDoc, '_id' | 'name' | 'email' | 'role'>): Caller {
  return { id: String(user._id), name: user.name, email: user.email, role: user.role as Role };
}

/** Creates a student account; an email already taken is a field error, not a 500. */
export async function registerUser(input: RegisterInput, role: Role = 'student', demo = false): Promise<Caller> {
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await User.create({ name: input.name, email: input.email, passwordHash, role, demo });
    return toCaller(user);
  } catch (err) {
    if ((err as { code?: number }).code === 11000) {
      throw new ValidationError('Please correct the fields marked below.', {
        email: 'An account with this email already exists. Log in instead?',
      });
    }
    throw err;
  }
}

/** The account for an email and password, or null; an unknown email costs the same time as a wrong password. */
export async function authenticate(email: string, password: string): Promise<Caller | null> {
  const user = await User.findOne({ email }).lean<UserDoc>();
  if (!user) {
    await verifyPassword(await dummyPasswordHash(), password);
    return null;
  }
  return (await verifyPassword(user.passwordHash, password)) ? toCaller(user) : null;
}

/** Loads the caller for a session's user id; null when the account is gone. */
export async function findCaller(id: string): Promise<Caller | null> {
  if (!/^[a-f0-9]{24}$/.test(id)) return null;
  const user = await User.findById(id).lean<UserDoc>();
  return user ? toCaller(user) : null;
}

/** Renames the caller. */
export async function changeName(caller: Caller, name: string): Promise<Caller> {
  const user = await User.findByIdAndUpdate(caller.id, { $set: { name } }, { new: true }).lean<UserDoc>();
  if (!user) throw new NotFoundError('Your account no longer exists.');
  await renameMember(caller.id, name);
  return toCaller(user);
}

/** Changes the caller's password after checking the current one. */
export async function changePassword(caller: Caller, currentPassword: string, newPassword: string): Promise<void> {
  const user = await User.findById(caller.id).lean<UserDoc>();
  if (!user) throw new NotFoundError('Your account no longer exists.');
  if (!(await verifyPassword(user.passwordHash, currentPassword))) {
    throw new ValidationError('Please correct the fields marked below.', { currentPassword: 'That is not your current password.' });
  }
  await User.updateOne({ _id: user._id }, { $set: { passwordHash: await hashPassword(newPassword) } });
}

/** Makes a student an instructor when the invite code matches the configured one. */
export async function redeemInstructorInvite(caller: Caller, code: string, configured: string | undefined): Promise<Caller> {
  if (!configured) throw new ForbiddenError('Instructor invites are not enabled on this site. Ask an administrator.');
  const a = Buffer.from(code);
  const b = Buffer.from(configured);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new ValidationError('Please correct the fields marked below.', { code: 'That invite code is not valid.' });
  }
  if (caller.role !== 'student') return caller;
  const user = await User.findByIdAndUpdate(caller.id, { $set: { role: 'instructor' } }, { new: true }).lean<UserDoc>();
  if (!user) throw new NotFoundError('Your account no longer exists.');
  return toCaller(user);
}

/** Every user, for the admin page. */
export async function listUsers(caller: Caller): Promise<Caller[]> {
  if (caller.role !== 'admin') throw new ForbiddenError();
  const users = await User.find({}).sort({ createdAt: 1 }).lean<UserDoc[]>();
  return users.map(toCaller);
}

/** Changes a user's role; an admin cannot demote themselves (so the site always keeps one). */
export async function setRole(caller: Caller, userId: string, role: Role): Promise<Caller> {
  if (caller.role !== 'admin') throw new ForbiddenError();
  if (userId === caller.id && role !== 'admin') throw new ConflictError('You cannot remove your own admin role.');
  const user = await User.findByIdAndUpdate(userId, { $set: { role } }, { new: true }).lean<UserDoc>();
  if (!user) throw new NotFoundError('No such user.');
  return toCaller(user);
}

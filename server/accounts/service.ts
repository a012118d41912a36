import { User, type UserDoc } from './model.ts';
import { hashPassword, verifyPassword, dummyPasswordHash } from './passwords.ts';
import type { Caller, Role } from './roles.ts';
import type { RegisterInput } from './schemas.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors.ts';
import { isDuplicateKey } from '../mongo-errors.ts';
import { keepingAnAdmin } from './last-admin.ts';

/** The Caller view of a stored user. */
export function toCaller(user: Pick<UserDoc, '_id' | 'name' | 'email' | 'role'> & { timeZone?: string | null; dayStartHour?: number | null }): Caller {
  const caller: Caller = { id: String(user._id), name: user.name, email: user.email, role: user.role };
  if (user.timeZone) caller.timeZone = user.timeZone;
  if (typeof user.dayStartHour === 'number') caller.dayStartHour = user.dayStartHour;
  return caller;
}

/** Creates a student account; an email already taken is a field error, not a 500. */
export async function registerUser(input: RegisterInput, role: Role = 'student', demo = false): Promise<Caller> {
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await User.create({ name: input.name, email: input.email, passwordHash, role, demo, timeZone: input.timeZone ?? null });
    return toCaller(user);
  } catch (err) {
    if (isDuplicateKey(err)) {
      throw new ValidationError('Please correct the fields marked below.', {
        email: 'An account with this email already exists. Log in instead?',
      });
    }
    throw err;
  }
}

/**
 * The account for an email and password, or null; an unknown email costs the same time as a
 * wrong password. 'disabled': the password is right but an admin disabled the account (said only
 * to someone who knows the password).
 */
export async function authenticate(email: string, password: string): Promise<Caller | null | 'disabled'> {
  const user = await User.findOne({ email }).lean<UserDoc>();
  if (!user) {
    await verifyPassword(await dummyPasswordHash(), password);
    return null;
  }
  if (!(await verifyPassword(user.passwordHash, password))) return null;
  return user.disabledAt ? 'disabled' : toCaller(user);
}

/** Loads the caller for a session's user id; null when the account is gone or disabled. */
export async function findCaller(id: string): Promise<Caller | null> {
  if (!/^[a-f0-9]{24}$/.test(id)) return null;
  const user = await User.findById(id).lean<UserDoc>();
  return user && !user.disabledAt ? toCaller(user) : null;
}

/** Renames the caller; `renamed` tells the features that keep a copy of the name (class rosters). */
export async function changeName(caller: Caller, name: string, renamed: (userId: string, name: string) => Promise<void>): Promise<Caller> {
  const user = await User.findByIdAndUpdate(caller.id, { $set: { name } }, { returnDocument: 'after' }).lean<UserDoc>();
  if (!user) throw new NotFoundError('Your account no longer exists.');
  await renamed(caller.id, name);
  return toCaller(user);
}

/** Records the zone a browser reported at login, for an account that has none yet (a chosen one is kept). */
export async function adoptDetectedTimeZone(caller: Caller, timeZone: string | null | undefined): Promise<Caller> {
  if (!timeZone || caller.timeZone) return caller;
  await User.updateOne({ _id: caller.id, timeZone: null }, { $set: { timeZone } });
  return { ...caller, timeZone };
}

/** Sets the zone the caller reads and enters times in, and the hour their study day starts. */
export async function changeClock(caller: Caller, timeZone: string, dayStartHour: number): Promise<void> {
  const res = await User.updateOne({ _id: caller.id }, { $set: { timeZone, dayStartHour } });
  if (res.matchedCount === 0) throw new NotFoundError('Your account no longer exists.');
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

/**
 * Changes a user's role; an admin cannot demote themselves, and a demotion that would leave no
 * active admin (two admins demoting each other at once) is undone and refused.
 */
export async function setRole(caller: Caller, userId: string, role: Role): Promise<Caller> {
  if (caller.role !== 'admin') throw new ForbiddenError();
  if (userId === caller.id && role !== 'admin') throw new ConflictError('You cannot remove your own admin role.');
  const before = await User.findById(userId, { role: 1 }).lean<Pick<UserDoc, 'role'>>();
  if (!before) throw new NotFoundError('No such user.');
  const user = await keepingAnAdmin(
    () => User.findByIdAndUpdate(userId, { $set: { role } }, { returnDocument: 'after' }).lean<UserDoc>(),
    () => User.updateOne({ _id: userId, role }, { $set: { role: before.role } }),
    'You cannot demote the last administrator.',
  );
  if (!user) throw new NotFoundError('No such user.');
  return toCaller(user);
}

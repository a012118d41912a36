import { User, type UserDoc } from './model.ts';
import { DeletedUser } from './deleted-model.ts';
import { dropResetLinksOf } from './resets.ts';
import { keepingAnAdmin } from './last-admin.ts';
import type { Caller, Role } from './roles.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../http/errors.ts';
import { isDuplicateKey } from '../mongo-errors.ts';
import { isObjectId, toObjectId as oid } from '../object-ids.ts';

export const USERS_PAGE_SIZE = 25;

/** A user as the admin page lists them. */
export interface AdminUserView {
  id: string;
  name: string;
  email: string;
  role: Role;
  disabled: boolean;
  createdAt: Date | null;
}

export interface UserSearch {
  users: AdminUserView[];
  q: string;
  page: number;
  pages: number;
  total: number;
}

/** What deleting an account asks the features above accounts (createApp wires them). */
export interface DeletionHooks {
  /** How many classes the user teaches (a teacher's classes must go to someone first). */
  classesTaughtBy(userId: string): Promise<number>;
  /** Replaces the copies of the user's name and email (rosters, gradebooks) with the label. */
  memberDeleted(userId: string, label: string): Promise<void>;
}

function assertAdmin(caller: Caller): void {
  if (caller.role !== 'admin') throw new ForbiddenError();
}

const view = (u: UserDoc & { createdAt?: Date }): AdminUserView => ({
  id: String(u._id),
  name: u.name,
  email: u.email,
  role: u.role,
  disabled: Boolean(u.disabledAt),
  createdAt: u.createdAt ?? null,
});

/** Escapes every character a regular expression gives a meaning to: the search is plain text. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Users whose name or email contains `q` (any case), a page of 25 by name; every user without `q`. */
export async function searchUsers(caller: Caller, q: string, page: number): Promise<UserSearch> {
  assertAdmin(caller);
  const text = q.trim().slice(0, 100);
  const filter = text ? { $or: [{ name: { $regex: literal(text), $options: 'i' } }, { email: { $regex: literal(text), $options: 'i' } }] } : {};
  const total = await User.countDocuments(filter);
  const pages = Math.max(1, Math.ceil(total / USERS_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const rows = await User.find(filter, { passwordHash: 0 })
    .sort({ name: 1, _id: 1 })
    .skip((current - 1) * USERS_PAGE_SIZE)
    .limit(USERS_PAGE_SIZE)
    .lean<Array<UserDoc & { createdAt?: Date }>>();
  return { users: rows.map(view), q: text, page: current, pages, total };
}

/** Refuses changes an admin may not make to themselves or to the site's last active admin. */
async function assertNotSelfOrLastAdmin(caller: Caller, target: UserDoc, what: string): Promise<void> {
  if (String(target._id) === caller.id) throw new ConflictError(`You cannot ${what} your own account.`);
  if (target.role !== 'admin') return;
  const others = await User.countDocuments({ role: 'admin', disabledAt: null, _id: { $ne: target._id } });
  if (others === 0) throw new ConflictError(`You cannot ${what} the last administrator.`);
}

async function targetOf(userId: string): Promise<UserDoc> {
  const user = isObjectId(userId) ? await User.findById(userId).lean<UserDoc>() : null;
  if (!user) throw new NotFoundError('No such user.');
  return user;
}

/**
 * Disables an account (it cannot sign in; the session store reads `disabledAt` with every
 * session, so its sessions stop working at once) or enables it again. The caller also ends the
 * account's sessions, so a disabled account leaves nothing behind to come back to.
 */
export async function setDisabled(caller: Caller, userId: string, disabled: boolean, now: Date): Promise<AdminUserView> {
  assertAdmin(caller);
  const target = await targetOf(userId);
  if (disabled) await assertNotSelfOrLastAdmin(caller, target, 'disable');
  const user = await keepingAnAdmin(
    () => User.findByIdAndUpdate(target._id, { $set: { disabledAt: disabled ? now : null } }, { returnDocument: 'after' }).lean<UserDoc>(),
    () => User.updateOne({ _id: target._id }, { $set: { disabledAt: target.disabledAt ?? null } }),
    'You cannot disable the last administrator.',
  );
  if (!user) throw new NotFoundError('No such user.');
  return view(user);
}

/** The next free number for a deleted account, taken with its tombstone (a clash tries the next). */
async function tombstone(userId: string, now: Date): Promise<number> {
  const existing = await DeletedUser.findById(userId).lean<{ number: number }>();
  if (existing) return existing.number;
  for (let tries = 0; ; tries++) {
    const last = await DeletedUser.findOne({}, { number: 1 }).sort({ number: -1 }).lean<{ number: number }>();
    const number = (last?.number ?? 0) + 1;
    try {
      await DeletedUser.create({ _id: oid(userId), number, deletedAt: now });
      return number;
    } catch (err) {
      if (!isDuplicateKey(err) || tries >= 10) throw err;
      // The id itself may have won in a race: its number is the one to use.
      const mine = await DeletedUser.findById(userId).lean<{ number: number }>();
      if (mine) return mine.number;
    }
  }
}

/**
 * Deletes an account: its results stay (attempts keep the old id), every copy of its name and
 * email becomes "Deleted student N", its reset links go and the user document is removed. The
 * caller ends its sessions. Someone who still teaches classes is refused: their classes would
 * have no instructor.
 */
export async function deleteUser(caller: Caller, userId: string, now: Date, hooks: DeletionHooks): Promise<{ label: string }> {
  assertAdmin(caller);
  const target = await targetOf(userId);
  await assertNotSelfOrLastAdmin(caller, target, 'delete');
  const classes = await hooks.classesTaughtBy(userId);
  if (classes > 0) {
    throw new ConflictError(
      `${target.name} teaches ${classes} class${classes === 1 ? '' : 'es'}. Those need another instructor before the account can go; disable it meanwhile.`,
    );
  }
  // Disabled first: if a later step fails, the account is at least locked, and deleting again finishes the job.
  await keepingAnAdmin(
    () => User.updateOne({ _id: target._id }, { $set: { disabledAt: target.disabledAt ?? now } }),
    () => User.updateOne({ _id: target._id }, { $set: { disabledAt: target.disabledAt ?? null } }),
    'You cannot delete the last administrator.',
  );
  const number = await tombstone(userId, now);
  const label = `Deleted ${target.role === 'student' ? 'student' : 'user'} ${number}`;
  await hooks.memberDeleted(userId, label);
  await dropResetLinksOf(userId);
  await User.deleteOne({ _id: target._id });
  return { label };
}

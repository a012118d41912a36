import { createHash, randomBytes } from 'node:crypto';
import { PasswordReset, type PasswordResetDoc } from './reset-model.ts';
import { User, type UserDoc } from './model.ts';
import { hashPassword } from './passwords.ts';
import type { Caller } from './roles.ts';
import { ForbiddenError, NotFoundError } from '../http/errors.ts';
import { isObjectId, toObjectId as oid } from '../object-ids.ts';

/** A reset link as made: the token (shown or mailed once, never stored) and when it stops working. */
export interface ResetLink {
  userId: string;
  token: string;
  expiresAt: Date;
}

/** The path a reset token is redeemed at; the token is 43 base64url characters. */
export function resetPath(token: string): string {
  return `/reset/${token}`;
}

/** Whether a string could be a token at all (anything else is refused before the database is asked). */
export function looksLikeResetToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Makes one reset link for each user: a 256-bit random token each, stored only as its hash.
 * Checks nothing: callers (an admin's request, an instructor's class, the user's own email) have
 * decided who may have them.
 */
export async function issueResetLinks(userIds: readonly string[], createdBy: string | null, now: Date, ttlMs: number): Promise<ResetLink[]> {
  const expiresAt = new Date(now.getTime() + ttlMs);
  const links = userIds.map((userId) => ({ userId, token: randomBytes(32).toString('base64url'), expiresAt }));
  if (!links.length) return [];
  await PasswordReset.insertMany(
    links.map((l) => ({ tokenHash: hashOf(l.token), userId: oid(l.userId), createdBy: createdBy ? oid(createdBy) : null, createdAt: now, expiresAt })),
  );
  return links;
}

/** An admin makes a reset link for any account. */
export async function adminResetLink(caller: Caller, userId: string, now: Date, ttlMs: number): Promise<ResetLink & { name: string; email: string }> {
  if (caller.role !== 'admin') throw new ForbiddenError();
  const user = isObjectId(userId) ? await User.findById(userId, { name: 1, email: 1 }).lean<UserDoc>() : null;
  if (!user) throw new NotFoundError('No such user.');
  const [link] = await issueResetLinks([userId], caller.id, now, ttlMs);
  return { ...link!, name: user.name, email: user.email };
}

const GONE = 'This reset link does not work: it was used, it expired, or it never existed. Ask for a new one.';

/** The account a still-valid token resets (for the form's greeting); 404 otherwise. */
export async function resetTarget(token: string, now: Date): Promise<{ name: string }> {
  const row = looksLikeResetToken(token)
    ? await PasswordReset.findOne({ tokenHash: hashOf(token), usedAt: null, expiresAt: { $gt: now } }).lean<PasswordResetDoc>()
    : null;
  const user = row ? await User.findById(row.userId, { name: 1 }).lean<UserDoc>() : null;
  if (!user) throw new NotFoundError(GONE);
  return { name: user.name };
}

/**
 * Sets a new password with a token: the token is used up in the same atomic update that finds it
 * unused and unexpired (two tabs racing with one link: one wins). Every other link of the account
 * ends too. Returns the user's id, whose sessions the caller then ends.
 */
export async function redeemResetLink(token: string, newPassword: string, now: Date): Promise<string> {
  if (!looksLikeResetToken(token)) throw new NotFoundError(GONE);
  // Checked first, so a made-up token costs no argon2 run; hashed before the claim, so a slow
  // hash cannot leave the link used and the old password in place.
  const live = { tokenHash: hashOf(token), usedAt: null, expiresAt: { $gt: now } };
  if (!(await PasswordReset.exists(live))) throw new NotFoundError(GONE);
  const passwordHash = await hashPassword(newPassword);
  const claimed = await PasswordReset.findOneAndUpdate(live, { $set: { usedAt: now } }, { returnDocument: 'after' }).lean<PasswordResetDoc>();
  if (!claimed) throw new NotFoundError(GONE);
  const res = await User.updateOne({ _id: claimed.userId }, { $set: { passwordHash } });
  if (res.matchedCount === 0) throw new NotFoundError(GONE);
  await PasswordReset.updateMany({ userId: claimed.userId, usedAt: null }, { $set: { usedAt: now } });
  return String(claimed.userId);
}

/** The enabled account with this email, for "forgot password" (null: no such account, or disabled). */
export async function activeUserByEmail(email: string): Promise<{ id: string; name: string; email: string } | null> {
  const user = await User.findOne({ email, disabledAt: null }, { name: 1, email: 1 }).lean<UserDoc>();
  return user ? { id: String(user._id), name: user.name, email: user.email } : null;
}

/** Links made for a user no longer work (their account is being deleted). */
export async function dropResetLinksOf(userId: string): Promise<void> {
  await PasswordReset.deleteMany({ userId: oid(userId) });
}

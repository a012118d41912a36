import { createHash, randomInt } from 'node:crypto';
import { Invite, type InviteDoc } from './invite-model.ts';
import { User, type UserDoc } from './model.ts';
import { toCaller } from './service.ts';
import type { Caller } from './roles.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../http/errors.ts';
import { isObjectId, toObjectId as oid } from '../object-ids.ts';

// No 0/O, 1/I/L: codes are read aloud and typed from paper.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 16; // 31^16 ≈ 2^79: unguessable within any rate limit

/** An invite as the admin page lists it. */
export interface InviteView {
  id: string;
  note: string;
  createdAt: Date;
  status: 'unused' | 'used' | 'revoked';
  usedByName: string | null;
  usedAt: Date | null;
}

/** Upper case without spaces or dashes, as codes are compared. */
function normaliseInviteCode(raw: string): string {
  return raw.toUpperCase().replace(/[\s-]/g, '');
}

function hashOf(code: string): string {
  return createHash('sha256').update(normaliseInviteCode(code)).digest('hex');
}

/** A code in groups of four (ABCD-EFGH-JKMN-PQRS), the way it is handed out. */
function formatted(code: string): string {
  return code.match(/.{1,4}/g)!.join('-');
}

function assertAdmin(caller: Caller): void {
  if (caller.role !== 'admin') throw new ForbiddenError();
}

/** Makes a single-use instructor invite; the code is returned once and only its hash is kept. */
export async function createInvite(caller: Caller, note: string): Promise<{ code: string; invite: InviteView }> {
  assertAdmin(caller);
  const code = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const doc = await Invite.create({ codeHash: hashOf(code), note, createdBy: oid(caller.id) });
  return { code: formatted(code), invite: viewOf(doc.toObject(), new Map()) };
}

function viewOf(doc: InviteDoc, names: Map<string, string>): InviteView {
  const status = doc.usedAt ? 'used' : doc.revokedAt ? 'revoked' : 'unused';
  return {
    id: String(doc._id),
    note: doc.note,
    createdAt: doc.createdAt,
    status,
    usedByName: doc.usedBy ? (names.get(String(doc.usedBy)) ?? 'Deleted account') : null,
    usedAt: doc.usedAt ?? null,
  };
}

/** Every invite, newest first, for the admin page. */
export async function listInvites(caller: Caller): Promise<InviteView[]> {
  assertAdmin(caller);
  const docs = await Invite.find({}).sort({ createdAt: -1 }).limit(500).lean<InviteDoc[]>();
  const users = await User.find({ _id: { $in: docs.flatMap((d) => (d.usedBy ? [d.usedBy] : [])) } }, { name: 1 }).lean<UserDoc[]>();
  const names = new Map(users.map((u) => [String(u._id), u.name]));
  return docs.map((d) => viewOf(d, names));
}

/** Revokes an unused invite: its code stops working. */
export async function revokeInvite(caller: Caller, inviteId: string, now: Date): Promise<void> {
  assertAdmin(caller);
  if (!isObjectId(inviteId)) throw new NotFoundError('No such invite.');
  const res = await Invite.updateOne({ _id: oid(inviteId), usedAt: null, revokedAt: null }, { $set: { revokedAt: now } });
  if (res.matchedCount === 0) throw new NotFoundError('That invite is already used, revoked or gone.');
}

const NOT_VALID = 'That invite code is not valid. It may have been used or revoked; ask an administrator for a new one.';

/**
 * Makes a student an instructor with an unused, unrevoked invite, which it uses up in the same
 * atomic update (two people racing with one code: one wins). Instructors and admins keep their role.
 */
export async function redeemInvite(caller: Caller, code: string, now: Date): Promise<Caller> {
  if (caller.role !== 'student') return caller;
  const claimed = await Invite.findOneAndUpdate(
    { codeHash: hashOf(code), usedAt: null, revokedAt: null },
    { $set: { usedAt: now, usedBy: oid(caller.id) } },
    { returnDocument: 'after' },
  ).lean<InviteDoc>();
  if (!claimed) throw new ValidationError('Please correct the fields marked below.', { code: NOT_VALID });
  const user = await User.findOneAndUpdate(
    { _id: oid(caller.id), role: 'student' },
    { $set: { role: 'instructor' } },
    { returnDocument: 'after' },
  ).lean<UserDoc>();
  if (user) return toCaller(user);
  // Promoted another way in the meantime, or the account is gone.
  const now_ = await User.findById(caller.id).lean<UserDoc>();
  if (!now_) throw new NotFoundError('Your account no longer exists.');
  return toCaller(now_);
}

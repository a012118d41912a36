import { User, type UserDoc } from './model.ts';
import { isObjectId, toObjectId as oid } from '../object-ids.ts';

/** A user as other features name them: no role, no password hash. */
export interface UserName {
  id: string;
  name: string;
  email: string;
}

/** Users by id (unknown ids are skipped), for pages that name people (rosters, results). */
export async function usersByIds(ids: Iterable<string>): Promise<Map<string, UserName>> {
  const wanted = [...new Set(ids)].filter(isObjectId);
  if (!wanted.length) return new Map();
  const users = await User.find({ _id: { $in: wanted.map(oid) } }, { name: 1, email: 1 }).lean<Pick<UserDoc, '_id' | 'name' | 'email'>[]>();
  return new Map(users.map((u) => [String(u._id), { id: String(u._id), name: u.name, email: u.email }]));
}

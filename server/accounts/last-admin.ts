import { User } from './model.ts';
import { ConflictError } from '../http/errors.ts';

/**
 * Makes a change that may take an active admin away (demote, disable, delete), then counts the
 * active admins: with none left, it undoes the change and refuses. A check before the write
 * cannot do this alone: two admins demoting or disabling each other at once both pass it. Each
 * change counts after its own write, so the last to count sees every write of the race, and the
 * site always ends with an active admin (at worst both changes are refused).
 */
export async function keepingAnAdmin<T>(change: () => Promise<T>, undo: () => Promise<unknown>, refusal: string): Promise<T> {
  const result = await change();
  if ((await User.countDocuments({ role: 'admin', disabledAt: null })) === 0) {
    await undo();
    throw new ConflictError(refusal);
  }
  return result;
}

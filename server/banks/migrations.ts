import { Bank, type BankDoc } from './model.ts';

/**
 * Start-up migration: a bank stored when a bank had one source gets its list of sources (that
 * one). Idempotent: banks with a list are left alone. Questions that name no source keep citing
 * the bank's first source, so they need no change.
 */
export async function giveBanksSourceLists(): Promise<number> {
  const missing = await Bank.find({ sourceIds: { $exists: false } }, { sourceId: 1 }).lean<Pick<BankDoc, '_id' | 'sourceId'>[]>();
  let changed = 0;
  for (const b of missing) {
    const res = await Bank.updateOne({ _id: b._id, sourceIds: { $exists: false } }, { $set: { sourceIds: [b.sourceId] } });
    changed += res.modifiedCount;
  }
  return changed;
}

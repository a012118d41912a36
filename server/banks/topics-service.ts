import mongoose from 'mongoose';
import { Bank, Question, type BankDoc } from './model.ts';
import { bankTopicsOf, getEditableBank, type BankSummary } from './service.ts';
import { addTopic, mergeTopicLists, moveTopic, removeTopic, renameTopic, TopicEditError, topicsFromTags, type BankTopic } from './topics.ts';
import type { Caller } from '../accounts/index.ts';
import { ConflictError, ValidationError } from '../http/errors.ts';

/** A change the topics page asks for. */
export type TopicChange =
  | { kind: 'add'; name: string }
  | { kind: 'rename'; slug: string; name: string }
  | { kind: 'move'; slug: string; by: -1 | 1 }
  | { kind: 'remove'; slug: string };

/** A topic as the topics page lists it: with how many live questions use it. */
export interface TopicRowView extends BankTopic {
  uses: number;
}

/** How many live questions of a bank carry each topic. */
export async function topicUses(bankId: string): Promise<Map<string, number>> {
  const rows = await Question.aggregate<{ _id: string; n: number }>([
    { $match: { bankId: new mongoose.Types.ObjectId(bankId), retired: false } },
    { $unwind: '$topics' },
    { $group: { _id: '$topics', n: { $sum: 1 } } },
  ]);
  return new Map(rows.map((r) => [r._id, r.n]));
}

/** The topics page of a bank the caller may edit. */
export async function bankTopicsPage(caller: Caller, bankId: string): Promise<{ bank: BankSummary; topics: TopicRowView[] }> {
  const bank = await getEditableBank(caller, bankId);
  const uses = await topicUses(bank.id);
  return { bank, topics: bank.topics.map((t) => ({ ...t, uses: uses.get(t.slug) ?? 0 })) };
}

/**
 * Applies one change to a bank's topics (owner or admin). The write is guarded by the list it
 * was computed from, so two editors at once cannot lose each other's change (409 instead).
 */
export async function changeBankTopics(caller: Caller, bankId: string, change: TopicChange): Promise<BankTopic[]> {
  const bank = await getEditableBank(caller, bankId);
  const doc = await Bank.findById(bank.id, { topics: 1, updatedAt: 1 }).lean<Pick<BankDoc, 'topics' | 'updatedAt'>>();
  if (!doc) throw new ConflictError('This bank was deleted a moment ago.');
  const before = bankTopicsOf(doc);
  let after: BankTopic[];
  try {
    if (change.kind === 'add') after = addTopic(before, change.name);
    else if (change.kind === 'rename') after = renameTopic(before, change.slug, change.name);
    else if (change.kind === 'move') after = moveTopic(before, change.slug, change.by);
    else {
      const uses = await Question.countDocuments({ bankId: new mongoose.Types.ObjectId(bank.id), retired: false, topics: change.slug });
      after = removeTopic(before, change.slug, uses);
    }
  } catch (err) {
    if (err instanceof TopicEditError) throw new ValidationError(err.message, { [err.field]: err.message });
    throw err;
  }
  const res = await Bank.updateOne({ _id: bank.id, updatedAt: doc.updatedAt }, { $set: { topics: after } });
  if (res.matchedCount === 0) throw new ConflictError('Someone changed this bank’s topics at the same moment. Reload the page and try again.');
  if (change.kind === 'remove') {
    // A question saved with this topic while it was being removed: put the topic back (no transactions).
    const since = await Question.countDocuments({ bankId: new mongoose.Types.ObjectId(bank.id), retired: false, topics: change.slug });
    if (since > 0) {
      await Bank.updateOne({ _id: bank.id, 'topics.slug': { $ne: change.slug } }, { $set: { topics: before } });
      throw new ConflictError('A question was given this topic while it was being removed, so it stays. Reload the page to see it.');
    }
  }
  return after;
}

/**
 * Start-up migration: a bank stored before topics were data gets a topic list made from the tags
 * its questions carry, named as another bank names them (the seed's shipped bank names every
 * topic Lectern used to know). Idempotent: banks that have a list are left alone.
 */
export async function giveBanksTopics(): Promise<number> {
  const missing = await Bank.find({ topics: { $exists: false } }, { _id: 1 }).lean<Pick<BankDoc, '_id'>[]>();
  if (!missing.length) return 0;
  const named = await Bank.find({ topics: { $exists: true } }, { topics: 1 }).lean<Pick<BankDoc, 'topics'>[]>();
  const known = mergeTopicLists(named.map(bankTopicsOf));
  let changed = 0;
  for (const b of missing) {
    const tags: string[] = await Question.distinct('topics', { bankId: b._id });
    const res = await Bank.updateOne({ _id: b._id, topics: { $exists: false } }, { $set: { topics: topicsFromTags(tags, known) } });
    changed += res.modifiedCount;
  }
  return changed;
}

import type { Types } from 'mongoose';
import { Bank, Question } from './model.ts';
import { definitionHash, type BankFile } from './bank-file.ts';
import type { QuestionDefinition } from '../questions/definition.ts';
import { mergeTopics } from './topics.ts';
import { bankTopicsOf } from './service.ts';

export interface LoadCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/** The fields stored beside a definition for querying. */
export function questionFields(def: QuestionDefinition) {
  return {
    type: def.type,
    topics: def.topics,
    difficulty: def.difficulty,
    passageId: def.source.passageId,
    sourceId: def.source.sourceId ?? null,
    definition: def,
    hash: definitionHash(def),
  };
}

/**
 * Upserts a validated bank and its questions by stable id: a question whose content is
 * unchanged is not written, a changed one gets a new version. A question no longer in the file
 * is retired (kept, since attempts refer to it, but out of quizzes and studies); one back in the
 * file is live again. The file's topics are added to the bank's (names an editor changed stay).
 * A re-run changes nothing.
 */
export async function loadBank(
  file: BankFile,
  ownerId: Types.ObjectId | null,
  progress: (done: number, total: number) => void = () => undefined,
): Promise<{ bankId: Types.ObjectId; retired: number } & LoadCounts> {
  const bank = await Bank.findOneAndUpdate(
    { slug: file.id },
    {
      $set: { title: file.title, description: file.description, sourceId: file.sourceId, sourceIds: [...new Set([file.sourceId, ...(file.sourceIds ?? [])])] },
      $setOnInsert: { slug: file.id, ownerId },
    },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  const topics = mergeTopics(bankTopicsOf(bank!), file.topics);
  if (topics.length !== (bank!.topics?.length ?? -1)) await Bank.updateOne({ _id: bank!._id }, { $set: { topics } });
  const stored = await Question.find({ bankId: bank!._id }, { key: 1, hash: 1, retired: 1 }).lean();
  // A retired question back in the file must be written (made live) even if its content is unchanged.
  const existing = new Map(stored.map((q) => [q.key, q.retired ? `retired:${q.hash}` : q.hash]));
  const counts: LoadCounts = { created: 0, updated: 0, unchanged: 0 };
  const ops = [];
  for (const def of file.questions) {
    const fields = questionFields(def);
    const hash = existing.get(def.id);
    if (hash === fields.hash) {
      counts.unchanged += 1;
      continue;
    }
    if (hash === undefined) counts.created += 1;
    else counts.updated += 1;
    ops.push({
      updateOne: {
        filter: { bankId: bank!._id, key: def.id },
        update: { $set: { ...fields, retired: false }, $inc: { version: 1 }, $setOnInsert: { bankId: bank!._id, key: def.id } },
        upsert: true,
      },
    });
  }
  const inFile = new Set(file.questions.map((q) => q.id));
  const gone = stored.filter((q) => !q.retired && !inFile.has(q.key)).map((q) => q._id);
  if (gone.length) await Question.updateMany({ _id: { $in: gone } }, { $set: { retired: true } });
  // Written in batches so a long load shows progress.
  const BATCH = 50;
  for (let i = 0; i < ops.length; i += BATCH) {
    await Question.bulkWrite(ops.slice(i, i + BATCH), { ordered: true });
    progress(Math.min(i + BATCH, ops.length), ops.length);
  }
  return { bankId: bank!._id, retired: gone.length, ...counts };
}

import type { Types } from 'mongoose';
import { Bank, Question } from './model.ts';
import { definitionHash, type BankFile } from './bank-file.ts';
import type { QuestionDefinition } from '../questions/definition.ts';

export interface LoadCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/** The fields stored beside a definition for querying. */
export function questionFields(def: QuestionDefinition) {
  return { type: def.type, topics: def.topics, difficulty: def.difficulty, passageId: def.source.passageId, definition: def, hash: definitionHash(def) };
}

/**
 * Upserts a validated bank and its questions by stable id: a question whose content is
 * unchanged is not written, a changed one gets a new version. A re-run changes nothing.
 */
export async function loadBank(
  file: BankFile,
  ownerId: Types.ObjectId | null,
  progress: (done: number, total: number) => void = () => undefined,
): Promise<{ bankId: Types.ObjectId } & LoadCounts> {
  const bank = await Bank.findOneAndUpdate(
    { slug: file.id },
    { $set: { title: file.title, description: file.description, sourceId: file.sourceId }, $setOnInsert: { slug: file.id, ownerId } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  const existing = new Map(
    (await Question.find({ bankId: bank!._id }, { key: 1, hash: 1 }).lean()).map((q) => [q.key, q.hash]),
  );
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
  // Written in batches so a long load shows progress.
  const BATCH = 50;
  for (let i = 0; i < ops.length; i += BATCH) {
    await Question.bulkWrite(ops.slice(i, i + BATCH), { ordered: true });
    progress(Math.min(i + BATCH, ops.length), ops.length);
  }
  return { bankId: bank!._id, ...counts };
}

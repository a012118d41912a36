import { ObjectId } from 'bson';
import { CommandError, ErrorCodes } from '../errors.ts';
import { isPlainObject, type Doc } from '../documents.ts';
import { duplicateMessage } from '../engine/collection.ts';
import { SecondaryIndex } from '../engine/indexes.ts';
import { valueKey } from '../value-key.ts';
import type { CommandContext } from './context.ts';

/** The target of a final `$out` stage (`'coll'` or `{ db, coll }`), or undefined when the pipeline has none. */
export function outTarget(pipeline: Doc[], db: string): { db: string; name: string } | undefined {
  const last = pipeline[pipeline.length - 1];
  if (!last || !('$out' in last)) return undefined;
  const spec = last.$out;
  if (typeof spec === 'string' && spec.length > 0) return { db, name: spec };
  if (isPlainObject(spec) && typeof spec.coll === 'string' && spec.coll.length > 0 && (spec.db === undefined || typeof spec.db === 'string')) {
    return { db: (spec.db as string | undefined) ?? db, name: spec.coll };
  }
  throw new CommandError(ErrorCodes.FailedToParse, "$out stage requires a string or object argument with 'db' and 'coll' fields");
}

/**
 * `$out`: the pipeline's results replace the target collection in one transaction, keeping the
 * target's options and indexes as mongod does; a result without `_id` gets an ObjectId, and a
 * duplicate key (on `_id` or a unique index) fails the whole stage, leaving the target as it was.
 */
export function writeOut(docs: Doc[], target: { db: string; name: string }, ctx: CommandContext): void {
  ctx.engine.write((tx) => {
    const existing = tx.getCollection(target.db, target.name);
    const specs = existing ? existing.indexes.map((i) => i.spec) : [];
    const options = existing?.options ?? {};
    if (existing) tx.dropCollection(existing);
    const coll = tx.collection(target.db, target.name, options);
    for (const spec of specs) tx.addIndex(coll, new SecondaryIndex(spec));
    // The new indexes are attached only at commit: unique keys are checked against copies.
    const checks = [
      new SecondaryIndex({ key: { _id: 1 }, name: '_id_', unique: true }),
      ...specs.filter((s) => s.unique === true).map((s) => new SecondaryIndex(s)),
    ];
    for (const result of docs) {
      const doc = result._id === undefined ? { _id: new ObjectId(), ...result } : result;
      const idKey = valueKey(doc._id);
      for (const check of checks) {
        const conflict = check.findConflict(doc, idKey);
        if (conflict)
          throw new CommandError(ErrorCodes.DuplicateKey, duplicateMessage(coll.ns, check.name, conflict), { keyPattern: check.spec.key, keyValue: conflict });
        check.add(doc, idKey);
      }
      tx.putDoc(coll, doc);
    }
  });
}

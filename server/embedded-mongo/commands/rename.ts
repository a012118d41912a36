import { CommandError, ErrorCodes } from '../errors.ts';
import type { Doc } from '../documents.ts';
import { SecondaryIndex } from '../engine/indexes.ts';
import type { CommandContext } from './context.ts';

function splitNamespace(value: unknown, field: string): { db: string; name: string } {
  const dot = typeof value === 'string' ? value.indexOf('.') : -1;
  if (typeof value !== 'string' || dot <= 0 || dot === value.length - 1)
    throw new CommandError(ErrorCodes.InvalidNamespace, `Invalid ${field} namespace: ${String(value)}`);
  return { db: value.slice(0, dot), name: value.slice(dot + 1) };
}

/**
 * `renameCollection` (run on admin, `{ renameCollection: 'db.from', to: 'db.to', dropTarget }`):
 * the documents, options and indexes move to the new name in one transaction, so a failure
 * leaves the old collection as it was. Errors as mongod: 26 for a missing source, 48 for an
 * existing target without `dropTarget`, 20 for a rename onto itself.
 */
export function renameCollection(cmd: Doc, ctx: CommandContext): Doc {
  if (ctx.db !== 'admin') throw new CommandError(ErrorCodes.Unauthorized, 'renameCollection may only be run against the admin database.');
  const from = splitNamespace(cmd.renameCollection, 'source');
  const to = splitNamespace(cmd.to, 'target');
  const source = ctx.engine.getCollection(from.db, from.name);
  if (!source) throw new CommandError(ErrorCodes.NamespaceNotFound, `Source collection ${from.db}.${from.name} does not exist`);
  if (from.db === to.db && from.name === to.name) throw new CommandError(ErrorCodes.IllegalOperation, "Can't rename a collection to itself");
  const target = ctx.engine.getCollection(to.db, to.name);
  if (target && cmd.dropTarget !== true) throw new CommandError(ErrorCodes.NamespaceExists, 'target namespace exists');
  ctx.engine.write((tx) => {
    if (target) tx.dropCollection(target);
    const moved = tx.collection(to.db, to.name, source.options);
    // Indexes first (built empty, attached on commit), so each document is indexed as it lands.
    for (const index of source.indexes) tx.addIndex(moved, new SecondaryIndex(index.spec));
    for (const doc of source.docs.values()) tx.putDoc(moved, doc);
    tx.dropCollection(source);
  });
  return { ok: 1 };
}

import { Long } from 'bson';
import { CommandError, ErrorCodes } from '../errors.ts';
import type { Doc } from '../documents.ts';
import type { Collection } from '../engine/collection.ts';
import { parseCollation } from '../engine/collation.ts';
import { checkValidation, createOptions } from '../engine/collection-options.ts';
import { defaultIndexName, SecondaryIndex } from '../engine/indexes.ts';
import { find } from '../engine/mingo.ts';
import { valueKey } from '../value-key.ts';
import { targetName, type CommandContext, type CommandHandler } from './context.ts';

function create(cmd: Doc, ctx: CommandContext): Doc {
  const name = targetName(cmd);
  if (ctx.engine.getCollection(ctx.db, name)) {
    throw new CommandError(ErrorCodes.NamespaceExists, `Collection ${ctx.db}.${name} already exists.`);
  }
  const options = createOptions(cmd);
  ctx.engine.write((tx) => tx.collection(ctx.db, name, options));
  return { ok: 1 };
}

function drop(cmd: Doc, ctx: CommandContext): Doc {
  const name = targetName(cmd);
  const coll = ctx.engine.getCollection(ctx.db, name);
  // MongoDB 7 answers ok for a collection that does not exist.
  if (coll) ctx.engine.write((tx) => tx.dropCollection(coll));
  return { ns: `${ctx.db}.${name}`, nIndexesWas: coll ? coll.indexes.length + 1 : 0, ok: 1 };
}

function collectionInfo(coll: Collection): Doc {
  return { name: coll.name, type: 'collection', options: coll.options, info: { readOnly: false }, idIndex: coll.indexSpecs()[0] };
}

function listCollections(cmd: Doc, ctx: CommandContext): Doc {
  let infos = ctx.engine.collectionsOf(ctx.db).map(collectionInfo);
  if (cmd.filter && Object.keys(cmd.filter as Doc).length > 0) infos = find(infos, cmd.filter as Doc).all() as Doc[];
  if (cmd.nameOnly) infos = infos.map((i) => ({ name: i.name, type: i.type }));
  return { cursor: { id: Long.ZERO, ns: `${ctx.db}.$cmd.listCollections`, firstBatch: infos }, ok: 1 };
}

function sameKey(a: unknown, b: unknown): boolean {
  return valueKey(a) === valueKey(b);
}

const COMPARED_OPTIONS = [
  'unique',
  'sparse',
  'expireAfterSeconds',
  'partialFilterExpression',
  'weights',
  'default_language',
  'language_override',
  'textIndexVersion',
  '2dsphereIndexVersion',
  'bits',
  'min',
  'max',
];

function createIndexes(cmd: Doc, ctx: CommandContext): Doc {
  const name = targetName(cmd);
  const specs = cmd.indexes;
  if (!Array.isArray(specs) || specs.length === 0) throw new CommandError(ErrorCodes.BadValue, "'indexes' must be a non-empty array");
  const existed = ctx.engine.getCollection(ctx.db, name);
  const before = existed ? existed.indexes.length + 1 : 1;
  let note: string | undefined;
  const coll = ctx.engine.write((tx) => {
    const target = tx.collection(ctx.db, name);
    for (const raw of specs as Doc[]) {
      const key = raw.key as Doc;
      if (parseCollation(raw.collation)) throw new CommandError(ErrorCodes.NotImplemented, 'indexes with a collation are not supported by the embedded server');
      const spec: Doc = { v: 2, ...raw, name: typeof raw.name === 'string' ? raw.name : defaultIndexName(key ?? {}) };
      if (spec.name === '_id_' || (key && Object.keys(key).length === 1 && '_id' in key)) {
        note = 'all indexes already exist';
        continue;
      }
      const index = new SecondaryIndex(spec);
      const current = tx.indexesOf(target);
      const byName = current.find((i) => i.name === index.name);
      // Keys compare as stored: every text index's key is `{ _fts: 'text', _ftsx: 1 }`, so a second one (one per collection) conflicts as mongod answers.
      const byKey = current.find((i) => sameKey(i.spec.key, index.spec.key));
      const existing = byName ?? byKey;
      if (existing) {
        const sameOptions = COMPARED_OPTIONS.every((o) => sameKey(existing.spec[o], index.spec[o]));
        if (existing.name === index.name && sameKey(existing.spec.key, index.spec.key) && sameOptions) {
          note = 'all indexes already exist';
          continue;
        }
        if (byName && !sameKey(byName.spec.key, index.spec.key)) {
          throw new CommandError(
            ErrorCodes.IndexKeySpecsConflict,
            `An existing index has the same name as the requested index. Requested index: ${JSON.stringify(index.spec)}, existing index: ${JSON.stringify(byName.spec)}`,
          );
        }
        throw new CommandError(
          ErrorCodes.IndexOptionsConflict,
          `An equivalent index already exists with a different name or options. Requested index: ${JSON.stringify(index.spec)}, existing index: ${JSON.stringify(existing.spec)}`,
        );
      }
      tx.addIndex(target, index);
    }
    return target;
  });
  return {
    createdCollectionAutomatically: !existed,
    numIndexesBefore: before,
    numIndexesAfter: coll.indexes.length + 1, // applied by now: the reply is built after the commit
    ...(note ? { note } : {}),
    ok: 1,
  };
}

function requireCollection(ctx: CommandContext, name: string): Collection {
  const coll = ctx.engine.getCollection(ctx.db, name);
  if (!coll) throw new CommandError(ErrorCodes.NamespaceNotFound, `ns does not exist: ${ctx.db}.${name}`);
  return coll;
}

function listIndexes(cmd: Doc, ctx: CommandContext): Doc {
  const coll = requireCollection(ctx, targetName(cmd));
  return { cursor: { id: Long.ZERO, ns: `${coll.ns}`, firstBatch: coll.indexSpecs() }, ok: 1 };
}

function dropIndexes(cmd: Doc, ctx: CommandContext): Doc {
  const coll = requireCollection(ctx, targetName(cmd));
  const was = coll.indexes.length + 1;
  const which = cmd.index;
  ctx.engine.write((tx) => {
    if (which === '*') {
      for (const index of [...coll.indexes]) tx.dropIndex(coll, index);
      return;
    }
    const names = Array.isArray(which) ? which : [which];
    for (const target of names) {
      const index = typeof target === 'string' ? coll.indexes.find((i) => i.name === target) : coll.indexes.find((i) => sameKey(i.spec.key, target));
      if (!index) {
        if (target === '_id_') throw new CommandError(ErrorCodes.InvalidOptions, 'cannot drop _id index');
        throw new CommandError(ErrorCodes.IndexNotFound, `index not found with name [${typeof target === 'string' ? target : JSON.stringify(target)}]`);
      }
      tx.dropIndex(coll, index);
    }
  });
  return { nIndexesWas: was, ok: 1 };
}

function collMod(cmd: Doc, ctx: CommandContext): Doc {
  const coll = requireCollection(ctx, targetName(cmd));
  const change = cmd.index as Doc | undefined;
  const unknown = Object.keys(cmd).filter(
    (k) =>
      ![
        'collMod',
        'index',
        'validator',
        'validationLevel',
        'validationAction',
        'lsid',
        'writeConcern',
        'comment',
        'maxTimeMS',
        '$db',
        '$readPreference',
        '$clusterTime',
        'apiVersion',
        'apiStrict',
        'apiDeprecationErrors',
      ].includes(k),
  );
  if (unknown.length > 0) throw new CommandError(ErrorCodes.NotImplemented, `collMod of '${unknown[0]}' is not supported by the embedded server`);
  const validation = Object.fromEntries(['validator', 'validationLevel', 'validationAction'].filter((k) => cmd[k] !== undefined).map((k) => [k, cmd[k]]));
  if (Object.keys(validation).length > 0) {
    checkValidation(validation);
    ctx.engine.write((tx) => tx.setOptions(coll, { ...coll.options, ...validation }));
  }
  if (!change) return { ok: 1 };
  const index = coll.indexes.find((i) => (change.name ? i.name === change.name : sameKey(i.spec.key, change.keyPattern)));
  if (!index) throw new CommandError(ErrorCodes.IndexNotFound, 'cannot find index for collMod');
  const reply: Doc = { ok: 1 };
  if (typeof change.expireAfterSeconds === 'number') {
    reply.expireAfterSeconds_old = index.spec.expireAfterSeconds;
    reply.expireAfterSeconds_new = change.expireAfterSeconds;
    const next = new SecondaryIndex({ ...index.spec, expireAfterSeconds: change.expireAfterSeconds });
    ctx.engine.write((tx) => tx.replaceIndex(coll, index, next));
  }
  if (typeof change.hidden === 'boolean') {
    // A hidden index is kept up to date (and still enforces uniqueness) but plans ignore it.
    reply.hidden_old = index.spec.hidden === true;
    reply.hidden_new = change.hidden;
    const { hidden: _hidden, ...rest } = index.spec;
    const next = new SecondaryIndex(change.hidden ? { ...rest, hidden: true } : rest);
    ctx.engine.write((tx) => tx.replaceIndex(coll, index, next));
  }
  return reply;
}

function stats(cmd: Doc, ctx: CommandContext): Doc {
  const colls = cmd.collStats ? [ctx.engine.getCollection(ctx.db, String(cmd.collStats))].filter((c) => c !== undefined) : ctx.engine.collectionsOf(ctx.db);
  const objects = colls.reduce((n, c) => n + c.docs.size, 0);
  return {
    db: ctx.db,
    collections: colls.length,
    objects,
    count: objects,
    nindexes: colls.reduce((n, c) => n + c.indexes.length + 1, 0),
    size: 0,
    storageSize: 0,
    ok: 1,
  };
}

/** Commands that create, describe and drop collections and their indexes. */
export const collectionCommands: Record<string, CommandHandler> = {
  create,
  drop,
  listCollections,
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
  collMod,
  dbStats: stats,
  collStats: stats,
};

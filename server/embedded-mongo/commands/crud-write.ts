import { CommandError, ErrorCodes } from '../errors.ts';
import { isPlainObject, withIdFirst, type Doc } from '../documents.ts';
import { duplicateMessage, type Collection, type DuplicateKey } from '../engine/collection.ts';
import type { WriteTx } from '../engine/write-tx.ts';
import { assertCollationApplies, parseCollation } from '../engine/collation.ts';
import { enforceCap } from '../engine/collection-options.ts';
import { assertHint } from '../engine/hint.ts';
import { find as mingoFind } from '../engine/mingo.ts';
import { applyProjection } from '../engine/projection.ts';
import { sortDocs } from '../engine/sort.ts';
import { withCollation } from './crud-read.ts';
import { applyUpdate, buildUpsert, type UpdateSpec } from '../engine/update.ts';
import { errorReply } from '../errors.ts';
import { valueKey } from '../value-key.ts';
import { targetName, type CommandContext, type CommandHandler } from './context.ts';

interface WriteError {
  index: number;
  code: number;
  errmsg: string;
  [extra: string]: unknown;
}

function duplicateError(coll: Collection, index: number, dup: DuplicateKey): WriteError {
  return {
    index,
    code: ErrorCodes.DuplicateKey,
    errmsg: duplicateMessage(coll.ns, dup.indexName, dup.keyValue),
    keyPattern: dup.keyPattern,
    keyValue: dup.keyValue,
  };
}

function asWriteError(index: number, err: unknown): WriteError {
  const { ok: _ok, codeName: _codeName, code, errmsg, ...extra } = errorReply(err);
  return { index, code: code as number, errmsg: errmsg as string, ...extra };
}

function statements(cmd: Doc, field: string): Doc[] {
  const list = cmd[field];
  if (!Array.isArray(list)) throw new CommandError(ErrorCodes.FailedToParse, `BSON field '${field}' is missing or not an array`);
  return list as Doc[];
}

function writeReply(base: Doc, errors: WriteError[]): Doc {
  return errors.length > 0 ? { ...base, writeErrors: errors, ok: 1 } : { ...base, ok: 1 };
}

function insert(cmd: Doc, ctx: CommandContext): Doc {
  const name = targetName(cmd);
  const docs = statements(cmd, 'documents');
  const ordered = cmd.ordered !== false;
  const errors: WriteError[] = [];
  const n = ctx.engine.write((tx) => {
    const coll = tx.collection(ctx.db, name);
    let written = 0;
    for (let i = 0; i < docs.length; i++) {
      const raw = docs[i];
      if (!isPlainObject(raw)) {
        errors.push({ index: i, code: ErrorCodes.BadValue, errmsg: 'document to insert must be an object' });
        if (ordered) break;
        continue;
      }
      const doc = withIdFirst(raw);
      if (Array.isArray(doc._id)) {
        errors.push({ index: i, code: ErrorCodes.BadValue, errmsg: "The '_id' value cannot be of type array" });
        if (ordered) break;
        continue;
      }
      const dup = tx.findDuplicate(coll, doc, valueKey(doc._id), true);
      if (dup) {
        errors.push(duplicateError(coll, i, dup));
        if (ordered) break;
        continue;
      }
      const mark = tx.savepoint();
      try {
        tx.putDoc(coll, doc);
        enforceCap(tx, coll);
      } catch (err) {
        tx.rollbackTo(mark);
        errors.push(asWriteError(i, err));
        if (ordered) break;
        continue;
      }
      written++;
    }
    return written;
  });
  return writeReply({ n }, errors);
}

/** Applies one update statement; returns matched/modified counts and the upserted id if any. */
function updateOne(
  tx: WriteTx,
  coll: Collection,
  ctx: CommandContext,
  stmt: Doc,
  letVars: Doc | undefined,
): { matched: number; modified: number; upserted?: unknown } {
  const filter = (stmt.q as Doc | undefined) ?? {};
  const spec = stmt.u as UpdateSpec;
  if (!isPlainObject(spec) && !Array.isArray(spec)) throw new CommandError(ErrorCodes.FailedToParse, "'u' must be an object or a pipeline");
  const collation = parseCollation(stmt.collation);
  assertCollationApplies(collation, filter);
  assertHint(coll, stmt.hint);
  const options = withCollation(ctx.engine.options(ctx.db, letVars), collation);
  const query = ctx.engine.planner.filter(filter, options, { coll, ns: coll.ns });
  const arrayFilters = stmt.arrayFilters as Doc[] | undefined;
  const targets: Doc[] = [];
  for (const doc of tx.matching(coll, query, collation ? undefined : filter)) {
    targets.push(doc);
    if (stmt.multi !== true) break;
  }
  let modified = 0;
  for (const doc of targets) {
    const next = applyUpdate(doc, spec, { filter, arrayFilters, inserting: false, mingo: options, planner: ctx.engine.planner });
    if (!next) continue;
    const dup = tx.findDuplicate(coll, next, valueKey(next._id), false);
    if (dup) throw new DuplicateKeyFailure(dup);
    tx.putDoc(coll, next);
    modified++;
  }
  if (targets.length === 0 && stmt.upsert === true) {
    const doc = buildUpsert(filter, spec, { mingo: options, arrayFilters, planner: ctx.engine.planner });
    const dup = tx.findDuplicate(coll, doc, valueKey(doc._id), true);
    if (dup) throw new DuplicateKeyFailure(dup);
    tx.putDoc(coll, doc);
    return { matched: 0, modified: 0, upserted: doc._id };
  }
  return { matched: targets.length, modified };
}

/** A duplicate key met mid-statement; it becomes a write error, not a command error. */
class DuplicateKeyFailure extends Error {
  readonly dup: DuplicateKey;
  constructor(dup: DuplicateKey) {
    super('duplicate key');
    this.dup = dup;
  }
}

function update(cmd: Doc, ctx: CommandContext): Doc {
  const name = targetName(cmd);
  const stmts = statements(cmd, 'updates');
  const ordered = cmd.ordered !== false;
  const errors: WriteError[] = [];
  const upserted: Doc[] = [];
  // Like mongod, an update that cannot insert does not create the collection.
  if (!ctx.engine.getCollection(ctx.db, name) && !stmts.some((s) => s.upsert === true)) return { n: 0, nModified: 0, ok: 1 };
  const totals = ctx.engine.write((tx) => {
    const coll = tx.collection(ctx.db, name);
    let n = 0;
    let nModified = 0;
    for (let i = 0; i < stmts.length; i++) {
      // Each statement is all-or-nothing: undo its partial changes on failure.
      const mark = tx.savepoint();
      try {
        const result = updateOne(tx, coll, ctx, stmts[i]!, cmd.let as Doc | undefined);
        n += result.matched;
        nModified += result.modified;
        if (result.upserted !== undefined) {
          n += 1;
          upserted.push({ index: i, _id: result.upserted });
        }
      } catch (err) {
        tx.rollbackTo(mark);
        errors.push(err instanceof DuplicateKeyFailure ? duplicateError(coll, i, err.dup) : asWriteError(i, err));
        if (ordered) break;
      }
    }
    return { n, nModified };
  });
  return writeReply({ ...totals, ...(upserted.length > 0 ? { upserted } : {}) }, errors);
}

function remove(cmd: Doc, ctx: CommandContext): Doc {
  const name = targetName(cmd);
  const stmts = statements(cmd, 'deletes');
  const ordered = cmd.ordered !== false;
  const errors: WriteError[] = [];
  const coll = ctx.engine.getCollection(ctx.db, name);
  if (!coll) return { n: 0, ok: 1 };
  const n = ctx.engine.write((tx) => {
    let deleted = 0;
    for (let i = 0; i < stmts.length; i++) {
      const stmt = stmts[i]!;
      try {
        const filter = (stmt.q as Doc | undefined) ?? {};
        const collation = parseCollation(stmt.collation);
        assertCollationApplies(collation, filter);
        assertHint(coll, stmt.hint);
        const query = ctx.engine.planner.filter(filter, withCollation(ctx.engine.options(ctx.db, cmd.let as Doc | undefined), collation), {
          coll,
          ns: coll.ns,
        });
        const targets: Doc[] = [];
        for (const doc of tx.matching(coll, query, collation ? undefined : filter)) {
          targets.push(doc);
          if (stmt.limit === 1) break;
        }
        for (const doc of targets) tx.deleteDoc(coll, doc);
        deleted += targets.length;
      } catch (err) {
        errors.push(asWriteError(i, err));
        if (ordered) break;
      }
    }
    return deleted;
  });
  return writeReply({ n }, errors);
}

function findAndModify(cmd: Doc, ctx: CommandContext): Doc {
  const name = targetName(cmd);
  const filter = (cmd.query as Doc | undefined) ?? {};
  const collation = parseCollation(cmd.collation);
  assertCollationApplies(collation, filter);
  assertHint(ctx.engine.getCollection(ctx.db, name), cmd.hint);
  const options = withCollation(ctx.engine.options(ctx.db, cmd.let as Doc | undefined), collation);
  const query = ctx.engine.planner.filter(filter, options, { coll: ctx.engine.getCollection(ctx.db, name), ns: `${ctx.db}.${name}` });
  const indexFilter = collation ? undefined : filter;
  const fields = isPlainObject(cmd.fields) && Object.keys(cmd.fields).length > 0 ? cmd.fields : undefined;
  const project = (doc: Doc | undefined): Doc | null => {
    if (!doc) return null;
    return fields ? (applyProjection([doc], fields, filter, options)[0] ?? null) : doc;
  };
  if (cmd.remove !== true && cmd.update === undefined) throw new CommandError(ErrorCodes.FailedToParse, 'Either an update or remove=true must be specified');
  if (!ctx.engine.getCollection(ctx.db, name) && cmd.upsert !== true) {
    return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  }
  return ctx.engine.write((tx) => {
    const coll = tx.collection(ctx.db, name);
    let target: Doc | undefined;
    if (isPlainObject(cmd.sort) && Object.keys(cmd.sort).length > 0) {
      const found = [...tx.matching(coll, query, indexFilter)];
      target = collation ? (mingoFind(found, {}, undefined, options).sort(cmd.sort).limit(1).next() as Doc | undefined) : sortDocs(found, cmd.sort)[0];
    } else {
      target = tx.matching(coll, query, indexFilter).next().value ?? undefined;
    }
    if (cmd.remove === true) {
      if (target) tx.deleteDoc(coll, target);
      return { lastErrorObject: { n: target ? 1 : 0 }, value: project(target), ok: 1 };
    }
    const spec = cmd.update as UpdateSpec;
    const arrayFilters = cmd.arrayFilters as Doc[] | undefined;
    if (target) {
      const next = applyUpdate(target, spec, { filter, arrayFilters, inserting: false, mingo: options, planner: ctx.engine.planner }) ?? target;
      if (next !== target) {
        const dup = tx.findDuplicate(coll, next, valueKey(next._id), false);
        if (dup) throw duplicateCommandError(coll, dup);
        tx.putDoc(coll, next);
      }
      return { lastErrorObject: { n: 1, updatedExisting: true }, value: project(cmd.new === true ? next : target), ok: 1 };
    }
    if (cmd.upsert !== true) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
    const doc = buildUpsert(filter, spec, { mingo: options, arrayFilters, planner: ctx.engine.planner });
    const dup = tx.findDuplicate(coll, doc, valueKey(doc._id), true);
    if (dup) throw duplicateCommandError(coll, dup);
    tx.putDoc(coll, doc);
    return { lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id }, value: cmd.new === true ? project(doc) : null, ok: 1 };
  });
}

function duplicateCommandError(coll: Collection, dup: DuplicateKey): CommandError {
  return new CommandError(ErrorCodes.DuplicateKey, duplicateMessage(coll.ns, dup.indexName, dup.keyValue), {
    keyPattern: dup.keyPattern,
    keyValue: dup.keyValue,
  });
}

/** Commands that write: insert, update (with upsert), delete and findAndModify. */
export const writeCommands: Record<string, CommandHandler> = { insert, update, delete: remove, findAndModify, findandmodify: findAndModify };

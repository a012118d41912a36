import { Context } from 'mingo/core';
import { update as mingoUpdate } from 'mingo/updater';
import type { Options } from 'mingo/types';
import { CommandError, ErrorCodes } from '../errors.ts';
import { clonePlain, isPlainObject, setPath, withIdFirst, type Doc } from '../documents.ts';
import { valueKey } from '../value-key.ts';
import { Aggregator } from './mingo.ts';
import type { Planner } from './planner.ts';
import { assertSupported } from './query.ts';
import { expandPositional, hasPositional } from './positional.ts';
import { applyPull } from './pull.ts';
import { checkUpdate } from './update-checks.ts';
import { takeWideArithmetic } from './wide-arithmetic.ts';

/** The update forms MongoDB accepts: operators, a replacement document, or a pipeline. */
export type UpdateSpec = Doc | Doc[];

/**
 * mingo's top-level update() copies its whole operator table on every call (~100 µs); the
 * updater itself adds the query operators it needs, so it gets an empty context instead.
 */
const UPDATE_CONTEXT = Context.init();

function isOperatorUpdate(update: Doc): boolean {
  const keys = Object.keys(update);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

/**
 * Fields an upsert copies from the filter into the new document: equality conditions at the
 * top level and inside `$and`, as mongod does.
 */
export function seedFromFilter(filter: Doc | undefined): Doc {
  const seed: Doc = {};
  const visit = (f: Doc): void => {
    for (const [field, cond] of Object.entries(f)) {
      if (field === '$and' && Array.isArray(cond)) {
        for (const sub of cond) if (isPlainObject(sub)) visit(sub);
      } else if (!field.startsWith('$')) {
        if (isPlainObject(cond) && Object.keys(cond).some((k) => k.startsWith('$'))) {
          if ('$eq' in cond) setPath(seed, field, clonePlain(cond.$eq));
        } else setPath(seed, field, clonePlain(cond));
      }
    }
  };
  if (filter) visit(filter);
  return seed;
}

/** What applying an update needs besides the document and the update. */
export interface UpdateOptions {
  filter?: Doc;
  arrayFilters?: Doc[];
  inserting: boolean;
  mingo: Partial<Options>;
  planner: Planner;
}

/**
 * Applies an update to a private copy of `doc` and returns the new document, or undefined when
 * nothing changed. Adds what mingo lacks: `$setOnInsert` (on insert only) and `$set` of `_id`
 * to its current value.
 */
export function applyUpdate(doc: Doc, update: UpdateSpec, opts: UpdateOptions): Doc | undefined {
  assertSupported(update);
  if (Array.isArray(update)) {
    const [result] = new Aggregator(update, opts.mingo).run([clonePlain(doc)]) as Doc[];
    if (!result) return undefined;
    return keepId(doc, result);
  }
  if (!isOperatorUpdate(update)) {
    if (Object.keys(update).some((k) => k.startsWith('$'))) {
      throw new CommandError(ErrorCodes.FailedToParse, 'An update cannot mix operators and plain fields');
    }
    return keepId(doc, update);
  }
  // The document is copied whole only if mingo has to apply the update (applySimpleUpdate
  // copies just the paths it changes) or an upsert writes $setOnInsert fields into it.
  let copy: Doc | undefined;
  let modifier: Doc = {};
  let changed = false;
  for (const [op, fields] of Object.entries(update)) {
    if (!isPlainObject(fields))
      throw new CommandError(ErrorCodes.FailedToParse, `Modifiers operate on fields but we found type ${typeof fields} instead for ${op}`);
    if (op === '$setOnInsert') {
      if (opts.inserting) {
        copy ??= clonePlain(doc);
        for (const [path, value] of Object.entries(fields)) setPath(copy, path, clonePlain(value));
        changed = true;
      }
      continue;
    }
    const own: Doc = { ...fields };
    for (const path of Object.keys(own)) {
      if (!path.split('.').some((part) => part.startsWith('$') && !/^\$(\[[A-Za-z0-9]*\])?$/.test(part))) continue;
      // MongoDB 5+: an upsert's insert may create $-prefixed fields; an update of a stored document may not.
      if (!opts.inserting || (op !== '$set' && op !== '$setOnInsert')) {
        throw new CommandError(ErrorCodes.DollarPrefixedFieldName, `The dollar ($) prefixed field '${path}' in '${path}' is not valid for storage.`);
      }
      copy ??= clonePlain(doc);
      setPath(copy, path, clonePlain(own[path]));
      delete own[path];
      changed = true;
    }
    if ('_id' in own) {
      if (op === '$set' && valueKey(own._id) === valueKey(doc._id)) delete own._id;
      else if (!(opts.inserting && op === '$set' && doc._id === undefined)) {
        throw new CommandError(ErrorCodes.ImmutableField, "Performing an update on the path '_id' would modify the immutable field '_id'");
      }
    }
    if (Object.keys(own).length > 0) modifier[op] = own;
  }
  const base = copy ?? doc;
  // Positional paths become concrete ones first, so both paths below see plain paths.
  const expand = !opts.inserting && hasPositional(modifier);
  if (expand) modifier = expandPositional(base, modifier, opts.filter, opts.arrayFilters, opts.mingo);
  checkUpdate(base, modifier);
  const pull = modifier.$pull as Doc | undefined;
  delete modifier.$pull;
  const wide = takeWideArithmetic(base, modifier);
  const simple = Object.keys(modifier).length > 0 ? opts.planner.simpleUpdate(base, modifier) : { doc: base, changed: false };
  if (simple) {
    // The simple path shares untouched objects with the stored document; $pull edits in place.
    copy = pull || wide ? clonePlain(simple.doc) : simple.doc;
    changed ||= simple.changed;
  } else {
    copy ??= clonePlain(doc);
    try {
      const paths = mingoUpdate(copy, modifier as never, expand ? undefined : opts.arrayFilters, undefined, {
        queryOptions: { ...opts.mingo, context: UPDATE_CONTEXT },
      });
      if (paths.length > 0) changed = true;
    } catch (err) {
      if (err instanceof Error && /would create a conflict/.test(err.message)) throw new CommandError(ErrorCodes.ConflictingUpdateOperators, err.message);
      throw err;
    }
  }
  if (pull && applyPull(copy, pull, opts.mingo)) changed = true;
  if (wide) {
    wide(copy);
    changed = true;
  }
  return changed || opts.inserting ? (copy === doc ? clonePlain(doc) : copy) : undefined;
}

function keepId(old: Doc, replacement: Doc): Doc | undefined {
  if (replacement._id !== undefined && old._id !== undefined && valueKey(replacement._id) !== valueKey(old._id)) {
    throw new CommandError(ErrorCodes.ImmutableField, "After applying the update, the (immutable) field '_id' was found to have been altered");
  }
  const next = withIdFirst({ ...replacement, _id: old._id ?? replacement._id });
  return valueKey(next) === valueKey(old) ? undefined : next;
}

/** The document an upsert inserts: filter equalities, then the update applied as an insert. */
export function buildUpsert(filter: Doc | undefined, update: UpdateSpec, opts: Omit<UpdateOptions, 'inserting' | 'filter'>): Doc {
  const seed = seedFromFilter(filter);
  let doc: Doc;
  if (!Array.isArray(update) && !isOperatorUpdate(update)) {
    doc = { ...clonePlain(update) };
    if (doc._id === undefined && seed._id !== undefined) doc._id = seed._id;
  } else {
    doc = applyUpdate(seed, update, { ...opts, inserting: true }) ?? seed;
  }
  return withIdFirst(doc);
}

import { ObjectId } from 'bson';
import type { Options } from 'mingo/types';
import { CommandError, ErrorCodes } from '../errors.ts';
import { clonePlain, isPlainObject, type Doc } from '../documents.ts';
import { duplicateMessage, type Collection } from '../engine/collection.ts';
import { Aggregator } from '../engine/mingo.ts';
import { assertSupported } from '../engine/query.ts';
import { valueKey } from '../value-key.ts';
import type { WriteTx } from '../engine/write-tx.ts';
import type { CommandContext } from './context.ts';

/*
 * `$merge` as the final stage of an aggregate (MongoDB 4.2+): each result is matched to a document
 * of the target on the `on` fields, then replaced, merged, kept, refused, or updated by a pipeline
 * (`whenMatched`), and inserted, discarded or refused when nothing matches (`whenNotMatched`).
 * Unlike mongod, which writes in batches and may stop part way, the embedded server writes all
 * the results in one transaction: an error leaves the target as it was.
 */

const WHEN_MATCHED = ['replace', 'keepExisting', 'merge', 'fail'] as const;
const WHEN_NOT_MATCHED = ['insert', 'discard', 'fail'] as const;
/** The stages a whenMatched pipeline may hold (mongod's list for update pipelines). */
const UPDATE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);
const SPEC_FIELDS = new Set(['into', 'on', 'let', 'whenMatched', 'whenNotMatched']);

export interface MergeSpec {
  db: string;
  name: string;
  on: string[];
  whenMatched: (typeof WHEN_MATCHED)[number] | Doc[];
  whenNotMatched: (typeof WHEN_NOT_MATCHED)[number];
  let?: Doc;
}

function intoOf(into: unknown, db: string): { db: string; name: string } {
  if (typeof into === 'string' && into.length > 0) return { db, name: into };
  if (isPlainObject(into) && typeof into.coll === 'string' && into.coll.length > 0 && (into.db === undefined || typeof into.db === 'string')) {
    return { db: (into.db as string | undefined) ?? db, name: into.coll };
  }
  throw new CommandError(ErrorCodes.FailedToParse, "$merge 'into' field must be either a string or an object with 'db' and 'coll' fields");
}

function onOf(on: unknown): string[] {
  if (on === undefined) return ['_id'];
  const fields = typeof on === 'string' ? [on] : Array.isArray(on) && on.length > 0 && on.every((f) => typeof f === 'string') ? (on as string[]) : undefined;
  if (!fields) throw new CommandError(51186, "$merge 'on' field must be either a string or an array of strings");
  const seen = new Set<string>();
  for (const f of fields) {
    if (!f || f.startsWith('$')) throw new CommandError(ErrorCodes.BadValue, `FieldPath field names may not start with '$': '${f}'`);
    if (seen.has(f)) throw new CommandError(31465, `Found a duplicate field '${f}'`);
    seen.add(f);
  }
  return fields;
}

/** The final `$merge` of a pipeline, parsed and checked, or undefined when the pipeline has none. */
export function mergeSpec(pipeline: Doc[], db: string): MergeSpec | undefined {
  const last = pipeline[pipeline.length - 1];
  if (!last || !('$merge' in last)) return undefined;
  const raw = last.$merge;
  if (typeof raw === 'string') return { ...intoOf(raw, db), on: ['_id'], whenMatched: 'merge', whenNotMatched: 'insert' };
  if (!isPlainObject(raw)) throw new CommandError(51182, `$merge only supports a string or object argument, not ${raw === null ? 'null' : typeof raw}`);
  for (const key of Object.keys(raw)) if (!SPEC_FIELDS.has(key)) throw new CommandError(40415, `BSON field '$merge.${key}' is an unknown field.`);
  if (raw.into === undefined) throw new CommandError(40414, "BSON field '$merge.into' is missing but a required field");
  const whenMatched = raw.whenMatched ?? 'merge';
  if (Array.isArray(whenMatched)) {
    for (const stage of whenMatched) {
      const name = isPlainObject(stage) ? Object.keys(stage)[0] : undefined;
      if (!name || !UPDATE_STAGES.has(name))
        throw new CommandError(ErrorCodes.InvalidOptions, `${name ?? 'This stage'} is not allowed to be used within an update`);
    }
    assertSupported(whenMatched);
  } else if (!(WHEN_MATCHED as readonly unknown[]).includes(whenMatched)) {
    throw new CommandError(ErrorCodes.BadValue, `Enumeration value '${String(whenMatched)}' for field '$merge.whenMatched' is not a valid value.`);
  }
  const whenNotMatched = raw.whenNotMatched ?? 'insert';
  if (!(WHEN_NOT_MATCHED as readonly unknown[]).includes(whenNotMatched)) {
    throw new CommandError(ErrorCodes.BadValue, `Enumeration value '${String(whenNotMatched)}' for field '$merge.whenNotMatched' is not a valid value.`);
  }
  if (raw.let !== undefined) {
    if (!isPlainObject(raw.let)) throw new CommandError(ErrorCodes.TypeMismatch, "BSON field '$merge.let' is the wrong type, expected type 'object'");
    if (!Array.isArray(whenMatched)) throw new CommandError(51199, "Cannot use 'let' variables with 'whenMatched: " + String(whenMatched) + "' mode");
    assertSupported(raw.let);
  }
  return {
    ...intoOf(raw.into, db),
    on: onOf(raw.on),
    whenMatched: whenMatched as MergeSpec['whenMatched'],
    whenNotMatched: whenNotMatched as MergeSpec['whenNotMatched'],
    let: raw.let as Doc | undefined,
  };
}

/** A value of a document at a dotted path (no array traversal: an `on` field is never in an array). */
function valueAt(doc: Doc, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (!isPlainObject(value) || !Object.hasOwn(value, part)) return undefined;
    value = value[part];
  }
  return value;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((f) => b.includes(f));

/** mongod requires a unique index on exactly the `on` fields, so that a result matches one document at most. */
function assertUniqueOn(coll: Collection | undefined, on: string[]): void {
  if (sameSet(on, ['_id'])) return;
  const ok = coll?.indexes.some((i) => i.unique && sameSet(i.fields, on) && i.spec.partialFilterExpression === undefined);
  if (!ok) throw new CommandError(51183, 'Cannot find index to verify that join fields will be unique');
}

/** The variables of a whenMatched pipeline: `$$new` (the result), or the `let` expressions evaluated on it. */
function variablesFor(result: Doc, spec: MergeSpec, options: Partial<Options>): Doc {
  if (!spec.let) return { new: result };
  const [vars] = new Aggregator([{ $replaceWith: spec.let }], options).run([result]) as Doc[];
  return vars ?? {};
}

function writeOne(tx: WriteTx, coll: Collection, doc: Doc, isNew: boolean): void {
  const dup = tx.findDuplicate(coll, doc, valueKey(doc._id), isNew);
  if (dup)
    throw new CommandError(ErrorCodes.DuplicateKey, duplicateMessage(coll.ns, dup.indexName, dup.keyValue), {
      keyPattern: dup.keyPattern,
      keyValue: dup.keyValue,
    });
  tx.putDoc(coll, doc);
}

const immutableId = () =>
  new CommandError(ErrorCodes.ImmutableField, '$merge failed to update the matching document, did you attempt to modify the _id or the shard key?');

/** Writes the pipeline's results into the target as the `$merge` spec says, all or nothing. */
export function writeMerge(results: Doc[], spec: MergeSpec, ctx: CommandContext, options: Partial<Options>): void {
  ctx.engine.write((tx) => {
    const existing = tx.getCollection(spec.db, spec.name);
    assertUniqueOn(existing, spec.on);
    const coll = existing ?? tx.collection(spec.db, spec.name);
    for (const result of results) {
      const { _id: resultId, ...rest } = result;
      const filter: Doc = {};
      for (const field of spec.on) {
        // A result without `_id` matches nothing on `_id`: it is inserted with a new one.
        if (field === '_id' && resultId === undefined) continue;
        const value = valueAt(result, field);
        if (value === undefined || value === null || Array.isArray(value)) {
          throw new CommandError(51132, `$merge write error: 'on' field '${field}' cannot be missing, null, undefined or an array`);
        }
        filter[field] = value;
      }
      const matched =
        Object.keys(filter).length === spec.on.length ? tx.matching(coll, ctx.engine.planner.filter(filter, options), filter).next().value : undefined;
      if (!matched) {
        if (spec.whenNotMatched === 'fail')
          throw new CommandError(
            13113,
            '$merge could not find a matching document in the target collection for at least one document in the source collection',
          );
        if (spec.whenNotMatched === 'insert') writeOne(tx, coll, resultId === undefined ? { _id: new ObjectId(), ...rest } : result, true);
        continue;
      }
      const { whenMatched } = spec;
      if (whenMatched === 'keepExisting') continue;
      if (whenMatched === 'fail') {
        throw new CommandError(ErrorCodes.DuplicateKey, duplicateMessage(coll.ns, `${spec.on.join('_1_')}_1`, filter), {
          keyPattern: Object.fromEntries(spec.on.map((f) => [f, 1])),
          keyValue: filter,
        });
      }
      // The matched document keeps its `_id`: a result may repeat it, not change it.
      if (resultId !== undefined && valueKey(resultId) !== valueKey(matched._id)) throw immutableId();
      let next: Doc;
      if (whenMatched === 'replace') next = { _id: matched._id, ...rest };
      else if (whenMatched === 'merge') next = { ...clonePlain(matched), ...rest };
      else {
        const [updated] = new Aggregator(whenMatched, { ...options, variables: variablesFor(result, spec, options) }).run([clonePlain(matched)]) as Doc[];
        next = updated ?? matched;
        if (next._id === undefined) next = { _id: matched._id, ...next };
        else if (valueKey(next._id) !== valueKey(matched._id)) throw immutableId();
      }
      writeOne(tx, coll, next, false);
    }
  });
}

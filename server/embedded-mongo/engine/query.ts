import { Aggregator, Query } from 'mingo';
import type { Options } from 'mingo/types';
import { CommandError, ErrorCodes } from '../errors.ts';
import { isPlainObject, type Doc } from '../documents.ts';
import { isIndexableScalar, valueKey } from '../value-key.ts';
import type { Collection } from './collection.ts';

const UNSUPPORTED_QUERY_OPERATORS: Record<string, string> = {
  $where: '$where (server-side JavaScript) is not supported by the embedded server',
  $text: '$text search is not supported by the embedded server (no text indexes)',
  $near: 'Geo queries ($near) are not supported by the embedded server',
  $nearSphere: 'Geo queries ($nearSphere) are not supported by the embedded server',
  $geoWithin: 'Geo queries ($geoWithin) are not supported by the embedded server',
  $geoIntersects: 'Geo queries ($geoIntersects) are not supported by the embedded server',
  $within: 'Geo queries ($within) are not supported by the embedded server',
  $function: '$function (server-side JavaScript) is not supported by the embedded server',
  $accumulator: '$accumulator (server-side JavaScript) is not supported by the embedded server',
};

const UNSUPPORTED_STAGES: Record<string, string> = {
  $changeStream: 'Change streams are not supported by the embedded server (they need a replica set)',
  $out: '$out is not supported by the embedded server',
  $merge: '$merge is not supported by the embedded server',
  $geoNear: 'Geo queries ($geoNear) are not supported by the embedded server',
  $search: '$search (Atlas Search) is not supported by the embedded server',
  $searchMeta: '$searchMeta (Atlas Search) is not supported by the embedded server',
  $vectorSearch: '$vectorSearch (Atlas Search) is not supported by the embedded server',
  $collStats: '$collStats is not supported by the embedded server',
  $indexStats: '$indexStats is not supported by the embedded server',
  $currentOp: '$currentOp is not supported by the embedded server',
  $listSessions: '$listSessions is not supported by the embedded server',
};

/** Refuses operators the embedded server does not implement, with a clear message. */
export function assertSupported(expr: unknown): void {
  if (Array.isArray(expr)) {
    for (const item of expr) assertSupported(item);
  } else if (isPlainObject(expr)) {
    for (const [key, value] of Object.entries(expr)) {
      const message = UNSUPPORTED_QUERY_OPERATORS[key] ?? UNSUPPORTED_STAGES[key];
      if (message) throw new CommandError(ErrorCodes.NotImplemented, message);
      assertSupported(value);
    }
  }
}

/** Builds the mingo options for one database: `$lookup` resolves names to its collections. */
export function mingoOptions(resolve: (name: string) => Doc[], variables?: Doc): Partial<Options> {
  return { collectionResolver: resolve, ...(variables ? { variables } : {}) };
}

/** A compiled filter: anything that can test a document. */
export interface Matcher {
  test(doc: Doc): boolean;
}

const matchAll: Matcher = { test: () => true };

/** The scalar values a top-level condition accepts (`v`, `{ $eq: v }`, `{ $in: [v…] }`), or undefined. */
function acceptedScalars(value: unknown): unknown[] | undefined {
  if (isIndexableScalar(value)) return [value];
  if (!isPlainObject(value)) return undefined;
  const ops = Object.keys(value);
  if (ops.length !== 1) return undefined;
  if (ops[0] === '$eq' && isIndexableScalar(value.$eq)) return [value.$eq];
  if (ops[0] === '$in' && Array.isArray(value.$in) && value.$in.every(isIndexableScalar)) return value.$in;
  return undefined;
}

/**
 * A matcher for the commonest filters, equality or `$in` of scalars on top-level fields
 * (`{ _id }`, `{ email }`, `{ classId, userId: { $in: [...] } }`), which skips compiling a mingo
 * Query (the costly part of a lookup) and tests `$in` against a hash set, not value by value.
 */
function scalarEqualityMatcher(filter: Doc): Matcher | undefined {
  const entries = Object.entries(filter);
  if (entries.length === 0) return matchAll;
  if (entries.length > 4) return undefined;
  const wanted: Array<readonly [string, Set<string>]> = [];
  for (const [field, value] of entries) {
    if (field.startsWith('$') || field.includes('.')) return undefined;
    const scalars = acceptedScalars(value);
    if (!scalars) return undefined;
    wanted.push([field, new Set(scalars.map(valueKey))] as const);
  }
  return {
    test(doc) {
      for (const [field, keys] of wanted) {
        const actual = doc[field];
        if (Array.isArray(actual) ? !actual.some((v) => keys.has(valueKey(v))) : !keys.has(valueKey(actual))) return false;
      }
      return true;
    },
  };
}

/** Compiles a filter after refusing unsupported operators. */
export function compileFilter(filter: Doc | undefined, options: Partial<Options>): Matcher {
  const condition = filter ?? {};
  const fast = scalarEqualityMatcher(condition);
  if (fast) return fast;
  assertSupported(condition);
  return new Query(condition, options) as Matcher;
}

/** Builds an aggregation pipeline after refusing unsupported stages and operators. */
export function compilePipeline(pipeline: Doc[], options: Partial<Options>): Aggregator {
  assertSupported(pipeline);
  return new Aggregator(pipeline, options);
}

/** Equality conditions (field → values) in a filter that an index can answer. */
function equalities(filter: Doc, out: Map<string, unknown[]>): void {
  for (const [field, cond] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(cond)) {
      for (const sub of cond) if (isPlainObject(sub)) equalities(sub, out);
      continue;
    }
    if (field.startsWith('$')) continue;
    if (isIndexableScalar(cond)) out.set(field, [cond]);
    else if (isPlainObject(cond)) {
      const ops = Object.keys(cond);
      if (ops.length === 1 && ops[0] === '$eq' && isIndexableScalar(cond.$eq)) out.set(field, [cond.$eq]);
      else if (ops.length === 1 && ops[0] === '$in' && Array.isArray(cond.$in) && cond.$in.every(isIndexableScalar)) {
        out.set(field, cond.$in);
      }
    }
  }
}

/**
 * The documents a filter can match: from the `_id` map or a hash index when the filter has
 * an equality on an indexed field, otherwise every document. Callers still apply the filter.
 */
export function candidates(coll: Collection, filter: Doc | undefined): Iterable<Doc> {
  if (!filter) return coll.docs.values();
  const eq = new Map<string, unknown[]>();
  equalities(filter, eq);
  if (eq.size === 0) return coll.docs.values();
  const ids = eq.get('_id');
  if (ids) {
    // A set: `{ _id: { $in: [x, x] } }` matches x once.
    const out = new Set<Doc>();
    for (const id of ids) {
      const doc = coll.getById(id);
      if (doc) out.add(doc);
    }
    return out;
  }
  for (const index of coll.indexes) {
    const values = index.servesLookups ? eq.get(index.fields[0]!) : undefined;
    if (!values) continue;
    const seen = new Set<string>();
    const out: Doc[] = [];
    for (const value of values) {
      for (const idKey of index.idsFor(value)) {
        if (seen.has(idKey)) continue;
        seen.add(idKey);
        const doc = coll.docs.get(idKey);
        if (doc) out.push(doc);
      }
    }
    return out;
  }
  return coll.docs.values();
}

/** Documents of the collection matching the filter, in natural order. */
export function* matching(coll: Collection, query: Matcher, filter: Doc | undefined): Generator<Doc> {
  for (const doc of candidates(coll, filter)) if (query.test(doc)) yield doc;
}

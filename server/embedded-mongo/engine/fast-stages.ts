import { clonePlain, isPlainObject, valuesAtPath, type Doc } from '../documents.ts';
import { isIndexableScalar, valueKey } from '../value-key.ts';
import type { Collection } from './collection.ts';
import { indexCandidates } from './index-plan.ts';
import type { Planner } from './planner.ts';
import type { Options } from 'mingo/types';
import { carryTextScore } from './text-scores.ts';

/**
 * A pipeline stage run without mingo (or, for `$facet`, around it), for shapes that are hot in
 * the app and cheap to do exactly: it returns the stage's output, or undefined when this input
 * needs mingo's general semantics after all (the caller then runs the stage through mingo).
 */
type FastStage = (docs: Doc[]) => Doc[] | undefined;

export interface StageContext {
  collection(name: string): Collection | undefined;
  options: Partial<Options>;
  /** True when later stages may edit documents in place: joined documents are then copies. */
  copy: boolean;
  planner: Planner;
}

/**
 * A `$group` that only counts (`{ _id: 1 | '$field', n: { $sum: 1 } }`, the shape of the
 * driver's countDocuments and of per-key counts), run as one pass with a hash map. Groups
 * come out in first-seen order, as from mingo.
 */
function countingGroup(stage: Doc): FastStage | undefined {
  const group = stage.$group;
  if (Object.keys(stage).length !== 1 || !isPlainObject(group)) return undefined;
  const { _id: key, ...accumulators } = group as Doc;
  const sums: Array<[string, number]> = [];
  for (const [name, acc] of Object.entries(accumulators)) {
    if (!isPlainObject(acc) || Object.keys(acc).length !== 1 || typeof acc.$sum !== 'number' || !Number.isFinite(acc.$sum)) return undefined;
    sums.push([name, acc.$sum]);
  }
  let keyOf: (doc: Doc) => unknown;
  if (typeof key === 'string' && key.startsWith('$')) {
    const field = key.slice(1);
    if (!field || field.includes('.') || field.startsWith('$')) return undefined;
    keyOf = (doc) => doc[field] ?? null;
  } else if (key === null || typeof key === 'number' || typeof key === 'boolean' || (typeof key === 'string' && !key.startsWith('$'))) {
    keyOf = () => key;
  } else {
    return undefined;
  }
  return (docs) => {
    const groups = new Map<string, { id: unknown; n: number }>();
    for (const doc of docs) {
      const id = keyOf(doc);
      // Arrays and documents as keys compare by value in MongoDB; leave those to mingo's semantics.
      if (id !== null && typeof id === 'object' && !(id instanceof Date) && !('_bsontype' in id)) return undefined;
      const k = valueKey(id);
      const g = groups.get(k);
      if (g) g.n += 1;
      else groups.set(k, { id, n: 1 });
    }
    return [...groups.values()].map((g) => ({ _id: g.id, ...Object.fromEntries(sums.map(([name, by]) => [name, g.n * by])) }));
  };
}

/**
 * An equality `$lookup` (`from`, `localField`, `foreignField`, `as`) whose foreign field is `_id`
 * or the first field of a hash index: each input document fetches its matches from the index,
 * as mongod does, instead of mingo hashing the whole foreign collection on every call.
 * Local values that are not scalars (and, off `_id`, missing or null ones) go to mingo.
 */
function indexedLookup(stage: Doc, ctx: StageContext): FastStage | undefined {
  const spec = stage.$lookup;
  if (Object.keys(stage).length !== 1 || !isPlainObject(spec)) return undefined;
  const keys = Object.keys(spec).sort().join(',');
  if (keys !== 'as,foreignField,from,localField') return undefined;
  const { from, localField, foreignField, as } = spec as Record<string, unknown>;
  if (typeof from !== 'string' || typeof localField !== 'string' || typeof foreignField !== 'string' || typeof as !== 'string') return undefined;
  if (as.includes('.') || as.startsWith('$') || foreignField.includes('.') || foreignField.startsWith('$') || localField.startsWith('$')) return undefined;
  const foreign = ctx.collection(from);
  const indexed = foreignField === '_id' || (foreign?.indexes.some((i) => i.servesLookups && i.fields[0] === foreignField) ?? false);
  if (foreign && !indexed) return undefined;
  const byId = foreignField === '_id';
  return (docs) => {
    const out: Doc[] = [];
    for (const doc of docs) {
      const values: unknown[] = [];
      for (const value of valuesAtPath(doc, localField)) {
        for (const item of Array.isArray(value) ? value : [value]) {
          if (!isIndexableScalar(item) && !(byId && item === null)) return undefined;
          values.push(item);
        }
      }
      // A missing local value matches foreign documents whose field is null or missing: on
      // _id that is at most the document whose _id is null; other fields need mingo's scan.
      if (values.length === 0) {
        if (!byId) return undefined;
        values.push(null);
      }
      let joined: Doc[] = [];
      if (foreign && byId) {
        const found = new Set<Doc>();
        for (const value of values) {
          const match = foreign.getById(value);
          if (match) found.add(match);
        }
        joined = [...found];
      } else if (foreign) {
        const filter = { [foreignField]: { $in: values } };
        const test = ctx.planner.filter(filter, ctx.options);
        for (const candidate of indexCandidates(foreign, filter)) if (test.test(candidate)) joined.push(candidate);
      }
      if (ctx.copy) joined = joined.map(clonePlain);
      out.push(carryTextScore(doc, { ...doc, [as]: joined }));
    }
    return out;
  };
}

/**
 * A `$facet` of read-only sub-pipelines, each run by runStages on the same input, so the
 * stages above work inside a facet too. Pipelines that edit documents leave it to mingo.
 */
function facet(stage: Doc, ctx: StageContext, runWithMingo: MingoRunner): FastStage | undefined {
  const spec = stage.$facet;
  if (Object.keys(stage).length !== 1 || !isPlainObject(spec) || ctx.copy) return undefined;
  const pipelines = Object.entries(spec);
  if (pipelines.length === 0 || !pipelines.every(([name, p]) => Array.isArray(p) && !name.startsWith('$') && !name.includes('.'))) return undefined;
  return (docs) => [Object.fromEntries(pipelines.map(([name, p]) => [name, runStages(docs, p as Doc[], ctx, runWithMingo)]))];
}

export type MingoRunner = (docs: Doc[], stages: Doc[]) => Doc[];

/** `$match`: the filter a find would use (its scalar fast path included). */
function match(stage: Doc, ctx: StageContext): FastStage | undefined {
  if (Object.keys(stage).length !== 1 || !isPlainObject(stage.$match)) return undefined;
  const filter = stage.$match;
  return (docs) => {
    const test = ctx.planner.filter(filter, ctx.options);
    return docs.filter((d) => test.test(d));
  };
}

/** `$limit` and `$skip` of a positive whole number (anything else gets mingo's errors). */
function cut(stage: Doc): FastStage | undefined {
  if (Object.keys(stage).length !== 1) return undefined;
  const n = stage.$limit ?? stage.$skip;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < ('$limit' in stage ? 1 : 0)) return undefined;
  return '$limit' in stage ? (docs) => docs.slice(0, n) : (docs) => docs.slice(n);
}

/** `$count`: one document with the count, or none when nothing came in. */
function count(stage: Doc): FastStage | undefined {
  const name = stage.$count;
  if (Object.keys(stage).length !== 1 || typeof name !== 'string' || !name || name.startsWith('$') || name.includes('.')) return undefined;
  return (docs) => (docs.length ? [{ [name]: docs.length }] : []);
}

/** A sort key's value as something `<` orders as mingo does: numbers, dates (as times), strings. */
function sortable(v: unknown): number | string | undefined {
  if (typeof v === 'number') return Number.isNaN(v) ? undefined : v;
  // Strings with surrogates or high BMP characters order differently in UTF-16 and UTF-8 (MongoDB's).
  if (typeof v === 'string') return /[\uD800-\uFFFF]/.test(v) ? undefined : v;
  return v instanceof Date ? v.getTime() : undefined;
}

/**
 * Documents sorted by top-level fields whose values are, field by field, all numbers, all
 * dates or all strings (names, dues, scores), compared directly as mingo compares them; or
 * undefined for anything else (mixed types, missing fields, arrays), which mingo sorts.
 */
export function sortedByScalars(docs: Doc[], spec: Doc): Doc[] | undefined {
  const keys = Object.entries(spec);
  if (keys.length === 0 || !keys.every(([f, dir]) => !f.includes('.') && !f.startsWith('$') && (dir === 1 || dir === -1))) return undefined;
  for (const [field] of keys) {
    const kind = docs.length ? Object.prototype.toString.call(docs[0]![field]) : '';
    for (const d of docs) {
      if (sortable(d[field]) === undefined || Object.prototype.toString.call(d[field]) !== kind) return undefined;
    }
  }
  // Array.prototype.sort is stable, as mingo's sort is.
  return [...docs].sort((a, b) => {
    for (const [field, dir] of keys) {
      const x = sortable(a[field])!;
      const y = sortable(b[field])!;
      if (x !== y) return (x < y ? -1 : 1) * (dir as number);
    }
    return 0;
  });
}

function sortStage(stage: Doc): FastStage | undefined {
  const spec = stage.$sort;
  if (Object.keys(stage).length !== 1 || !isPlainObject(spec)) return undefined;
  return (docs) => sortedByScalars(docs, spec);
}

function fastStage(stage: Doc, ctx: StageContext, runWithMingo: MingoRunner): FastStage | undefined {
  return (
    match(stage, ctx) ?? cut(stage) ?? count(stage) ?? sortStage(stage) ?? countingGroup(stage) ?? indexedLookup(stage, ctx) ?? facet(stage, ctx, runWithMingo)
  );
}

/**
 * Runs pipeline stages over documents: the shapes above without mingo, every other run of
 * stages through `runWithMingo`, in order.
 */
export function runStages(input: Doc[], stages: Doc[], ctx: StageContext, runWithMingo: MingoRunner): Doc[] {
  let docs = input;
  let pending: Doc[] = [];
  for (const stage of stages) {
    const fast = fastStage(stage, ctx, runWithMingo);
    if (!fast) {
      pending.push(stage);
      continue;
    }
    if (pending.length) docs = runWithMingo(docs, pending);
    pending = [];
    docs = fast(docs) ?? runWithMingo(docs, [stage]);
  }
  return pending.length ? runWithMingo(docs, pending) : docs;
}

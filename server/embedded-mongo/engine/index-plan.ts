import { isPlainObject, type Doc } from '../documents.ts';
import { isIndexableScalar } from '../value-key.ts';
import type { Collection } from './collection.ts';
import type { SecondaryIndex } from './indexes.ts';

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

/** The index a filter's equalities are looked up in (`_id_` or a hash index) and the values looked up; undefined: a scan. */
export function chooseIndex(coll: Collection, filter: Doc | undefined): { index: SecondaryIndex | '_id_'; field: string; values: unknown[] } | undefined {
  if (!filter) return undefined;
  const eq = new Map<string, unknown[]>();
  equalities(filter, eq);
  if (eq.size === 0) return undefined;
  const ids = eq.get('_id');
  if (ids) return { index: '_id_', field: '_id', values: ids };
  for (const index of coll.indexes) {
    const values = index.servesLookups ? eq.get(index.fields[0]!) : undefined;
    if (values) return { index, field: index.fields[0]!, values };
  }
  return undefined;
}

/**
 * The documents a filter can match: from the `_id` map or a hash index when the filter has
 * an equality on an indexed field, otherwise every document. Callers still apply the filter.
 */
export function indexCandidates(coll: Collection, filter: Doc | undefined): Iterable<Doc> {
  const chosen = chooseIndex(coll, filter);
  if (!chosen) return coll.docs.values();
  if (chosen.index === '_id_') {
    const ids = chosen.values;
    // A set: `{ _id: { $in: [x, x] } }` matches x once.
    const out = new Set<Doc>();
    for (const id of ids) {
      const doc = coll.getById(id);
      if (doc) out.add(doc);
    }
    return out;
  }
  const { index, values } = chosen;
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

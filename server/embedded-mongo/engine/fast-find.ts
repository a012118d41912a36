import type { Doc } from '../documents.ts';

/** A projection that only includes top-level fields, as `pick` applies it. */
export interface Inclusion {
  fields: Set<string>;
  withId: boolean;
}

/**
 * The fields of a projection that only includes top-level fields (`{ a: 1, b: 1 }`, with or
 * without `_id: 0`), or undefined for anything else (mingo handles those).
 */
export function topLevelInclusion(projection: Doc): Inclusion | undefined {
  const fields = new Set<string>();
  let withId = true;
  for (const [field, value] of Object.entries(projection)) {
    if (field === '_id' && (value === 0 || value === false)) {
      withId = false;
      continue;
    }
    if (field.startsWith('$') || field.includes('.') || !(value === 1 || value === true)) return undefined;
    if (field !== '_id') fields.add(field);
  }
  // `{ _id: 0 }` alone excludes, and `{ _id: 1 }` alone is rare: both go to mingo.
  return fields.size ? { fields, withId } : undefined;
}

/** Applies a top-level inclusion projection: `_id` first, then the fields in the document's order, as mongod does. */
export function pick(doc: Doc, { fields, withId }: Inclusion): Doc {
  const out: Doc = {};
  if (withId && '_id' in doc) out._id = doc._id;
  for (const f of Object.keys(doc)) if (fields.has(f)) out[f] = doc[f];
  return out;
}

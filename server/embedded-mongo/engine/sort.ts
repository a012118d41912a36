import { CommandError, ErrorCodes } from '../errors.ts';
import { bsonCompare } from '../bson-order.ts';
import { isPlainObject, valuesAtPath, type Doc } from '../documents.ts';
import { textScoreOf } from './text-scores.ts';

/**
 * A document's sort key for one field, as mongod takes it: through arrays, the smallest
 * element ascending and the largest descending; missing and null alike; an empty array
 * below null.
 */
function sortKey(doc: Doc, path: string, dir: number): unknown {
  const values = valuesAtPath(doc, path);
  if (values.length === 0) return null;
  let best: unknown;
  let seen = false;
  let emptyArray = false;
  for (const value of values) {
    const items = Array.isArray(value) ? value : [value];
    if (Array.isArray(value) && value.length === 0) emptyArray = true;
    for (const item of items) {
      const v = item === undefined ? null : item;
      if (!seen || bsonCompare(v, best) * dir < 0) best = v;
      seen = true;
    }
  }
  return seen ? best : emptyArray ? undefined : null;
}

/** Whether a sort key (or projection value) is `{ $meta: 'textScore' }`. */
export function isTextScoreMeta(value: unknown): boolean {
  return isPlainObject(value) && Object.keys(value).length === 1 && value.$meta === 'textScore';
}

/** Checks a sort specification: fields to 1 or -1, or to `{ $meta: 'textScore' }` (highest score first; NaN marks it). */
export function sortSpec(spec: unknown): Array<[string, number]> {
  if (!isPlainObject(spec) || Object.keys(spec).length === 0) throw new CommandError(ErrorCodes.BadValue, '$sort stage must have at least one sort key');
  return Object.entries(spec).map(([field, dir]) => {
    if (isTextScoreMeta(dir)) return [field, NaN];
    const n = Number(dir);
    if (n !== 1 && n !== -1) throw new CommandError(15975, '$sort key ordering must be 1 (for ascending) or -1 (for descending)');
    return [field, n];
  });
}

/** Documents sorted in MongoDB's BSON order (stable, as mongod's sort is for equal keys here). */
export function sortDocs(docs: Doc[], spec: unknown): Doc[] {
  const keys = sortSpec(spec);
  const decorated = docs.map((doc) => ({ doc, keys: keys.map(([field, dir]) => (Number.isNaN(dir) ? textScore(doc) : sortKey(doc, field, dir))) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const c = bsonCompare(a.keys[i], b.keys[i]);
      if (c !== 0) return Number.isNaN(keys[i]![1]) ? -c : c * keys[i]![1];
    }
    return 0;
  });
  return decorated.map((d) => d.doc);
}

/** A document's text score for a sort; callers have checked that the query has a `$text` (else 40218). */
function textScore(doc: Doc): number {
  const score = textScoreOf(doc);
  if (score === undefined) throw new CommandError(ErrorCodes.NotImplemented, 'the embedded server lost the text score of a document before this sort');
  return score;
}

import { isPlainObject, type Doc } from '../documents.ts';
import { isIndexableScalar, valueKey } from '../value-key.ts';
import type { Matcher } from './query.ts';

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
export function scalarEqualityMatcher(filter: Doc): Matcher | undefined {
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

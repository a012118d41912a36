import type { Options } from 'mingo/types';
import { clonePlain, isPlainObject, type Doc } from '../documents.ts';
import { valueKey } from '../value-key.ts';
import { Query } from './mingo.ts';

const LOGICAL = new Set(['$and', '$or', '$nor']);

/**
 * The test `$pull` applies to each element, as mongod builds it: a condition of query
 * operators (`{ $gte: 6 }`, `{ $in: [...] }`) applies to the element itself; any other
 * document (`{ u: 1 }`, `{ $or: [...] }`) is a query each document element must match; any
 * other value is compared for equality.
 */
function pullTest(cond: unknown, options: Partial<Options>): (el: unknown) => boolean {
  if (isPlainObject(cond)) {
    const first = Object.keys(cond)[0];
    if (first !== undefined && first.startsWith('$') && !LOGICAL.has(first)) {
      const query = new Query({ v: cond }, options);
      return (el) => query.test({ v: el });
    }
    const query = new Query(cond, options);
    return (el) => isPlainObject(el) && query.test(el);
  }
  const key = valueKey(cond);
  return (el) => valueKey(el) === key;
}

/**
 * Applies `$pull` (with concrete paths) to `doc` in place, copying each array it changes.
 * Returns whether anything was removed. Non-arrays were refused before (update-checks).
 */
export function applyPull(doc: Doc, fields: Doc, options: Partial<Options>): boolean {
  let changed = false;
  for (const [path, cond] of Object.entries(fields)) {
    const parts = path.split('.');
    let parent: Doc | unknown[] = doc;
    for (let i = 0; i < parts.length - 1; i++) {
      const next: unknown = (parent as Doc)[parts[i]!];
      if (!isPlainObject(next) && !Array.isArray(next)) {
        parent = undefined as never;
        break;
      }
      parent = next;
    }
    if (!parent) continue;
    const key = parts[parts.length - 1]!;
    const array = (parent as Doc)[key];
    if (!Array.isArray(array)) continue;
    const test = pullTest(cond, options);
    const kept = array.filter((el) => !test(el));
    if (kept.length !== array.length) {
      (parent as Doc)[key] = kept.map(clonePlain);
      changed = true;
    }
  }
  return changed;
}

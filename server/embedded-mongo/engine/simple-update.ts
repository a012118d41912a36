import { CommandError, ErrorCodes } from '../errors.ts';
import { clonePlain, isPlainObject, ownField, type Doc } from '../documents.ts';
import { valueKey } from '../value-key.ts';

const SIMPLE_OPERATORS = new Set(['$set', '$unset', '$inc']);
const INDEX = /^\d+$/;

type Container = Doc | unknown[];

/**
 * Where a path leads in `doc`, checked before anything changes: the container of its last key
 * (undefined when the path stops at a missing field), or `false` when the update needs mingo:
 * a field name inside an array (MongoDB's "each element" semantics), an index past an array's
 * end, or a scalar on the way.
 */
function route(doc: Doc, parts: string[]): Container | undefined | false {
  let current: unknown = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    if (current === undefined) return undefined;
    const part = parts[i]!;
    if (Array.isArray(current)) {
      if (!INDEX.test(part) || Number(part) >= current.length) return false;
      current = current[Number(part)];
    } else if (isPlainObject(current)) current = ownField(current, part);
    else return false;
  }
  if (current === undefined) return undefined;
  if (Array.isArray(current)) {
    const last = parts[parts.length - 1]!;
    return INDEX.test(last) && Number(last) < current.length ? current : false;
  }
  return isPlainObject(current) ? current : false;
}

/**
 * Applies `$set`, `$unset` and `$inc` without mingo, whose updater copies its operator table
 * on every call; these are most of Lectern's updates, saving an answer (`slots.3.response`)
 * among them. Returns a new document that copies only the objects and arrays on the updated
 * paths and shares the rest with `doc`, which is left untouched; or undefined when the update
 * needs mingo: other operators, positional paths, a field name inside an array, an index past
 * the end, `$unset` of an array element, or overlapping paths. `$inc` of a non-number is
 * refused with TypeMismatch, as mongod does.
 */
export function applySimpleUpdate(doc: Doc, modifier: Doc): { doc: Doc; changed: boolean } | undefined {
  const paths: string[] = [];
  for (const [op, fields] of Object.entries(modifier)) {
    if (!SIMPLE_OPERATORS.has(op) || !isPlainObject(fields)) return undefined;
    for (const [path, value] of Object.entries(fields)) {
      const parts = path.split('.');
      if (parts.some((p) => p === '' || p.startsWith('$'))) return undefined;
      if (op === '$inc' && typeof value !== 'number') return undefined;
      const container = route(doc, parts);
      if (container === false) return undefined;
      if (Array.isArray(container) && op === '$unset') return undefined;
      if (op === '$inc' && container !== undefined) {
        const old = ownField(container, parts[parts.length - 1]!);
        // mingo would skip this silently; mongod refuses it.
        if (old !== undefined && typeof old !== 'number') {
          throw new CommandError(
            ErrorCodes.TypeMismatch,
            `Cannot apply $inc to a value of non-numeric type. {_id: ${String(doc._id)}} has the field '${path}' of non-numeric type ${Array.isArray(old) ? 'array' : typeof old}`,
          );
        }
      }
      paths.push(path);
    }
  }
  const sorted = [...paths].sort();
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1] || sorted[i]!.startsWith(sorted[i - 1]! + '.')) return undefined;
  }

  const root: Doc = { ...doc };
  // Containers already copied for this update: each is copied once, then changed in place.
  const own = new Set<Container>([root]);
  const writable = (parent: Container, key: string): Container | undefined => {
    const next = ownField(parent, key);
    if (next === undefined) return undefined;
    if (own.has(next as Container)) return next as Container;
    const copy: Container = Array.isArray(next) ? [...next] : { ...(next as Doc) };
    (parent as Record<string, unknown>)[key] = copy;
    own.add(copy);
    return copy;
  };
  let changed = false;
  for (const [op, fields] of Object.entries(modifier)) {
    for (const [path, value] of Object.entries(fields as Doc)) {
      const parts = path.split('.');
      let parent: Container | undefined = root;
      for (let i = 0; i < parts.length - 1 && parent; i++) {
        let next = writable(parent, parts[i]!);
        if (next === undefined && op !== '$unset') {
          // $set and $inc make the missing objects on the way.
          next = {};
          (parent as Record<string, unknown>)[parts[i]!] = next;
          own.add(next);
        }
        parent = next;
      }
      if (!parent) continue; // $unset of a path that is not there
      const target = parent as Record<string, unknown>;
      const key = parts[parts.length - 1]!;
      if (op === '$unset') {
        if (Object.hasOwn(target, key)) {
          delete target[key];
          changed = true;
        }
      } else if (op === '$inc') {
        // Like mongod, adding 0 to an existing number is not a modification.
        if (value !== 0 || !Object.hasOwn(target, key)) changed = true;
        target[key] = ((ownField(target, key) as number | undefined) ?? 0) + (value as number);
      } else if (!Object.hasOwn(target, key) || valueKey(target[key]) !== valueKey(value)) {
        target[key] = clonePlain(value);
        changed = true;
      }
    }
  }
  return { doc: root, changed };
}

import { CommandError, ErrorCodes } from '../errors.ts';
import { clonePlain, isPlainObject, type Doc } from '../documents.ts';
import { valueKey } from '../value-key.ts';

const SIMPLE_OPERATORS = new Set(['$set', '$unset', '$inc']);

/** The parent object of a path and the last key, or undefined when the path crosses a non-object. */
function parentOf(doc: Doc, parts: string[], create: boolean): { parent: Doc; key: string } | undefined | null {
  let current: Doc = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = current[parts[i]!];
    if (next === undefined) {
      if (!create) return null; // nothing to unset
      const made: Doc = {};
      current[parts[i]!] = made;
      current = made;
    } else if (isPlainObject(next)) current = next;
    else return undefined;
  }
  return { parent: current, key: parts[parts.length - 1]! };
}

/**
 * Applies `$set`, `$unset` and `$inc` on paths through plain objects without mingo, whose
 * updater copies its operator table on every call; these are most of Lectern's updates.
 * Returns whether the document changed, or undefined (touching nothing) when the update needs
 * mingo: other operators, positional or numeric path parts, arrays on the way, or overlapping
 * paths. `$inc` of a non-number is refused with TypeMismatch, as mongod does.
 */
export function applySimpleUpdate(doc: Doc, modifier: Doc): boolean | undefined {
  const paths: string[] = [];
  for (const [op, fields] of Object.entries(modifier)) {
    if (!SIMPLE_OPERATORS.has(op) || !isPlainObject(fields)) return undefined;
    for (const [path, value] of Object.entries(fields)) {
      const parts = path.split('.');
      if (parts.some((p) => p === '' || p.startsWith('$') || /^\d+$/.test(p))) return undefined;
      if (op === '$inc' && typeof value !== 'number') return undefined;
      // Check the route before changing anything, so a bail-out leaves the document intact.
      let current: unknown = doc;
      for (let i = 0; i < parts.length - 1 && current !== undefined; i++) {
        if (!isPlainObject(current)) return undefined;
        current = current[parts[i]!];
      }
      if (current !== undefined && !isPlainObject(current)) return undefined;
      if (op === '$inc' && current !== undefined) {
        const old = current[parts[parts.length - 1]!];
        // mingo would skip this silently; mongod refuses it.
        if (old !== undefined && typeof old !== 'number') {
          throw new CommandError(ErrorCodes.TypeMismatch, `Cannot apply $inc to a value of non-numeric type. {_id: ${String(doc._id)}} has the field '${path}' of non-numeric type ${Array.isArray(old) ? 'array' : typeof old}`);
        }
      }
      paths.push(path);
    }
  }
  const sorted = [...paths].sort();
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1] || sorted[i]!.startsWith(sorted[i - 1]! + '.')) return undefined;
  }
  let changed = false;
  for (const [op, fields] of Object.entries(modifier)) {
    for (const [path, value] of Object.entries(fields as Doc)) {
      const at = parentOf(doc, path.split('.'), op !== '$unset');
      if (!at) continue;
      const { parent, key } = at;
      if (op === '$unset') {
        if (key in parent) {
          delete parent[key];
          changed = true;
        }
      } else if (op === '$inc') {
        // Like mongod, adding 0 to an existing number is not a modification.
        if (value !== 0 || !(key in parent)) changed = true;
        parent[key] = ((parent[key] as number | undefined) ?? 0) + (value as number);
      } else if (!(key in parent) || valueKey(parent[key]) !== valueKey(value)) {
        parent[key] = clonePlain(value);
        changed = true;
      }
    }
  }
  return changed;
}

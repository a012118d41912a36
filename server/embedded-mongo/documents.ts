import { ObjectId } from 'bson';

/** A decoded BSON document. */
export type Doc = Record<string, unknown>;

/** True for objects built from `{}` literals (not ObjectId, Date, Binary, …). */
export function isPlainObject(value: unknown): value is Doc {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Deep-copies plain objects and arrays; BSON value objects are shared because nothing mutates
 * them in place, which keeps copying a document for an update cheap.
 */
export function clonePlain<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clonePlain) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (isPlainObject(value)) {
    const out: Doc = {};
    for (const key of Object.keys(value)) out[key] = clonePlain(value[key]);
    return out as T;
  }
  return value;
}

/** Freezes a document's plain objects and arrays, so that editing a stored document throws. */
export function deepFreeze<T>(value: T): T {
  if (Array.isArray(value) || isPlainObject(value)) {
    if (Object.isFrozen(value)) return value;
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

/** A document's own field (never an inherited one such as `constructor` or `valueOf`). */
export function ownField(doc: object, key: string): unknown {
  return Object.hasOwn(doc, key) ? (doc as Doc)[key] : undefined;
}

/** Values at a dotted path, descending through arrays the way MongoDB index keys do. */
export function valuesAtPath(doc: unknown, path: string): unknown[] {
  const parts = path.split('.');
  let current: unknown[] = [doc];
  for (const part of parts) {
    const next: unknown[] = [];
    for (const value of current) {
      if (Array.isArray(value)) {
        if (/^\d+$/.test(part)) next.push(value[Number(part)]);
        else for (const item of value) if (isPlainObject(item)) next.push(ownField(item, part));
      } else if (isPlainObject(value)) {
        next.push(ownField(value, part));
      }
    }
    current = next;
  }
  return current.filter((v) => v !== undefined);
}

/** The single value at a dotted path through plain objects, or undefined. */
export function valueAtPath(doc: unknown, path: string): unknown {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (!isPlainObject(current) && !Array.isArray(current)) return undefined;
    current = ownField(current, part);
  }
  return current;
}

/** Sets a dotted path, creating the objects on the way. */
export function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let current: Doc = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i]!;
    if (!isPlainObject(ownField(current, part))) current[part] = {};
    current = current[part] as Doc;
  }
  current[parts[parts.length - 1]!] = value;
}

/** Puts `_id` first, generating one when the client sent none, as mongod does. */
export function withIdFirst(doc: Doc): Doc {
  if ('_id' in doc && Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id: _id === undefined ? new ObjectId() : _id, ...rest };
}

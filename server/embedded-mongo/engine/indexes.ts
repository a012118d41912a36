import { CommandError, ErrorCodes } from '../errors.ts';
import { valuesAtPath, type Doc } from '../documents.ts';
import { valueKey } from '../value-key.ts';
import { Query } from './mingo.ts';
import { geoKeyOf, GeoIndexSpec, normalizeGeoSpec } from './geo-index.ts';
import { isTextKey, normalizeTextSpec, TextSpec } from './text-spec.ts';

/** The `_id` index every collection has; it lives in the collection's document map. */
export const ID_INDEX_SPEC: Doc = { v: 2, key: { _id: 1 }, name: '_id_' };

const UNSUPPORTED_INDEX_TYPES = new Set(['geoHaystack', 'columnstore']);

/** Options a text index here cannot honour (mongod's text indexes take some of them). */
const TEXT_UNSUPPORTED_OPTIONS = ['unique', 'partialFilterExpression', 'expireAfterSeconds', 'hidden'];

/** The default name MongoDB gives an index: `email_1`, `a_1_b_-1`. */
export function defaultIndexName(key: Doc): string {
  return Object.entries(key)
    .map(([field, dir]) => `${field}_${String(dir)}`)
    .join('_');
}

/** Keys a document contributes to an index: one per array element, null when missing. */
function keysOf(doc: Doc, field: string): unknown[] {
  const values = valuesAtPath(doc, field);
  if (values.length === 0) return [null];
  const out: unknown[] = [];
  for (const value of values) {
    if (Array.isArray(value)) {
      if (value.length === 0) out.push(undefined);
      for (const item of value) out.push(item);
    } else out.push(value);
  }
  return out;
}

/**
 * A secondary index: a hash map from the first field's value to the documents holding it
 * (to answer equality filters), plus, when unique, a map from the full key to its owner.
 */
export class SecondaryIndex {
  readonly name: string;
  readonly spec: Doc;
  readonly fields: string[];
  readonly unique: boolean;
  readonly expireAfterSeconds: number | undefined;
  /** For a text index: how it reads documents (text-spec.ts); such an index serves `$text` only. */
  readonly text: TextSpec | undefined;
  /** For a 2d or 2dsphere index: its geo field, checked on every write (geo-index.ts); such an index serves geo queries only. */
  readonly geo: GeoIndexSpec | undefined;
  private readonly sparse: boolean;
  private readonly partial: Query | undefined;
  /** first-field key → one id key, or a set of them (most keys have a single owner). */
  private readonly lookup = new Map<string, string | Set<string>>();
  private readonly owners = new Map<string, string>();

  constructor(spec: Doc) {
    const key = spec.key as Doc;
    if (!key || typeof key !== 'object' || Object.keys(key).length === 0) {
      throw new CommandError(ErrorCodes.BadValue, 'Index key pattern must be a non-empty object');
    }
    for (const [field, dir] of Object.entries(key)) {
      if (typeof dir === 'string' && UNSUPPORTED_INDEX_TYPES.has(dir)) {
        throw new CommandError(ErrorCodes.NotImplemented, `Index type '${dir}' on '${field}' is not supported by the embedded server (no geo search)`);
      }
    }
    if (isTextKey(key)) {
      const option = TEXT_UNSUPPORTED_OPTIONS.find((o) => spec[o] !== undefined && spec[o] !== false);
      if (option) throw new CommandError(ErrorCodes.NotImplemented, `text indexes with '${option}' are not supported by the embedded server`);
      spec = normalizeTextSpec(spec);
      this.text = new TextSpec(spec);
    }
    const geoKey = geoKeyOf(key);
    if (geoKey) {
      spec = normalizeGeoSpec(spec, geoKey.type);
      this.geo = new GeoIndexSpec(spec, geoKey.field, geoKey.type);
    }
    this.spec = spec;
    this.name = typeof spec.name === 'string' ? spec.name : defaultIndexName(key);
    this.fields = Object.keys(spec.key as Doc);
    this.unique = spec.unique === true;
    this.sparse = spec.sparse === true;
    this.partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression as Doc, {}) : undefined;
    this.expireAfterSeconds = typeof spec.expireAfterSeconds === 'number' ? spec.expireAfterSeconds : undefined;
  }

  /** Whether an equality filter on the first field may be answered by this index. */
  get servesLookups(): boolean {
    return !this.sparse && !this.partial && this.spec.hidden !== true && !this.text && !this.geo;
  }

  /** Throws as mongod does when a document cannot be indexed (a text language, a geo value). */
  check(doc: Doc): void {
    this.text?.check(doc);
    if (this.geo && this.covers(doc)) this.geo.check(doc);
  }

  private covers(doc: Doc): boolean {
    if (this.partial && !this.partial.test(doc)) return false;
    if (this.sparse && this.fields.every((f) => valuesAtPath(doc, f).length === 0)) return false;
    return true;
  }

  private uniqueKeys(doc: Doc): string[] {
    let keys = [''];
    for (const field of this.fields) {
      const next: string[] = [];
      for (const prefix of keys) for (const v of keysOf(doc, field)) next.push(prefix + '\u0001' + valueKey(v));
      keys = [...new Set(next)];
    }
    return keys;
  }

  private lookupKeys(doc: Doc): string[] {
    const keys = new Set<string>();
    const values = valuesAtPath(doc, this.fields[0]!);
    if (values.length === 0) keys.add(valueKey(null));
    for (const value of values) {
      keys.add(valueKey(value));
      if (Array.isArray(value)) for (const item of value) keys.add(valueKey(item));
    }
    return [...keys];
  }

  /** The keys a document takes in this unique index (none when not unique or not covered). */
  uniqueKeysOf(doc: Doc): string[] {
    return this.unique && this.covers(doc) ? this.uniqueKeys(doc) : [];
  }

  /** The id key of the stored document holding a unique key, if any. */
  ownerOf(key: string): string | undefined {
    return this.owners.get(key);
  }

  /** The document's key as a duplicate-key error reports it: `{ email: "a" }`. */
  keyValueOf(doc: Doc): Doc {
    const keyValue: Doc = {};
    for (const field of this.fields) keyValue[field] = keysOf(doc, field)[0] ?? null;
    return keyValue;
  }

  /** The key value of the first conflicting document, or undefined when `doc` may be stored. */
  findConflict(doc: Doc, idKey: string): Doc | undefined {
    for (const key of this.uniqueKeysOf(doc)) {
      const owner = this.owners.get(key);
      if (owner !== undefined && owner !== idKey) return this.keyValueOf(doc);
    }
    return undefined;
  }

  /** Records a stored document. */
  add(doc: Doc, idKey: string): void {
    if (this.servesLookups) {
      for (const key of this.lookupKeys(doc)) {
        const current = this.lookup.get(key);
        if (current === undefined) this.lookup.set(key, idKey);
        else if (typeof current === 'string') {
          if (current !== idKey) this.lookup.set(key, new Set([current, idKey]));
        } else current.add(idKey);
      }
    }
    if (this.unique && this.covers(doc)) for (const key of this.uniqueKeys(doc)) this.owners.set(key, idKey);
  }

  /** Forgets a stored document. */
  remove(doc: Doc, idKey: string): void {
    if (this.servesLookups) {
      for (const key of this.lookupKeys(doc)) {
        const current = this.lookup.get(key);
        if (current === idKey) this.lookup.delete(key);
        else if (current instanceof Set) {
          current.delete(idKey);
          if (current.size === 1) this.lookup.set(key, current.values().next().value as string);
        }
      }
    }
    if (this.unique && this.covers(doc)) {
      for (const key of this.uniqueKeys(doc)) if (this.owners.get(key) === idKey) this.owners.delete(key);
    }
  }

  /** Id keys of documents whose first field equals (or contains) the value. */
  idsFor(value: unknown): Iterable<string> {
    const found = this.lookup.get(valueKey(value));
    if (found === undefined) return [];
    return typeof found === 'string' ? [found] : found;
  }
}

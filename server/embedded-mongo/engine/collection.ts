import { ObjectId } from 'bson';
import { CommandError, ErrorCodes } from '../errors.ts';
import type { Doc } from '../documents.ts';
import { valueKey } from '../value-key.ts';
import { ID_INDEX_SPEC, SecondaryIndex } from './indexes.ts';

/** A unique-index violation, in the shape Mongoose reads from a write error. */
export interface DuplicateKey {
  indexName: string;
  keyPattern: Doc;
  keyValue: Doc;
}

/** One collection held in memory: documents by `_id` key, in insertion order, plus indexes. */
export class Collection {
  readonly db: string;
  readonly name: string;
  options: Doc;
  readonly docs = new Map<string, Doc>();
  readonly indexes: SecondaryIndex[] = [];

  constructor(db: string, name: string, options: Doc = {}) {
    this.db = db;
    this.name = name;
    this.options = options;
  }

  /** `db.collection`, as MongoDB names a namespace. */
  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  /** Index specs as listIndexes reports them, `_id_` first. */
  indexSpecs(): Doc[] {
    return [ID_INDEX_SPEC, ...this.indexes.map((i) => i.spec)];
  }

  /** Stores or replaces a document; callers check uniqueness first. */
  put(idKey: string, doc: Doc): void {
    const old = this.docs.get(idKey);
    if (old) for (const index of this.indexes) index.remove(old, idKey);
    for (const index of this.indexes) index.add(doc, idKey);
    this.docs.set(idKey, doc);
  }

  /** Removes a document by its `_id` key. */
  remove(idKey: string): void {
    const old = this.docs.get(idKey);
    if (!old) return;
    for (const index of this.indexes) index.remove(old, idKey);
    this.docs.delete(idKey);
  }

  /**
   * Fills a new index from the current documents without attaching it, so a failure (or a
   * commit that fails later) leaves the collection untouched.
   */
  buildIndex(index: SecondaryIndex): void {
    for (const [idKey, doc] of this.docs) {
      index.check(doc);
      const conflict = index.findConflict(doc, idKey);
      if (conflict) {
        throw new CommandError(ErrorCodes.DuplicateKey, duplicateMessage(this.ns, index.name, conflict), {
          keyPattern: index.spec.key,
          keyValue: conflict,
        });
      }
      index.add(doc, idKey);
    }
  }

  /** Makes a built index part of the collection. */
  attachIndex(index: SecondaryIndex): void {
    this.indexes.push(index);
  }

  /** Removes an index by name. */
  dropIndex(name: string): void {
    const at = this.indexes.findIndex((i) => i.name === name);
    if (at >= 0) this.indexes.splice(at, 1);
  }

  /** Looks one document up by its `_id`. */
  getById(id: unknown): Doc | undefined {
    return this.docs.get(valueKey(id));
  }
}

function formatKeyValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (value instanceof ObjectId) return `ObjectId('${value.toHexString()}')`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The E11000 message in mongod's words, which some clients parse. */
export function duplicateMessage(ns: string, indexName: string, keyValue: Doc): string {
  const parts = Object.entries(keyValue).map(([k, v]) => `${k}: ${formatKeyValue(v)}`);
  return `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: { ${parts.join(', ')} }`;
}

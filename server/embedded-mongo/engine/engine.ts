import { deserialize, serialize } from 'bson';
import type { Options } from 'mingo/types';
import { CommandError, ErrorCodes } from '../errors.ts';
import { clonePlain, type Doc } from '../documents.ts';
import type { Store, StoreOp } from '../storage/store.ts';
import { valueKey } from '../value-key.ts';
import { Collection } from './collection.ts';
import { CursorRegistry } from './cursors.ts';
import { SecondaryIndex } from './indexes.ts';
import { mingoOptions } from './query.ts';

/**
 * BSON decoding used everywhere: numbers become JS numbers so mingo can compare them. The
 * price: a Double holding a whole number (2.0) is stored and returned as an integer (2).
 */
export const DECODE_OPTIONS = { promoteValues: true, promoteLongs: true, promoteBuffers: false } as const;

/** Decodes one BSON document the way the engine stores it. */
export function decodeDoc(bytes: Uint8Array): Doc {
  return deserialize(bytes, DECODE_OPTIONS) as Doc;
}

/**
 * The changes of one write command. They are applied to memory as the command runs (it runs
 * synchronously, so nothing else can observe them) and recorded with an undo step; the
 * engine then commits them to storage in one transaction and undoes them if that fails.
 */
export class WriteTx {
  readonly ops: StoreOp[] = [];
  private readonly undo: (() => void)[] = [];
  private readonly engine: Engine;

  constructor(engine: Engine) {
    this.engine = engine;
  }

  /** Stores (inserts or replaces) a document. */
  putDoc(coll: Collection, doc: Doc): void {
    const idKey = valueKey(doc._id);
    const old = coll.docs.get(idKey);
    coll.put(idKey, doc);
    this.undo.push(() => (old ? coll.put(idKey, old) : coll.remove(idKey)));
    this.ops.push({ kind: 'putDoc', ns: coll.ns, id: idKey, bson: serialize(doc) });
  }

  /** Deletes a document. */
  deleteDoc(coll: Collection, doc: Doc): void {
    const idKey = valueKey(doc._id);
    coll.remove(idKey);
    this.undo.push(() => coll.put(idKey, doc));
    this.ops.push({ kind: 'deleteDoc', ns: coll.ns, id: idKey });
  }

  /** Returns the collection, creating it (and recording that) when missing. */
  collection(db: string, name: string, options: Doc = {}): Collection {
    const existing = this.engine.getCollection(db, name);
    if (existing) return existing;
    assertValidName(db, name);
    const coll = new Collection(db, name, options);
    this.engine.collections.set(coll.ns, coll);
    this.undo.push(() => this.engine.collections.delete(coll.ns));
    this.ops.push({ kind: 'putCollection', ns: coll.ns, options: serialize({ db, name, options }) });
    return coll;
  }

  /** Drops a collection with its documents and indexes. */
  dropCollection(coll: Collection): void {
    this.engine.collections.delete(coll.ns);
    this.undo.push(() => this.engine.collections.set(coll.ns, coll));
    this.ops.push({ kind: 'dropCollection', ns: coll.ns });
  }

  /** Adds an index, building it over the existing documents. */
  addIndex(coll: Collection, index: SecondaryIndex): void {
    coll.addIndex(index);
    this.undo.push(() => coll.dropIndex(index.name));
    this.ops.push({ kind: 'putIndex', ns: coll.ns, name: index.name, spec: serialize(index.spec) });
  }

  /** Replaces an index spec in place (collMod of expireAfterSeconds). */
  replaceIndex(coll: Collection, old: SecondaryIndex, next: SecondaryIndex): void {
    coll.dropIndex(old.name);
    coll.addIndex(next);
    this.undo.push(() => {
      coll.dropIndex(next.name);
      coll.addIndex(old);
    });
    this.ops.push({ kind: 'putIndex', ns: coll.ns, name: next.name, spec: serialize(next.spec) });
  }

  /** Drops an index by name. */
  dropIndex(coll: Collection, index: SecondaryIndex): void {
    coll.dropIndex(index.name);
    this.undo.push(() => coll.addIndex(index));
    this.ops.push({ kind: 'dropIndex', ns: coll.ns, name: index.name });
  }

  /** A point to undo back to when one statement of a batch fails. */
  savepoint(): { undo: number; ops: number } {
    return { undo: this.undo.length, ops: this.ops.length };
  }

  /** Undoes the changes made since a savepoint, in memory and in the pending ops. */
  rollbackTo(mark: { undo: number; ops: number }): void {
    for (let i = this.undo.length - 1; i >= mark.undo; i--) this.undo[i]!();
    this.undo.length = mark.undo;
    this.ops.length = mark.ops;
  }

  /** Reverts memory to how it was before the command. */
  rollback(): void {
    this.rollbackTo({ undo: 0, ops: 0 });
  }
}

function assertValidName(db: string, name: string): void {
  if (!db || /[/\\. "$]/.test(db)) throw new CommandError(ErrorCodes.InvalidNamespace, `Invalid database name: '${db}'`);
  if (!name || name.includes('$') || name.startsWith('system.')) {
    throw new CommandError(ErrorCodes.InvalidNamespace, `Invalid collection name: '${name}'`);
  }
}

/** All databases' collections in memory, the open cursors, and the store behind them. */
export class Engine {
  readonly collections = new Map<string, Collection>();
  readonly cursors = new CursorRegistry();
  private readonly store: Store;
  private readonly optionsByDb = new Map<string, Partial<Options>>();
  private readonly copyingOptionsByDb = new Map<string, Partial<Options>>();

  constructor(store: Store) {
    this.store = store;
  }

  /** Loads every collection, index and document from the store. */
  load(): number {
    let count = 0;
    for (const row of this.store.loadCollections()) {
      const meta = decodeDoc(row.options) as { db: string; name: string; options: Doc };
      const coll = new Collection(meta.db, meta.name, meta.options);
      for (const bytes of this.store.loadDocuments(row.ns)) {
        const doc = decodeDoc(bytes);
        coll.docs.set(valueKey(doc._id), doc);
        count++;
      }
      for (const spec of row.indexes) coll.addIndex(new SecondaryIndex(decodeDoc(spec)));
      this.collections.set(coll.ns, coll);
    }
    return count;
  }

  /** A collection, or undefined when it does not exist. */
  getCollection(db: string, name: string): Collection | undefined {
    return this.collections.get(`${db}.${name}`);
  }

  /** Collections of one database. */
  collectionsOf(db: string): Collection[] {
    return [...this.collections.values()].filter((c) => c.db === db);
  }

  /** Names of the databases that hold at least one collection. */
  databaseNames(): string[] {
    return [...new Set([...this.collections.values()].map((c) => c.db))];
  }

  /**
   * Mingo options for a database (cached), with command-level `let` variables when given.
   * With `copy`, `$lookup` sees copies of the joined documents, for pipelines that edit them.
   */
  options(db: string, variables?: Doc, copy = false): Partial<Options> {
    const cache = copy ? this.copyingOptionsByDb : this.optionsByDb;
    let base = cache.get(db);
    if (!base) {
      const docsOf = (name: string): Doc[] => [...(this.getCollection(db, name)?.docs.values() ?? [])];
      base = mingoOptions(copy ? (name) => docsOf(name).map(clonePlain) : docsOf);
      cache.set(db, base);
    }
    return variables ? { ...base, variables } : base;
  }

  /** Runs a write command: changes memory, commits them as one transaction, undoes on failure. */
  write<T>(run: (tx: WriteTx) => T): T {
    const tx = new WriteTx(this);
    let result: T;
    try {
      result = run(tx);
      this.store.commit(tx.ops);
    } catch (err) {
      tx.rollback();
      throw err;
    }
    return result;
  }

  /** Deletes documents whose TTL index date has passed; returns how many. */
  sweepExpired(now = Date.now()): number {
    let removed = 0;
    this.write((tx) => {
      for (const coll of [...this.collections.values()]) {
        for (const index of coll.indexes) {
          if (index.expireAfterSeconds === undefined || index.fields.length !== 1) continue;
          const field = index.fields[0]!;
          const limit = now - index.expireAfterSeconds * 1000;
          for (const doc of [...coll.docs.values()]) {
            const value = doc[field];
            const dates = (Array.isArray(value) ? value : [value]).filter((v): v is Date => v instanceof Date);
            if (dates.length > 0 && Math.min(...dates.map((d) => d.getTime())) <= limit) {
              tx.deleteDoc(coll, doc);
              removed++;
            }
          }
        }
      }
    });
    return removed;
  }

  /** Closes the store. */
  close(): void {
    this.store.close();
  }
}

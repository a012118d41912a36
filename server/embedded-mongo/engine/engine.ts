import { deserialize } from 'bson';
import type { Options } from 'mingo/types';
import { clonePlain, deepFreeze, type Doc } from '../documents.ts';
import type { Store } from '../storage/store.ts';
import { valueKey } from '../value-key.ts';
import { Collection } from './collection.ts';
import { CursorRegistry } from './cursors.ts';
import { SecondaryIndex } from './indexes.ts';
import { Planner } from './planner.ts';
import { mingoOptions } from './query.ts';
import { WriteTx } from './write-tx.ts';

/**
 * BSON decoding used everywhere: numbers become JS numbers so mingo can compare them. The
 * price: a Double holding a whole number (2.0) is stored and returned as an integer (2).
 */
export const DECODE_OPTIONS = { promoteValues: true, promoteLongs: true, promoteBuffers: false } as const;

/** Decodes one BSON document the way the engine stores it. */
export function decodeDoc(bytes: Uint8Array): Doc {
  return deserialize(bytes, DECODE_OPTIONS) as Doc;
}

/** How the engine plans and checks its work. */
export interface EngineOptions {
  /** false: every query, pipeline and update takes mingo's general path (default true). */
  fastPaths?: boolean;
  /** Deep-freezes stored documents so code that edits one in place throws (for tests). */
  freezeDocuments?: boolean;
}

/** All databases' collections in memory, the open cursors, and the store behind them. */
export class Engine {
  readonly collections = new Map<string, Collection>();
  readonly cursors = new CursorRegistry();
  readonly planner: Planner;
  readonly freezeDocuments: boolean;
  private readonly store: Store;
  private readonly optionsByDb = new Map<string, Partial<Options>>();
  private readonly copyingOptionsByDb = new Map<string, Partial<Options>>();

  constructor(store: Store, opts: EngineOptions = {}) {
    this.store = store;
    this.planner = new Planner(opts.fastPaths ?? true);
    this.freezeDocuments = opts.freezeDocuments ?? false;
  }

  /** Loads every collection, index and document from the store. */
  load(): number {
    let count = 0;
    for (const row of this.store.loadCollections()) {
      const meta = decodeDoc(row.options) as { db: string; name: string; options: Doc };
      const coll = new Collection(meta.db, meta.name, meta.options);
      for (const bytes of this.store.loadDocuments(row.ns)) {
        const doc = decodeDoc(bytes);
        if (this.freezeDocuments) deepFreeze(doc);
        coll.docs.set(valueKey(doc._id), doc);
        count++;
      }
      for (const spec of row.indexes) {
        const index = new SecondaryIndex(decodeDoc(spec));
        coll.buildIndex(index);
        coll.attachIndex(index);
      }
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

  /**
   * Runs a write command: its changes are staged, committed to storage as one transaction, and
   * only then applied to memory; if anything fails first, memory is untouched.
   */
  write<T>(run: (tx: WriteTx) => T): T {
    const tx = new WriteTx(this);
    const result = run(tx);
    this.store.commit(tx.ops);
    tx.apply();
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

import { serialize } from 'bson';
import { CommandError, ErrorCodes } from '../errors.ts';
import { deepFreeze, type Doc } from '../documents.ts';
import type { StoreOp } from '../storage/store.ts';
import { valueKey } from '../value-key.ts';
import { Collection, type DuplicateKey } from './collection.ts';
import type { SecondaryIndex } from './indexes.ts';
import { assertValid } from './collection-options.ts';
import type { Planner } from './planner.ts';
import type { Matcher } from './query.ts';

/** What a write transaction needs from the engine: its catalog of collections. */
export interface Catalog {
  readonly collections: Map<string, Collection>;
  readonly planner: Planner;
  readonly freezeDocuments: boolean;
}

/** Where a statement of a batch started, to undo just that statement when it fails. */
export interface Savepoint {
  undo: number;
  ops: number;
  apply: number;
}

function assertValidName(db: string, name: string): void {
  if (!db || /[/\\. "$]/.test(db)) throw new CommandError(ErrorCodes.InvalidNamespace, `Invalid database name: '${db}'`);
  if (!name || name.includes('$') || name.startsWith('system.')) {
    throw new CommandError(ErrorCodes.InvalidNamespace, `Invalid collection name: '${name}'`);
  }
}

/**
 * The changes of one write command, staged beside the committed data: reads inside the command
 * see them, nothing else does. The engine commits `ops` to storage in one transaction and only
 * then calls `apply()`, which changes memory; a failed command or commit leaves memory as it was.
 */
export class WriteTx {
  readonly ops: StoreOp[] = [];
  private readonly catalog: Catalog;
  private readonly applySteps: (() => void)[] = [];
  /** Undo steps for the staging maps only (memory is untouched until apply). */
  private readonly undo: (() => void)[] = [];
  private readonly stagedDocs = new Map<Collection, Map<string, Doc | null>>();
  private readonly stagedKeys = new Map<SecondaryIndex, Map<string, string>>();
  private readonly stagedIndexes = new Map<Collection, SecondaryIndex[]>();
  private readonly newCollections = new Map<string, Collection>();
  private readonly droppedCollections = new Set<string>();

  constructor(catalog: Catalog) {
    this.catalog = catalog;
  }

  /** A collection as this command sees it (including one it created or dropped), or undefined. */
  getCollection(db: string, name: string): Collection | undefined {
    const ns = `${db}.${name}`;
    if (this.droppedCollections.has(ns)) return undefined;
    return this.newCollections.get(ns) ?? this.catalog.collections.get(ns);
  }

  /** Returns the collection, creating it (on commit) when missing. */
  collection(db: string, name: string, options: Doc = {}): Collection {
    const existing = this.getCollection(db, name);
    if (existing) return existing;
    assertValidName(db, name);
    const coll = new Collection(db, name, options);
    const ns = coll.ns;
    this.newCollections.set(ns, coll);
    this.undo.push(() => this.newCollections.delete(ns));
    this.ops.push({ kind: 'putCollection', ns, options: serialize({ db, name, options }) });
    this.applySteps.push(() => this.catalog.collections.set(ns, coll));
    return coll;
  }

  /** A document by `_id` key as this command sees it. */
  getDoc(coll: Collection, idKey: string): Doc | undefined {
    const staged = this.stagedDocs.get(coll);
    if (staged?.has(idKey)) return staged.get(idKey) ?? undefined;
    return coll.docs.get(idKey);
  }

  /** Documents matching a filter as this command sees them: committed ones, then staged ones. */
  *matching(coll: Collection, query: Matcher, filter: Doc | undefined): Generator<Doc> {
    const staged = this.stagedDocs.get(coll);
    const hasStaged = staged !== undefined && staged.size > 0;
    for (const doc of this.catalog.planner.candidates(coll, filter)) {
      if (hasStaged && staged.has(valueKey(doc._id))) continue;
      if (query.test(doc)) yield doc;
    }
    if (hasStaged) for (const doc of [...staged.values()]) if (doc && query.test(doc)) yield doc;
  }

  /** The first unique index (including `_id`) that storing `doc` would violate. */
  findDuplicate(coll: Collection, doc: Doc, idKey: string, isNew: boolean): DuplicateKey | undefined {
    if (isNew && this.getDoc(coll, idKey) !== undefined) {
      return { indexName: '_id_', keyPattern: { _id: 1 }, keyValue: { _id: doc._id } };
    }
    const staged = this.stagedDocs.get(coll);
    for (const index of coll.indexes) {
      const keys = index.uniqueKeysOf(doc);
      if (keys.length === 0) continue;
      const stagedOwners = this.stagedKeys.get(index);
      for (const key of keys) {
        const stagedOwner = stagedOwners?.get(key);
        // A committed owner that this command changed or deleted no longer holds its old keys.
        const owner = stagedOwner ?? index.ownerOf(key);
        const stillHeld = stagedOwner !== undefined || (owner !== undefined && !staged?.has(owner));
        if (owner !== undefined && owner !== idKey && stillHeld) {
          return { indexName: index.name, keyPattern: index.spec.key as Doc, keyValue: index.keyValueOf(doc) };
        }
      }
    }
    return undefined;
  }

  private stage(coll: Collection, idKey: string, doc: Doc | null): void {
    let staged = this.stagedDocs.get(coll);
    if (!staged) {
      staged = new Map();
      this.stagedDocs.set(coll, staged);
    }
    const had = staged.has(idKey);
    const previous = staged.get(idKey);
    for (const index of coll.indexes) {
      if (!index.unique) continue;
      let owners = this.stagedKeys.get(index);
      if (!owners) {
        owners = new Map();
        this.stagedKeys.set(index, owners);
      }
      const map = owners;
      if (previous) {
        for (const key of index.uniqueKeysOf(previous)) {
          if (map.get(key) !== idKey) continue;
          map.delete(key);
          this.undo.push(() => map.set(key, idKey));
        }
      }
      if (doc) {
        for (const key of index.uniqueKeysOf(doc)) {
          const before = map.get(key);
          map.set(key, idKey);
          this.undo.push(() => (before === undefined ? map.delete(key) : map.set(key, before)));
        }
      }
    }
    const target = staged;
    target.set(idKey, doc);
    this.undo.push(() => (had ? target.set(idKey, previous ?? null) : target.delete(idKey)));
  }

  /** Stores (inserts or replaces) a document. */
  putDoc(coll: Collection, doc: Doc): void {
    const idKey = valueKey(doc._id);
    assertValid(coll, doc, this.getDoc(coll, idKey));
    // A text index refuses a document whose language override is not a language (17261, 17262), a geo index one whose location is not a geometry (16755, 16804), as mongod does.
    for (const index of this.indexesOf(coll)) index.check(doc);
    if (this.catalog.freezeDocuments) deepFreeze(doc);
    this.stage(coll, idKey, doc);
    this.ops.push({ kind: 'putDoc', ns: coll.ns, id: idKey, bson: serialize(doc) });
    this.applySteps.push(() => coll.put(idKey, doc));
  }

  /** Deletes a document. */
  deleteDoc(coll: Collection, doc: Doc): void {
    const idKey = valueKey(doc._id);
    this.stage(coll, idKey, null);
    this.ops.push({ kind: 'deleteDoc', ns: coll.ns, id: idKey });
    this.applySteps.push(() => coll.remove(idKey));
  }

  /** Replaces a collection's options (collMod of its validator). */
  setOptions(coll: Collection, options: Doc): void {
    this.ops.push({ kind: 'putCollection', ns: coll.ns, options: serialize({ db: coll.db, name: coll.name, options }) });
    this.applySteps.push(() => {
      coll.options = options;
    });
  }

  /** Drops a collection with its documents and indexes. */
  dropCollection(coll: Collection): void {
    this.droppedCollections.add(coll.ns);
    this.undo.push(() => this.droppedCollections.delete(coll.ns));
    this.ops.push({ kind: 'dropCollection', ns: coll.ns });
    this.applySteps.push(() => this.catalog.collections.delete(coll.ns));
  }

  /** Indexes of a collection including those this command is adding. */
  indexesOf(coll: Collection): SecondaryIndex[] {
    return [...coll.indexes, ...(this.stagedIndexes.get(coll) ?? [])];
  }

  /** Adds an index, built now over the committed documents and attached on commit. */
  addIndex(coll: Collection, index: SecondaryIndex): void {
    coll.buildIndex(index);
    const pending = this.stagedIndexes.get(coll) ?? [];
    this.stagedIndexes.set(coll, [...pending, index]);
    this.undo.push(() => this.stagedIndexes.set(coll, pending));
    this.ops.push({ kind: 'putIndex', ns: coll.ns, name: index.name, spec: serialize(index.spec) });
    this.applySteps.push(() => coll.attachIndex(index));
  }

  /** Replaces an index spec (collMod of expireAfterSeconds). */
  replaceIndex(coll: Collection, old: SecondaryIndex, next: SecondaryIndex): void {
    coll.buildIndex(next);
    this.ops.push({ kind: 'putIndex', ns: coll.ns, name: next.name, spec: serialize(next.spec) });
    this.applySteps.push(() => {
      coll.dropIndex(old.name);
      coll.attachIndex(next);
    });
  }

  /** Drops an index by name. */
  dropIndex(coll: Collection, index: SecondaryIndex): void {
    this.ops.push({ kind: 'dropIndex', ns: coll.ns, name: index.name });
    this.applySteps.push(() => coll.dropIndex(index.name));
  }

  /** A point to return to when one statement of a batch fails. */
  savepoint(): Savepoint {
    return { undo: this.undo.length, ops: this.ops.length, apply: this.applySteps.length };
  }

  /** Forgets the changes staged since a savepoint. */
  rollbackTo(mark: Savepoint): void {
    for (let i = this.undo.length - 1; i >= mark.undo; i--) this.undo[i]!();
    this.undo.length = mark.undo;
    this.ops.length = mark.ops;
    this.applySteps.length = mark.apply;
  }

  /** Changes memory to match what was just committed. */
  apply(): void {
    for (const step of this.applySteps) step();
  }
}

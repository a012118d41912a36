/** One change inside a write transaction, as the storage layer records it. */
export type StoreOp =
  | { kind: 'putDoc'; ns: string; id: string; bson: Uint8Array }
  | { kind: 'deleteDoc'; ns: string; id: string }
  | { kind: 'putCollection'; ns: string; options: Uint8Array }
  | { kind: 'dropCollection'; ns: string }
  | { kind: 'putIndex'; ns: string; name: string; spec: Uint8Array }
  | { kind: 'dropIndex'; ns: string; name: string };

/** A stored document named by its collection and `_id` key (see value-key.ts). */
export interface StoredDocRef {
  ns: string;
  id: string;
  /** Why it cannot be read. */
  reason: string;
}

/** What the engine needs from durable storage: load everything once, then commit batches. */
export interface Store {
  /** Every collection with its options, indexes and documents, in insertion order. */
  loadCollections(): Iterable<{ ns: string; options: Uint8Array; indexes: Uint8Array[] }>;
  /** The BSON of every document of a collection, in insertion order. */
  loadDocuments(ns: string): Iterable<Uint8Array>;
  /** Applies the ops as one transaction; returns only after it is committed. */
  commit(ops: StoreOp[]): void;
  /** Documents whose BSON does not parse (a full scan: only for when loading failed). */
  unreadableDocuments(): StoredDocRef[];
  /** Moves these documents to the quarantine table in one transaction; returns how many moved. */
  quarantine(refs: StoredDocRef[]): number;
  /** Releases the file and the lock. */
  close(): void;
}

/** The store for in-memory mode: nothing to load, nothing written, no files. */
export function createMemoryStore(): Store {
  return {
    loadCollections: () => [],
    loadDocuments: () => [],
    commit: () => undefined,
    unreadableDocuments: () => [],
    quarantine: () => 0,
    close: () => undefined,
  };
}

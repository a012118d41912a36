import { Long } from 'bson';
import type { Doc } from '../documents.ts';

interface OpenCursor {
  ns: string;
  docs: Doc[];
  position: number;
  lastUsed: number;
}

const IDLE_TIMEOUT_MS = 10 * 60_000;
/** Stay under the 16 MiB reply limit with room for the envelope. */
const MAX_BATCH_BYTES = 15 * 1024 * 1024;

/** Open cursors of find and aggregate, each holding the rest of its results. */
export class CursorRegistry {
  private readonly cursors = new Map<string, OpenCursor>();
  private nextId = BigInt(Date.now()) * 1000n;

  /** Returns the first batch and a cursor id (0 when everything fitted). */
  open(ns: string, docs: Doc[], batchSize: number | undefined, sizeOf: (d: Doc) => number): { batch: Doc[]; id: Long } {
    const batch = takeBatch(docs, 0, batchSize ?? 101, sizeOf);
    if (batch.length >= docs.length) return { batch, id: Long.ZERO };
    this.sweepIdle();
    this.nextId += 1n;
    const id = Long.fromBigInt(this.nextId);
    this.cursors.set(id.toString(), { ns, docs, position: batch.length, lastUsed: Date.now() });
    return { batch, id };
  }

  /** The next batch of a cursor, or undefined when the id is unknown or names another collection. */
  more(ns: string, id: Long, batchSize: number | undefined, sizeOf: (d: Doc) => number): { batch: Doc[]; id: Long } | undefined {
    const key = id.toString();
    const cursor = this.cursors.get(key);
    if (!cursor || cursor.ns !== ns) return undefined;
    const batch = takeBatch(cursor.docs, cursor.position, batchSize && batchSize > 0 ? batchSize : Infinity, sizeOf);
    cursor.position += batch.length;
    cursor.lastUsed = Date.now();
    if (cursor.position >= cursor.docs.length) {
      this.cursors.delete(key);
      return { batch, id: Long.ZERO };
    }
    return { batch, id };
  }

  /** Closes a cursor; false when it was not open. */
  kill(id: Long): boolean {
    return this.cursors.delete(id.toString());
  }

  /** Number of open cursors (for serverStatus). */
  get size(): number {
    return this.cursors.size;
  }

  private sweepIdle(): void {
    const cutoff = Date.now() - IDLE_TIMEOUT_MS;
    for (const [key, cursor] of this.cursors) if (cursor.lastUsed < cutoff) this.cursors.delete(key);
  }
}

function takeBatch(docs: Doc[], from: number, count: number, sizeOf: (d: Doc) => number): Doc[] {
  const end = Math.min(docs.length, from + count);
  const batch: Doc[] = [];
  let bytes = 0;
  for (let i = from; i < end; i++) {
    const doc = docs[i]!;
    bytes += sizeOf(doc);
    if (bytes > MAX_BATCH_BYTES && batch.length > 0) break;
    batch.push(doc);
  }
  return batch;
}

import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { SourceFormat, SplitDocument } from './extract/index.ts';

/** A document read for the preview and not yet saved. */
export interface PendingSource {
  ownerId: string;
  format: SourceFormat;
  title: string;
  description: string;
  doc: SplitDocument;
}

/**
 * Previews waiting to be saved, per app: bounded in number and age, so abandoned previews cost
 * nothing for long. Saving reuses the read document instead of reading the file again.
 */
export function createPendingSources(max = 50, ttlMs = 30 * 60_000) {
  const cache = new LRUCache<string, PendingSource>({ max, ttl: ttlMs });
  return {
    put(p: PendingSource): string {
      const id = randomUUID();
      cache.set(id, p);
      return id;
    },
    /** The preview, only for the person who made it. */
    take(id: string, ownerId: string): PendingSource | undefined {
      const p = cache.get(id);
      if (!p || p.ownerId !== ownerId) return undefined;
      cache.delete(id);
      return p;
    },
  };
}

import DataLoader from 'dataloader';
import { currentScope, scopePart } from './app-scope.ts';

/** Batches of one read in flight at a time; keys asked for meanwhile wait and go together next. */
const MAX_IN_FLIGHT = 1;

/**
 * A read that requests arriving together share. While a batch of this read is on its way to
 * the database, the keys other requests ask for are collected, and go as the next batch when
 * it returns (group commit): under load, many requests' reads of the same kind cost one round
 * trip; a lone request's read goes at once. Nothing is cached, so each batch reads afresh, as
 * each request would have.
 *
 * `read` gets the distinct keys (by `keyOf`) and returns the value of each, by key. Each app
 * instance has its own loader (app-scope.ts): requests of two apps never share a batch.
 */
export function sharedRead<K, V>(read: (keys: K[]) => Promise<Map<string, V>>, keyOf: (key: K) => string, missing: V): (key: K) => Promise<V> {
  const part = scopePart('shared read', () => sharedReadLoader(read, keyOf, missing));
  return (key) => currentScope().get(part).load(key);
}

function sharedReadLoader<K, V>(read: (keys: K[]) => Promise<Map<string, V>>, keyOf: (key: K) => string, missing: V): DataLoader<K, V> {
  let inFlight = 0;
  const waiting: Array<() => void> = [];
  const loader = new DataLoader<K, V>(
    async (keys) => {
      inFlight++;
      try {
        const distinct = new Map<string, K>();
        for (const key of keys) distinct.set(keyOf(key), key);
        const values = await read([...distinct.values()]);
        return keys.map((key) => values.get(keyOf(key)) ?? missing);
      } finally {
        inFlight--;
        waiting.shift()?.();
      }
    },
    {
      cache: false,
      maxBatchSize: 500,
      // A new batch opens: send it after this tick's loads have joined it, or, when a batch is
      // already in flight, once that one is back.
      batchScheduleFn: (dispatch) => (inFlight < MAX_IN_FLIGHT ? process.nextTick(dispatch) : waiting.push(dispatch)),
    },
  );
  return loader;
}

import DataLoader from 'dataloader';

/**
 * A read that requests arriving together share. Keys asked for while one turn of the event
 * loop handles its I/O are collected until setImmediate, then `read` runs once for all of
 * them: under load, many requests' reads of the same kind cost one round trip to the
 * database; a lone request waits only until the end of its turn. Nothing is cached, so each
 * batch reads afresh, as each request would have.
 *
 * `read` gets the distinct keys (by `keyOf`) and returns the value of each, by key.
 */
export function sharedRead<K, V>(read: (keys: K[]) => Promise<Map<string, V>>, keyOf: (key: K) => string, missing: V): (key: K) => Promise<V> {
  const loader = new DataLoader<K, V>(
    async (keys) => {
      const distinct = new Map<string, K>();
      for (const key of keys) distinct.set(keyOf(key), key);
      const values = await read([...distinct.values()]);
      return keys.map((key) => values.get(keyOf(key)) ?? missing);
    },
    { cache: false, batchScheduleFn: (run) => setImmediate(run), maxBatchSize: 500 },
  );
  return (key) => loader.load(key);
}

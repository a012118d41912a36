import { Engine, type EngineOptions } from '../engine/engine.ts';
import { describeIdKey } from './startup-checks.ts';
import type { Store, StoredDocRef } from './store.ts';

const SHOWN = 10;

function list(refs: StoredDocRef[]): string {
  const shown = refs.slice(0, SHOWN).map((r) => `${r.ns} _id ${describeIdKey(r.id)} (${r.reason})`);
  if (refs.length > SHOWN) shown.push(`and ${refs.length - SHOWN} more`);
  return shown.join('; ');
}

/**
 * Loads the store into a new engine. When loading fails, the documents whose BSON does not
 * parse are named (collection and `_id`); with `quarantine` they are moved to the quarantine
 * table of the same file (kept, not deleted), reported through `warn`, and the load is retried
 * without them. A healthy start pays nothing for this: the scan runs only after a failure.
 */
export function loadEngine(
  store: Store,
  opts: { engineOptions?: EngineOptions; quarantine: boolean; where: string; warn: (obj: object, msg: string) => void },
): { engine: Engine; documents: number } {
  const engine = new Engine(store, opts.engineOptions);
  try {
    return { engine, documents: engine.load() };
  } catch (err) {
    const bad = store.unreadableDocuments();
    if (bad.length === 0) throw err;
    if (!opts.quarantine) {
      throw new Error(
        `Cannot load ${opts.where}: ${bad.length} document(s) cannot be read: ${list(bad)}. ` +
          'Restore the file from a backup, or start once with LECTERN_DB_QUARANTINE=1 to move them aside into the table "quarantine" of the same file (nothing is deleted) and start without them.',
        { cause: err },
      );
    }
    const moved = store.quarantine(bad);
    opts.warn(
      { moved, documents: bad.map((r) => ({ ns: r.ns, _id: describeIdKey(r.id), reason: r.reason })) },
      `moved ${moved} unreadable document(s) to the quarantine table: ${list(bad)}`,
    );
    const fresh = new Engine(store, opts.engineOptions);
    return { engine: fresh, documents: fresh.load() };
  }
}

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { deserialize } from 'bson';
import { lockDirectory } from './directory-lock.ts';
import { ensurePrivateDataDir, isNotWritable, notWritableError, refuseTruncatedFile } from './startup-checks.ts';
import type { Store, StoreOp, StoredDocRef } from './store.ts';

/** The database file's name in the data directory. */
export const DATABASE_FILE = 'lectern-embedded.sqlite';

/**
 * Durable storage in one SQLite file in WAL mode. synchronous=NORMAL with WAL makes every
 * committed transaction survive the process being killed (it is in the WAL before commit
 * returns); only an OS crash or power loss can lose the last transactions.
 */
export function openSqliteStore(dataDir: string): Store {
  const file = path.join(dataDir, DATABASE_FILE);
  let unlock: () => void;
  try {
    ensurePrivateDataDir(dataDir);
    unlock = lockDirectory(dataDir);
  } catch (err) {
    throw isNotWritable(err) ? notWritableError(file, dataDir, err) : err;
  }
  let db: Database.Database | undefined;
  try {
    const existed = fs.existsSync(file);
    refuseTruncatedFile(file, existed);
    db = openDatabase(file, existed);
  } catch (err) {
    db?.close();
    unlock();
    throw isNotWritable(err) ? notWritableError(file, dataDir, err) : err;
  }
  return storeOver(db, unlock);
}

/**
 * Opens the file and brings its schema up to date. Ends with a write, so that a read-only file
 * or file system is reported now rather than at the first write a user makes.
 */
function openDatabase(file: string, existed: boolean): Database.Database {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Checkpoints are the only writes that fsync in this mode; random updates dirty many pages,
    // so checkpoint less often (the WAL may grow to ~40 MB) and keep more pages cached.
    db.pragma('wal_autocheckpoint = 10000');
    db.pragma('cache_size = -65536');
    db.exec(`
      CREATE TABLE IF NOT EXISTS collections (ns TEXT PRIMARY KEY, options BLOB NOT NULL);
      CREATE TABLE IF NOT EXISTS indexes (ns TEXT NOT NULL, name TEXT NOT NULL, spec BLOB NOT NULL, PRIMARY KEY (ns, name));
      -- Keyed by (ns, id) in one B-tree, so an update rewrites one page; seq keeps insertion order.
      CREATE TABLE IF NOT EXISTS docs (ns TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, doc BLOB NOT NULL, PRIMARY KEY (ns, id)) WITHOUT ROWID;
      -- Documents moved aside at start because their BSON did not parse (LECTERN_DB_QUARANTINE=1).
      CREATE TABLE IF NOT EXISTS quarantine (ns TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, doc BLOB NOT NULL, moved_at TEXT NOT NULL, reason TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
    // Files written by the first version kept documents in a rowid table; move them over once.
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'documents'").get()) {
      db.transaction(() => {
        db.exec('INSERT OR REPLACE INTO docs (ns, id, seq, doc) SELECT ns, id, seq, doc FROM documents; DROP TABLE documents;');
      })();
    }
    db.prepare("INSERT INTO meta (key, value) VALUES ('last_start', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(new Date().toISOString());
    // A new file's pages are still only in the WAL: move them into the file, so that the file
    // is never empty once a start has succeeded (an empty file is refused as truncated).
    if (!existed) db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** Documents whose BSON does not parse, scanned only when loading failed. */
function unreadableDocuments(db: Database.Database): StoredDocRef[] {
  const bad: StoredDocRef[] = [];
  for (const row of db.prepare('SELECT ns, id, doc FROM docs').iterate() as Iterable<{ ns: string; id: string; doc: Buffer }>) {
    try {
      deserialize(row.doc, { promoteValues: true });
    } catch (err) {
      bad.push({ ns: row.ns, id: row.id, reason: (err as Error).message });
    }
  }
  return bad;
}

function storeOver(db: Database.Database, unlock: () => void): Store {
  // A new document gets the next seq; a replaced one keeps its own (the conflict clause skips seq).
  let seq = (db.prepare('SELECT MAX(seq) AS max FROM docs').get() as { max: number | null }).max ?? 0;
  const putDoc = db.prepare('INSERT INTO docs (ns, id, seq, doc) VALUES (?, ?, ?, ?) ON CONFLICT (ns, id) DO UPDATE SET doc = excluded.doc');
  const deleteDoc = db.prepare('DELETE FROM docs WHERE ns = ? AND id = ?');
  const putCollection = db.prepare('INSERT INTO collections (ns, options) VALUES (?, ?) ON CONFLICT (ns) DO UPDATE SET options = excluded.options');
  const dropCollection = db.prepare('DELETE FROM collections WHERE ns = ?');
  const dropCollectionIndexes = db.prepare('DELETE FROM indexes WHERE ns = ?');
  const dropCollectionDocs = db.prepare('DELETE FROM docs WHERE ns = ?');
  const putIndex = db.prepare('INSERT INTO indexes (ns, name, spec) VALUES (?, ?, ?) ON CONFLICT (ns, name) DO UPDATE SET spec = excluded.spec');
  const dropIndex = db.prepare('DELETE FROM indexes WHERE ns = ? AND name = ?');

  const apply = (op: StoreOp): void => {
    switch (op.kind) {
      case 'putDoc':
        putDoc.run(op.ns, op.id, ++seq, op.bson);
        break;
      case 'deleteDoc':
        deleteDoc.run(op.ns, op.id);
        break;
      case 'putCollection':
        putCollection.run(op.ns, op.options);
        break;
      case 'dropCollection':
        dropCollection.run(op.ns);
        dropCollectionIndexes.run(op.ns);
        dropCollectionDocs.run(op.ns);
        break;
      case 'putIndex':
        putIndex.run(op.ns, op.name, op.spec);
        break;
      case 'dropIndex':
        dropIndex.run(op.ns, op.name);
        break;
    }
  };
  const commitAll = db.transaction((ops: StoreOp[]) => {
    for (const op of ops) apply(op);
  });

  return {
    *loadCollections() {
      const rows = db.prepare('SELECT ns, options FROM collections').all() as { ns: string; options: Buffer }[];
      const indexRows = db.prepare('SELECT spec FROM indexes WHERE ns = ?');
      for (const row of rows) {
        const indexes = (indexRows.all(row.ns) as { spec: Buffer }[]).map((r) => r.spec);
        yield { ns: row.ns, options: row.options, indexes };
      }
    },
    *loadDocuments(ns) {
      for (const row of db.prepare('SELECT doc FROM docs WHERE ns = ? ORDER BY seq').iterate(ns)) {
        yield (row as { doc: Buffer }).doc;
      }
    },
    unreadableDocuments: () => unreadableDocuments(db),
    quarantine: db.transaction((refs: StoredDocRef[]) => {
      const move = db.prepare('INSERT INTO quarantine (ns, id, seq, doc, moved_at, reason) SELECT ns, id, seq, doc, ?, ? FROM docs WHERE ns = ? AND id = ?');
      const now = new Date().toISOString();
      let moved = 0;
      for (const ref of refs) {
        if (move.run(now, ref.reason, ref.ns, ref.id).changes === 0) continue;
        deleteDoc.run(ref.ns, ref.id);
        moved++;
      }
      return moved;
    }),
    commit(ops) {
      if (ops.length === 0) return;
      if (ops.length === 1) apply(ops[0]!);
      else commitAll(ops);
    },
    close() {
      try {
        db.close();
      } finally {
        unlock();
      }
    },
  };
}

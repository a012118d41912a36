import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** The lock: an SQLite database held in an exclusive transaction for as long as the server runs. */
export const LOCK_FILE = 'embedded-mongo.lock.sqlite';
/** The pid file earlier versions used; removed once the new lock is held. */
const OLD_PID_LOCK = 'embedded-mongo.lock';

/**
 * Takes the data directory for this process. The lock is SQLite's exclusive file lock (a POSIX
 * record lock) on a separate lock database, held by an open `BEGIN EXCLUSIVE` transaction: the
 * operating system drops it when the process ends however it ends (kill -9, OOM, a container
 * stopped), so a crash never leaves a stale lock, and pid reuse (PID 1 in every container
 * start) cannot confuse it. SQLite also tracks its locks per process, so a second opener in
 * the same process (another thread) is refused too. Returns the release function.
 */
export function lockDirectory(dir: string): () => void {
  const file = path.join(dir, LOCK_FILE);
  // timeout 0: a held lock is refused at once rather than waited for.
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new Error(
        `The data directory ${dir} is already in use by another embedded MongoDB server (it holds the lock on ${file}). ` +
          'Only one process may own a data directory; connect to that server instead, or use another directory.',
      );
    }
    // Kept as it is: its code (SQLITE_CANTOPEN, SQLITE_READONLY) says the directory is not writable.
    throw err;
  }
  fs.rmSync(path.join(dir, OLD_PID_LOCK), { force: true });
  return () => {
    try {
      db.exec('ROLLBACK');
    } finally {
      db.close();
    }
  };
}

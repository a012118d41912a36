import fs from 'node:fs';

/**
 * Creates the data directory owner-only (0700), or tightens an existing one: the database file
 * holds password hashes and the socket in it needs no password, so nobody else may enter.
 */
export function ensurePrivateDataDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const mode = fs.statSync(dir).mode & 0o777;
  if ((mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
}

/**
 * A database file that existed before this start but is empty was truncated (a bad copy or
 * restore, a full disk, an editor): opening it would silently make a new empty database and
 * every account would be gone. Only a file this start creates may be empty.
 */
export function refuseTruncatedFile(file: string, existedBefore: boolean): void {
  if (!existedBefore || fs.statSync(file).size > 0) return;
  throw new Error(
    `The database file ${file} is empty (0 bytes): it existed before this start, so it was probably truncated, and opening it would start an empty database. ` +
      'Restore it from a backup; to start with an empty database on purpose, delete the file.',
  );
}

const READ_ONLY_CODES = new Set(['EROFS', 'EACCES', 'EPERM', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_PERM', 'SQLITE_AUTH']);

/** True for errors that mean the data file or directory cannot be written. */
export function isNotWritable(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  return READ_ONLY_CODES.has(code) || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_IOERR_WRITE';
}

/** A start-up failure that says which file cannot be written and what to check. */
export function notWritableError(file: string, dir: string, err: unknown): Error {
  const code = (err as { code?: string }).code ?? 'error';
  return new Error(
    `The database file ${file} cannot be written (${code}: ${(err as Error).message}). ` +
      `Check that ${dir} and the files in it are writable by this user and that the file system is not mounted read-only.`,
    { cause: err },
  );
}

/** An `_id` as the storage key encodes it (see value-key.ts), written as a person would type it. */
export function describeIdKey(key: string): string {
  const body = key.slice(1);
  switch (key[0]) {
    case 'o':
      return `ObjectId('${body}')`;
    case 's':
      return JSON.stringify(body);
    case 'n':
      return body;
    default:
      return key;
  }
}

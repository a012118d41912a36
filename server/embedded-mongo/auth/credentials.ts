import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { deriveScramSecrets, type ScramSecrets } from './scram.ts';

/** The file in the data directory that holds the TCP user and password (mode 0600). */
export const CREDENTIALS_FILE = 'embedded-mongo-credentials.json';
/** The one user, defined on the admin database as MongoDB defines users. */
export const DEFAULT_USERNAME = 'lectern';

/** The user TCP clients authenticate as, and the SCRAM keys derived from its password. */
export interface ServerCredentials {
  username: string;
  password: string;
  secrets: ScramSecrets;
  /** Where they are kept; undefined for an in-memory server (random per server). */
  file?: string;
}

const newPassword = (): string => randomBytes(24).toString('base64url');

function readCredentialsFile(file: string): { username: string; password: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(
      `The credentials file ${file} cannot be read (${(err as Error).message}). Restore it from a backup, or delete it to create new credentials (clients must then use the new URI).`,
    );
  }
  const { username, password } = (parsed ?? {}) as { username?: unknown; password?: unknown };
  if (typeof username !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(username) || typeof password !== 'string' || !/^[A-Za-z0-9_-]{16,200}$/.test(password)) {
    throw new Error(`The credentials file ${file} does not hold a valid { "username", "password" } pair. Delete it to create new credentials.`);
  }
  return { username, password };
}

/**
 * The credentials of a durable server: created on first start (random password, file mode
 * 0600, written to a temporary name and renamed so a crash never leaves half a file), reused
 * afterwards. A file others can read is tightened to 0600, with a warning through `warn`.
 */
export function loadOrCreateCredentials(dataDir: string, warn: (msg: string) => void): ServerCredentials {
  const file = path.join(dataDir, CREDENTIALS_FILE);
  if (!fs.existsSync(file)) {
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      fs.writeSync(fd, JSON.stringify({ username: DEFAULT_USERNAME, password: newPassword() }) + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  }
  const mode = fs.statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    fs.chmodSync(file, 0o600);
    warn(`${file} was readable by others (mode ${mode.toString(8)}); it is now 0600. Consider deleting it to rotate the password.`);
  }
  const { username, password } = readCredentialsFile(file);
  return { username, password, secrets: deriveScramSecrets(password), file };
}

/** Credentials for an in-memory server: random, known only to this process and the URI it returns. */
export function randomCredentials(): ServerCredentials {
  const password = newPassword();
  return { username: DEFAULT_USERNAME, password, secrets: deriveScramSecrets(password) };
}

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The socket's name in the data directory. */
export const SOCKET_FILE = 'embedded-mongo.sock';
/**
 * sun_path holds 108 bytes on Linux and 104 on macOS, including the final NUL: a longer path
 * cannot be bound at all, so such data directories get their socket in a short directory.
 */
export const MAX_SOCKET_PATH_BYTES = 103;

/**
 * Where a durable server's Unix socket goes: in the data directory (already owner-only), or,
 * when that path is too long for sun_path, in `<tmpdir>/lectern-<uid>-<hash of the data dir>`,
 * a directory made owner-only and checked to be ours (not a link, not shared), so that the
 * same data directory always gets the same socket. `reason` says why when it falls back.
 */
export function socketPathFor(dataDir: string): { socketPath: string; reason?: string } {
  // Absolute, so the URI means the same file whatever the client's working directory.
  const inDataDir = path.join(path.resolve(dataDir), SOCKET_FILE);
  const bytes = Buffer.byteLength(inDataDir);
  if (bytes <= MAX_SOCKET_PATH_BYTES) return { socketPath: inDataDir };
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const hash = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), `lectern-${uid}-${hash}`);
  const socketPath = path.join(dir, 'db.sock');
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) {
    throw new Error(
      `Cannot place the database socket: both ${inDataDir} and ${socketPath} are longer than ${MAX_SOCKET_PATH_BYTES} bytes. Use a shorter LECTERN_DATA_DIR or TMPDIR.`,
    );
  }
  ensureOwnerOnlyDir(dir);
  return {
    socketPath,
    reason: `the data directory's socket path ${inDataDir} is ${bytes} bytes, over the ${MAX_SOCKET_PATH_BYTES}-byte limit of a Unix socket path`,
  };
}

/** Creates `dir` as 0700, or checks that an existing one is a real directory of ours that nobody else can enter. */
export function ensureOwnerOnlyDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const stat = fs.lstatSync(dir);
  const uid = typeof process.getuid === 'function' ? process.getuid() : stat.uid;
  if (!stat.isDirectory() || stat.uid !== uid) {
    throw new Error(`${dir} is not a directory owned by this user; refusing to put the database socket there`);
  }
  if ((stat.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
}

/** The driver's URI for a Unix socket: the path percent-encoded as the host. */
export function socketUri(socketPath: string): string {
  return `mongodb://${encodeURIComponent(socketPath)}/`;
}

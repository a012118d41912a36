import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { serialize } from 'bson';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../server/embedded-mongo/index.ts';
import { DATABASE_FILE } from '../../server/embedded-mongo/storage/sqlite-store.ts';
import { loadConfig } from '../../server/config.ts';

const runServer = fileURLToPath(new URL('./fixtures/run-server.ts', import.meta.url));
const repo = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lectern-startup-'));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function seed(dir: string, docs: Record<string, unknown>[]): Promise<void> {
  const server = await startEmbeddedMongo({ dataDir: dir });
  const client = await MongoClient.connect(server.uri);
  await client.db('school').collection('users').insertMany(docs);
  await client.close();
  await server.close();
}

/** Runs the server fixture in a child (as `uid`, or behind a wrapper) and returns what it printed. */
function startChild(dir: string, opts: { uid?: number; wrapper?: string[] } = {}): { uri?: string; error?: string } {
  const wrapper = opts.wrapper ?? [];
  const command = [...wrapper, process.execPath, '--import', 'tsx', runServer, dir, '--once'];
  const result = spawnSync(command[0]!, command.slice(1), {
    cwd: repo,
    encoding: 'utf8',
    timeout: 60_000,
    ...(opts.uid === undefined ? {} : { uid: opts.uid, gid: opts.uid, env: { ...process.env, HOME: dir } }),
  });
  assert.ifError(result.error);
  const line = result.stdout.split('\n').find((l) => l.startsWith('{'));
  assert.ok(line, `no output: ${result.stdout} ${result.stderr}`);
  return JSON.parse(line) as { uri?: string; error?: string };
}

describe('start-up checks of the data directory', { skip: process.env.MONGODB_URI ? 'only meaningful for the embedded server' : false }, () => {
  it('refuses a database file that existed but is empty, naming it', async () => {
    const dir = tempDir();
    await seed(dir, [{ email: 'a@example.com' }]);
    const file = path.join(dir, DATABASE_FILE);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) if (fs.existsSync(f)) fs.truncateSync(f, 0);
    await assert.rejects(startEmbeddedMongo({ dataDir: dir }), (err: Error) => err.message.includes(file) && /is empty \(0 bytes\)/.test(err.message));
    assert.equal(fs.statSync(file).size, 0, 'the file is left as it was');
  });

  it('starts a new directory, whose file is not empty even before the first close', async () => {
    const dir = path.join(tempDir(), 'new');
    const server = await startEmbeddedMongo({ dataDir: dir });
    try {
      assert.ok(fs.statSync(path.join(dir, DATABASE_FILE)).size > 0, 'a kill now would not leave an empty file');
    } finally {
      await server.close();
    }
    await (await startEmbeddedMongo({ dataDir: dir })).close();
  });

  it('names an unreadable document, and moves it aside with quarantine, reporting it', async () => {
    const dir = tempDir();
    await seed(dir, [
      { _id: 'alice', n: 1 },
      { _id: 'bob', n: 2 },
      { _id: 'carol', n: 3 },
    ]);
    const file = path.join(dir, DATABASE_FILE);
    const bad = Buffer.from(serialize({ n: 2, _id: 'bob' }));
    bad[4] = 0x7f; // an element type BSON does not have
    const raw = new Database(file);
    assert.equal(raw.prepare("UPDATE docs SET doc = ? WHERE ns = 'school.users' AND id = 'sbob'").run(bad).changes, 1);
    raw.close();

    await assert.rejects(
      startEmbeddedMongo({ dataDir: dir }),
      (err: Error) => /school\.users _id "bob"/.test(err.message) && err.message.includes('LECTERN_DB_QUARANTINE=1') && !err.message.includes('alice'),
    );

    const warnings: Array<{ obj: object; msg: string }> = [];
    const server = await startEmbeddedMongo({
      dataDir: dir,
      quarantineUnreadable: true,
      logger: { info: () => undefined, error: () => undefined, warn: (obj, msg) => warnings.push({ obj, msg: msg ?? '' }) },
    });
    try {
      const client = await MongoClient.connect(server.uri);
      assert.deepEqual(
        (await client.db('school').collection('users').find().sort({ _id: 1 }).toArray()).map((d) => d._id),
        ['alice', 'carol'],
      );
      await client.close();
      assert.ok(
        warnings.some((w) => /moved 1 unreadable document.*school\.users _id "bob"/.test(w.msg)),
        JSON.stringify(warnings),
      );
    } finally {
      await server.close();
    }
    const check = new Database(file, { readonly: true });
    const kept = check.prepare('SELECT ns, id, doc FROM quarantine').all() as Array<{ ns: string; id: string; doc: Buffer }>;
    check.close();
    assert.deepEqual(
      kept.map((r) => [r.ns, r.id]),
      [['school.users', 'sbob']],
    );
    assert.deepEqual(kept[0]!.doc, bad, 'moved aside byte for byte, not deleted');
    // The next start needs no flag: the unreadable row is no longer in the collection.
    await (await startEmbeddedMongo({ dataDir: dir })).close();
    assert.equal(loadConfig({ LECTERN_DB_QUARANTINE: '1' }).dbQuarantine, true);
    assert.equal(loadConfig({}).dbQuarantine, false);
  });

  // Root writes through any file mode, so chmod alone proves nothing here: the directory is
  // mounted read-only in a private mount namespace (as a read-only volume in a container is).
  const unshare = spawnSync('unshare', ['--mount', 'true']);
  it(
    'reports a read-only file system at start, naming the file',
    { skip: (unshare.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' ? 'unshare is not installed (util-linux)' : false },
    async () => {
      const dir = tempDir();
      await seed(dir, [{ _id: 'kept' }]);
      const quoted = `'${dir}'`;
      const result = startChild(dir, {
        wrapper: ['unshare', '--mount', 'sh', '-c', `mount --bind ${quoted} ${quoted} && mount -o remount,bind,ro ${quoted} && exec "$@"`, 'sh'],
      });
      assert.equal(result.uri, undefined);
      assert.match(result.error ?? '', new RegExp(`${path.join(dir, DATABASE_FILE).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot be written.*read-only`));
    },
  );

  // The same for a read-only file in a writable directory, as a user that file permissions bind.
  const uid = process.getuid?.() === 0 ? 65534 : undefined;
  it('reports a read-only data file at start, naming the file', async () => {
    const dir = tempDir();
    await seed(dir, [{ _id: 'kept' }]);
    if (uid !== undefined) for (const f of fs.readdirSync(dir)) fs.chownSync(path.join(dir, f), uid, uid);
    if (uid !== undefined) fs.chownSync(dir, uid, uid);
    fs.chmodSync(path.join(dir, DATABASE_FILE), 0o444);
    const result = startChild(dir, { uid });
    assert.equal(result.uri, undefined);
    assert.match(result.error ?? '', /lectern-embedded\.sqlite cannot be written/);
  });
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MongoClient, MongoServerError } from 'mongodb';
import mongoose from 'mongoose';
import { startEmbeddedMongo } from '../../server/embedded-mongo/index.ts';
import { CREDENTIALS_FILE } from '../../server/embedded-mongo/auth/credentials.ts';
import { connectDatabase } from '../../server/db.ts';
import { createLogger } from '../../server/logger.ts';

const dirs: string[] = [];
function tempDir(prefix = 'lectern-auth-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const mode = (file: string): number => fs.statSync(file).mode & 0o777;
const withoutCredentials = (uri: string): string => uri.replace(/\/\/[^@]*@/, '//');
const withPassword = (uri: string, password: string): string => uri.replace(/:[^:@/]+@/, `:${password}@`);

async function codeOf(run: () => Promise<unknown>): Promise<{ code: unknown; codeName: unknown; message: string }> {
  try {
    await run();
  } catch (err) {
    assert.ok(err instanceof MongoServerError, `a server error, got ${String(err)}`);
    return { code: err.code, codeName: err.codeName, message: err.message };
  }
  assert.fail('the command was allowed');
}

describe('who may use the embedded server', { skip: process.env.MONGODB_URI ? 'only meaningful for the embedded server' : false }, () => {
  it('answers Unauthorized (13) to every command but the handshake from a TCP client without credentials', async () => {
    const server = await startEmbeddedMongo();
    const owner = await MongoClient.connect(server.uri);
    await owner.db('school').collection('users').insertOne({ email: 'a@example.com', passwordHash: 'secret-hash' });
    const stranger = await MongoClient.connect(withoutCredentials(server.uri));
    try {
      const users = stranger.db('school').collection('users');
      const find = await codeOf(() => users.findOne({}));
      assert.deepEqual([find.code, find.codeName], [13, 'Unauthorized']);
      assert.match(find.message, /command find requires authentication/);
      assert.equal((await codeOf(() => users.insertOne({ email: 'evil@example.com', role: 'admin' }))).code, 13);
      assert.equal((await codeOf(() => users.updateOne({}, { $set: { passwordHash: 'mine' } }))).code, 13);
      assert.equal((await codeOf(() => stranger.db('admin').admin().listDatabases())).code, 13);
      // The handshake and probes stay open, as on mongod.
      assert.deepEqual(await stranger.db('admin').admin().ping(), { ok: 1 });
      const hello = await stranger.db('admin').command({ hello: 1, saslSupportedMechs: 'admin.lectern' });
      assert.deepEqual(hello.saslSupportedMechs, ['SCRAM-SHA-256']);
      assert.equal((await owner.db('school').collection('users').findOne({}))?.passwordHash, 'secret-hash', 'nothing was changed');
    } finally {
      await stranger.close();
      await owner.close();
      await server.close();
    }
  });

  it('refuses a wrong password with AuthenticationFailed (18) and SCRAM-SHA-1 as unavailable', async () => {
    const server = await startEmbeddedMongo();
    try {
      await assert.rejects(
        MongoClient.connect(withPassword(server.uri, 'not-the-password-at-all'), { serverSelectionTimeoutMS: 5000 }),
        (err: MongoServerError) => err.code === 18,
      );
      await assert.rejects(
        MongoClient.connect(withPassword(server.uri, 'x').replace('lectern:', 'nobody:'), { serverSelectionTimeoutMS: 5000 }),
        (err: MongoServerError) => err.code === 18,
      );
      await assert.rejects(
        MongoClient.connect(`${server.uri}&authMechanism=SCRAM-SHA-1`, { serverSelectionTimeoutMS: 5000 }),
        (err: MongoServerError) => err.code === 334,
      );
    } finally {
      await server.close();
    }
  });

  it('lets the right credentials in, with and without speculative authentication', async () => {
    const server = await startEmbeddedMongo();
    try {
      // The default mechanism (learned from hello's saslSupportedMechs) and an explicit one.
      for (const uri of [server.uri, `${server.uri}&authMechanism=SCRAM-SHA-256`]) {
        const client = await MongoClient.connect(uri);
        try {
          const coll = client.db('ok').collection('c');
          await coll.insertOne({ n: 1 });
          assert.equal((await coll.findOne({}))?.n, 1);
          await coll.deleteMany({});
          const status = await client.db('admin').command({ listDatabases: 1, nameOnly: true });
          assert.ok((status.databases as Array<{ name: string }>).some((d) => d.name === 'ok'));
        } finally {
          await client.close();
        }
      }
      // A client that skips speculative authentication runs saslStart itself; a forged proof fails.
      const second = new MongoClient(withoutCredentials(server.uri));
      await second.connect();
      const reply = await second.db('admin').command({ saslStart: 1, mechanism: 'SCRAM-SHA-256', payload: Buffer.from('n,,n=lectern,r=abcdefghijklmnop') });
      assert.equal(reply.done, false);
      assert.match(Buffer.from(reply.payload.buffer).toString(), /^r=abcdefghijklmnop[^,]+,s=[^,]+,i=15000$/);
      await assert.rejects(
        second.db('admin').command({ saslContinue: 1, conversationId: reply.conversationId, payload: Buffer.from('c=biws,r=wrong,p=AAAA') }),
        (err: MongoServerError) => err.code === 18,
      );
      await second.close();
    } finally {
      await server.close();
    }
  });

  it('keeps the credentials owner-only in the data directory and reuses them on the next start', async () => {
    const dir = tempDir();
    const first = await startEmbeddedMongo({ dataDir: dir });
    const file = path.join(dir, CREDENTIALS_FILE);
    assert.equal(mode(file), 0o600);
    assert.equal(mode(dir), 0o700);
    assert.ok(first.socketPath && fs.lstatSync(first.socketPath).isSocket());
    assert.equal(mode(first.socketPath), 0o600);
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { username: string; password: string };
    assert.ok(first.uri.includes(`${stored.username}:${stored.password}@`), 'the URI carries the stored credentials');
    const client = await MongoClient.connect(first.uri);
    await client.db('d').collection('c').insertOne({ kept: true });
    await client.close();
    await first.close();

    const second = await startEmbeddedMongo({ dataDir: dir });
    try {
      assert.equal(new URL(second.uri).password, new URL(first.uri).password);
      const again = await MongoClient.connect(withPassword(second.uri, stored.password));
      assert.equal((await again.db('d').collection('c').findOne({}))?.kept, true);
      await again.close();
    } finally {
      await second.close();
    }
  });

  it('tightens a data directory and a credentials file that others could read', async () => {
    const dir = tempDir();
    await (await startEmbeddedMongo({ dataDir: dir })).close();
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(path.join(dir, CREDENTIALS_FILE), 0o644);
    const warnings: string[] = [];
    const server = await startEmbeddedMongo({
      dataDir: dir,
      logger: { info: () => undefined, error: () => undefined, warn: (_o, msg) => warnings.push(msg ?? '') },
    });
    await server.close();
    assert.equal(mode(dir), 0o700);
    assert.equal(mode(path.join(dir, CREDENTIALS_FILE)), 0o600);
    assert.ok(
      warnings.some((w) => w.includes('readable by others')),
      warnings.join('\n'),
    );
  });

  it('serves the Unix socket without a password, and places it in a short owner-only directory when the data path is too long', async () => {
    const base = tempDir();
    const dir = path.join(base, 'a-data-directory-whose-path-is-long'.repeat(3));
    const warnings: string[] = [];
    const server = await startEmbeddedMongo({
      dataDir: dir,
      logger: { info: () => undefined, error: () => undefined, warn: (_o, msg) => warnings.push(msg ?? '') },
    });
    try {
      assert.ok(server.socketPath && server.socketUri);
      assert.ok(!server.socketPath.startsWith(dir), 'not inside the long data directory');
      assert.ok(Buffer.byteLength(server.socketPath) <= 103);
      assert.equal(mode(path.dirname(server.socketPath)), 0o700);
      assert.ok(
        warnings.some((w) => w.includes('over the 103-byte limit')),
        warnings.join('\n'),
      );
      const local = await MongoClient.connect(server.socketUri);
      await local.db('d').collection('c').insertOne({ via: 'socket' });
      assert.equal((await local.db('admin').command({ whatsmyuri: 1 })).you, 'unix socket');
      await local.close();
    } finally {
      await server.close();
    }
  });

  it('connects the app to its durable embedded server over the Unix socket', async () => {
    const dir = tempDir();
    const db = await connectDatabase({ mongodbUri: undefined, dbName: 'lectern_socket', dataDir: dir }, createLogger('silent'));
    try {
      assert.match(db.uri, /^mongodb:\/\/%2F.*\.sock\/$/);
      assert.equal(await db.ping(), true);
      assert.equal((await mongoose.connection.db!.admin().command({ whatsmyuri: 1 })).you, 'unix socket');
    } finally {
      await db.close();
    }
  });

  it('npm run db prints a TCP URI with the credentials, and the socket', async () => {
    const dir = tempDir();
    const cli = fileURLToPath(new URL('../../server/embedded-mongo/cli.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', cli], {
      env: { ...process.env, LECTERN_DATA_DIR: dir, LECTERN_DB_PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const printed = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          if (out.includes('Connect with:')) resolve(out);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
      });
      const tcp = /mongodb:\/\/lectern:[^@\s]+@127\.0\.0\.1:\d+\/\?authSource=admin/.exec(printed)?.[0];
      assert.ok(tcp, printed);
      assert.ok(printed.includes(path.join(dir, 'embedded-mongo.sock')), printed);
      const client = await MongoClient.connect(tcp);
      assert.deepEqual(await client.db('admin').admin().ping(), { ok: 1 });
      await client.db('d').collection('c').insertOne({ ok: true });
      await client.close();
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
    }
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MongoClient, MongoServerError } from 'mongodb';
import mongoose from 'mongoose';
import request from 'supertest';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { connectDatabase } from '../../server/db.ts';
import { createLogger } from '../../server/logger.ts';
import { registerAs } from '../helpers/test-app.ts';
import { startTestServer, type TestServer } from './test-server.ts';

const embeddedOnly = process.env.MONGODB_URI ? 'the worker and its heap limit are the embedded server' : false;
/** Within $range's own bound (100 MiB as mongod counts), far past a 64 MB heap: only the worker's limit stops it. */
const MEMORY_BOMB = [{ $project: { r: { $concatArrays: [{ $range: [0, 6_000_000] }, { $range: [0, 6_000_000] }, { $range: [0, 6_000_000] }] } } }];

describe('$range past its memory bound', () => {
  let server: TestServer;
  let client: MongoClient;
  before(async () => {
    server = await startTestServer('range');
    client = await MongoClient.connect(server.uri);
    await client.db(server.dbName).collection('c').insertOne({ a: 1 });
  });
  after(async () => {
    await client?.close();
    await server?.close();
  });

  it('is refused with ExceededMemoryLimit (146), as mongod refuses it, and the server goes on', async () => {
    const coll = client.db(server.dbName).collection('c');
    await assert.rejects(coll.aggregate([{ $project: { r: { $range: [0, 1e9] } } }]).toArray(), (err: unknown) => {
      assert.ok(err instanceof MongoServerError);
      assert.equal(err.code, 146);
      assert.match(err.message, /\$range would use too much memory/);
      return true;
    });
    const [small] = await coll.aggregate([{ $project: { _id: 0, r: { $range: [0, 5] } } }]).toArray();
    assert.deepEqual(small, { r: [0, 1, 2, 3, 4] });
  });
});

/** An app on the embedded server in a worker with a 64 MB heap, on `dataDir` (null: in memory). */
async function startWorkerApp(dataDir: string | null) {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', LECTERN_DATA_DIR: dataDir ?? ':memory:', LECTERN_DB_MEMORY_MB: '64' });
  const db = await connectDatabase(config, createLogger(process.env.SECDB_DEBUG ? 'warn' : 'silent'), { inWorker: true });
  return { app: createApp({ config, logger: createLogger('silent'), db }), db };
}

async function healthAfterRestart(app: Parameters<typeof request>[0]): Promise<number> {
  // 503 while the new worker loads; the driver reconnects once it listens (polled, not timed).
  let status = 0;
  for (let attempt = 0; attempt < 120 && status !== 200; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 250));
    status = (await request(app).get('/healthz')).status;
  }
  return status;
}

describe('a command that exhausts the database worker heap', { skip: embeddedOnly }, () => {
  it('ends the worker, not Lectern: it starts again on the same data, /healthz is 200 and pages are served', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lectern-memlimit-'));
    const { app, db } = await startWorkerApp(dataDir);
    try {
      // A retried read would run the bomb again on the new worker.
      assert.equal(mongoose.connection.getClient().options.retryReads, false);
      const agent = await registerAs(app, 'Before', 'before@example.com');
      const coll = mongoose.connection.db!.collection('bombs');
      await coll.insertOne({ kept: true });
      await assert.rejects(coll.aggregate(MEMORY_BOMB).toArray());
      assert.equal(await healthAfterRestart(app), 200);
      assert.equal((await request(app).get('/about')).status, 200);
      assert.equal((await agent.get('/')).status, 200, 'the session written before is still there');
      assert.equal(await coll.countDocuments({ kept: true }), 1, 'data committed before stays');
    } finally {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('in memory (nothing to start again from), requests that need the database get 503, not 500 or a crash', async () => {
    const { app, db } = await startWorkerApp(null);
    try {
      const agent = await registerAs(app, 'Memory', 'memory@example.com');
      await mongoose.connection.db!.collection('bombs').insertOne({ a: 1 });
      await assert.rejects(mongoose.connection.db!.collection('bombs').aggregate(MEMORY_BOMB).toArray());
      assert.equal((await request(app).get('/healthz')).status, 503);
      const page = await agent.get('/');
      assert.equal(page.status, 503);
      assert.match(page.text, /database is busy or restarting/);
      assert.equal((await request(app).get('/about')).status, 200, 'pages without the database are served');
    } finally {
      await db.close();
    }
  });
});

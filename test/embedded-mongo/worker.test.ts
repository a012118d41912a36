import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongoInWorker } from '../../server/embedded-mongo/index.ts';

describe('embedded server in a worker thread', { skip: process.env.MONGODB_URI ? 'only meaningful for the embedded server' : false }, () => {
  it('serves the driver from a worker and closes cleanly', async () => {
    const logged: string[] = [];
    const logger = { info: (_o: object, msg?: string) => logged.push(msg ?? ''), warn: () => undefined, error: () => undefined };
    const server = await startEmbeddedMongoInWorker({ logger });
    const client = await MongoClient.connect(server.uri);
    try {
      const coll = client.db('worker').collection('c');
      await coll.insertOne({ a: 1 });
      assert.equal((await coll.findOne({ a: 1 }))?.a, 1);
      assert.ok(logged.includes('embedded mongo loaded'), 'log lines reach the parent logger');
    } finally {
      await client.close();
      await server.close();
    }
    await assert.rejects(MongoClient.connect(server.uri, { serverSelectionTimeoutMS: 300 }));
  });
});

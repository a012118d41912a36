import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import { startTestServer, type TestServer } from './test-server.ts';

/** Millions of documents through $unwind and $group: seconds of work, far past a 1 ms budget. */
const HEAVY = [{ $project: { r: { $range: [0, 1000] } } }, { $unwind: '$r' }, { $group: { _id: '$r', n: { $sum: 1 } } }];

function expired(err: unknown): boolean {
  assert.ok(err instanceof MongoServerError, String(err));
  assert.equal(err.code, 50);
  assert.equal(err.codeName, 'MaxTimeMSExpired');
  return true;
}

async function seed(coll: Collection): Promise<void> {
  await coll.insertMany(Array.from({ length: 3000 }, (_, i) => ({ i, s: `text ${i}` })));
}

describe('maxTimeMS', () => {
  let server: TestServer;
  let client: MongoClient;
  let coll: Collection;
  before(async () => {
    server = await startTestServer('maxtime');
    client = await MongoClient.connect(server.uri);
    coll = client.db(server.dbName).collection('c');
    await seed(coll);
  });
  after(async () => {
    await client?.close();
    await server?.close();
  });

  it('stops an aggregate past its maxTimeMS with MaxTimeMSExpired (50)', async () => {
    await assert.rejects(coll.aggregate(HEAVY, { maxTimeMS: 1 }).toArray(), expired);
  });

  it('applies to find, count and distinct too', async () => {
    // $expr over every document, repeated through $range: slow per document, whatever the engine.
    const slow = { $expr: { $gt: [{ $size: { $filter: { input: { $range: [0, 2000] }, cond: { $gte: ['$$this', 0] } } } }, 0] } };
    await assert.rejects(coll.find(slow).maxTimeMS(1).toArray(), expired);
    await assert.rejects(coll.countDocuments(slow, { maxTimeMS: 1 }), expired);
    await assert.rejects(client.db(server.dbName).command({ count: 'c', query: slow, maxTimeMS: 1 }), expired);
    await assert.rejects(coll.distinct('i', slow, { maxTimeMS: 1 }), expired);
  });

  it('lets a command that finishes in time answer, and refuses a bad maxTimeMS', async () => {
    assert.equal(await coll.countDocuments({ i: { $lt: 10 } }, { maxTimeMS: 60_000 }), 10);
    await assert.rejects(client.db(server.dbName).command({ find: 'c', maxTimeMS: -1 }), (err: unknown) => err instanceof MongoServerError && err.code === 2);
  });
});

describe('the default time budget', { skip: process.env.MONGODB_URI ? 'a server option of the embedded server' : false }, () => {
  it('stops a command that sets no maxTimeMS once it passes the budget, and the server goes on', async () => {
    const server = await startTestServer('budget', { defaultMaxTimeMs: 1 });
    const client = await MongoClient.connect(server.uri);
    try {
      const coll = client.db(server.dbName).collection('c');
      await seed(coll);
      await assert.rejects(coll.aggregate(HEAVY).toArray(), expired);
      assert.equal((await coll.findOne({ i: 7 }))?.s, 'text 7');
    } finally {
      await client.close();
      await server.close();
    }
  });
});

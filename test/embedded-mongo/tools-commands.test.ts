import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MongoClient, MongoServerError, type Collection, type Db } from 'mongodb';
import { startEmbeddedMongo } from '../../server/embedded-mongo/index.ts';
import { startTestServer, testEngineOptions, type TestServer } from './test-server.ts';

function code(expected: number): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof MongoServerError, String(err));
    assert.equal(err.code, expected, err.message);
    return true;
  };
}

type Plan = { stage: string; indexName?: string; inputStage?: Plan };

describe('what tools ask for: explain, database-level aggregate, renameCollection, setParameter', () => {
  let server: TestServer;
  let client: MongoClient;
  let db: Db;
  let coll: Collection;
  before(async () => {
    server = await startTestServer('tools');
    client = await MongoClient.connect(server.uri);
    db = client.db(server.dbName);
    coll = db.collection('people');
    await coll.createIndex({ email: 1 }, { unique: true });
    await coll.insertMany(Array.from({ length: 20 }, (_, i) => ({ email: `p${i}@example.com`, n: i % 4 })));
  });
  after(async () => {
    await client?.close();
    await server?.close();
  });

  it('explain of find names the index the planner uses, or a COLLSCAN, with executionStats counts', async () => {
    const indexed = await coll.find({ email: 'p3@example.com' }).explain('executionStats');
    const plan = indexed.queryPlanner.winningPlan as Plan;
    // Without the fast paths (npm run test:db:nofast) every query scans, and explain says so.
    if (server.embedded && !testEngineOptions().fastPaths) assert.equal(plan.stage, 'COLLSCAN');
    else {
      assert.equal(plan.stage, 'FETCH');
      assert.equal(plan.inputStage?.stage, 'IXSCAN');
      assert.equal(plan.inputStage?.indexName, 'email_1');
    }
    assert.equal(indexed.executionStats.nReturned, 1);
    const scan = await coll.find({ n: 2 }).explain('executionStats');
    assert.equal((scan.queryPlanner.winningPlan as Plan).stage, 'COLLSCAN');
    assert.equal(scan.executionStats.nReturned, 5);
    assert.equal(scan.executionStats.totalDocsExamined, 20);
    assert.equal(scan.queryPlanner.namespace, `${server.dbName}.people`);
  });

  it('explain of an aggregate gives its queryPlanner', async () => {
    const explained = await coll.aggregate([{ $match: { n: 1 } }, { $group: { _id: '$n', c: { $sum: 1 } } }]).explain('queryPlanner');
    const planner = (explained.queryPlanner ?? (explained.stages as { $cursor: { queryPlanner: { winningPlan: Plan } } }[])[0]!.$cursor.queryPlanner) as {
      winningPlan: Plan;
    };
    assert.ok(['COLLSCAN', 'PROJECTION_SIMPLE', 'GROUP'].includes(planner.winningPlan.stage), planner.winningPlan.stage);
  });

  it('a database-level aggregate runs $documents; $currentOp, $listLocalSessions and collection stages without a collection are refused', async () => {
    const docs = await db.aggregate([{ $documents: [{ a: 1 }, { a: 2 }] }, { $match: { a: 2 } }]).toArray();
    assert.deepEqual(docs, [{ a: 2 }]);
    await assert.rejects(db.aggregate([{ $match: {} }]).toArray(), code(73));
    if (server.embedded) {
      await assert.rejects(
        client
          .db('admin')
          .aggregate([{ $currentOp: {} }])
          .toArray(),
        code(238),
      );
      await assert.rejects(
        client
          .db('admin')
          .aggregate([{ $listLocalSessions: {} }])
          .toArray(),
        code(238),
      );
      await assert.rejects(coll.aggregate([{ $collStats: { count: {} } }]).toArray(), code(238));
      await assert.rejects(coll.aggregate([{ $indexStats: {} }]).toArray(), code(238));
    }
  });

  it('renameCollection moves documents and indexes; a missing source is 26, an existing target 48 unless dropTarget', async () => {
    const from = db.collection('rename_from');
    await from.createIndex({ k: 1 }, { unique: true });
    await from.insertMany([{ k: 1 }, { k: 2 }]);
    await db.collection('rename_taken').insertOne({ other: true });
    await assert.rejects(from.rename('rename_taken'), code(48));
    const renamed = await from.rename('rename_to');
    assert.equal(await renamed.countDocuments(), 2);
    assert.ok((await renamed.indexes()).some((i) => i.name === 'k_1' && i.unique));
    await assert.rejects(renamed.insertOne({ k: 1 }), code(11000));
    assert.equal((await db.listCollections({ name: 'rename_from' }).toArray()).length, 0);
    await assert.rejects(db.collection('rename_from').rename('rename_x'), code(26));
    await renamed.rename('rename_taken', { dropTarget: true });
    assert.deepEqual(
      await db
        .collection('rename_taken')
        .find({}, { projection: { _id: 0 } })
        .sort({ k: 1 })
        .toArray(),
      [{ k: 1 }, { k: 2 }],
    );
  });

  it('$out replaces the target with the results, keeping its indexes; a duplicate key leaves the target as it was', async () => {
    const target = db.collection('out_target');
    await target.createIndex({ n: 1 }, { unique: true });
    await target.insertOne({ old: true, n: 99 });
    const none = await coll.aggregate([{ $group: { _id: '$n', count: { $sum: 1 } } }, { $project: { n: '$_id', count: 1 } }, { $out: 'out_target' }]).toArray();
    assert.deepEqual(none, []);
    assert.deepEqual(
      await target.find().sort({ _id: 1 }).toArray(),
      [0, 1, 2, 3].map((n) => ({ _id: n, count: 5, n })),
    );
    assert.ok(
      (await target.indexes()).some((i) => i.name === 'n_1' && i.unique),
      'the index stays',
    );
    await assert.rejects(coll.aggregate([{ $project: { _id: 0, n: 1 } }, { $out: 'out_target' }]).toArray(), code(11000));
    assert.equal(await target.countDocuments(), 4, 'unchanged after the failed $out');
    await coll.aggregate([{ $match: { n: 0 } }, { $project: { _id: 0, email: 1 } }, { $out: { db: server.dbName, coll: 'out_fresh' } }]).toArray();
    const fresh = await db.collection('out_fresh').find().toArray();
    assert.equal(fresh.length, 5);
    assert.ok(
      fresh.every((d) => d._id !== undefined),
      'results without _id get one',
    );
  });

  it('setParameter of a parameter the server does not have is InvalidOptions (72)', async () => {
    await assert.rejects(client.db('admin').command({ setParameter: 1, noSuchParameterHere: 1 }), code(72));
  });
});

describe('renameCollection on disk', { skip: process.env.MONGODB_URI ? 'a data directory of the embedded server' : false }, () => {
  it('keeps the renamed collection, and not the old one, after a restart', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lectern-rename-'));
    try {
      for (const step of ['rename', 'check'] as const) {
        const server = await startEmbeddedMongo({ ...testEngineOptions(), dataDir });
        const client = await MongoClient.connect(server.uri);
        const db = client.db('r');
        try {
          if (step === 'rename') {
            await db.collection('a').createIndex({ k: 1 }, { unique: true });
            await db.collection('a').insertMany([{ k: 1 }, { k: 2 }]);
            await db.collection('a').rename('b');
          } else {
            assert.deepEqual(
              (await db.listCollections().toArray()).map((c) => c.name),
              ['b'],
            );
            assert.equal(await db.collection('b').countDocuments(), 2);
            await assert.rejects(db.collection('b').insertOne({ k: 2 }), code(11000));
          }
        } finally {
          await client.close();
          await server.close();
        }
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

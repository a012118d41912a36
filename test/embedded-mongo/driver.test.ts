import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Long, MongoClient, MongoServerError, type Db } from 'mongodb';
import { startTestServer, type TestServer } from './test-server.ts';

let server: TestServer;
let client: MongoClient;
let db: Db;

before(async () => {
  server = await startTestServer('driver');
  client = await MongoClient.connect(server.uri);
  db = client.db(server.dbName);
});

after(async () => {
  await db.dropDatabase();
  await client.close();
  await server.close();
});

describe('official driver against the embedded server', () => {
  it('connects and answers ping and hello with the handshake facts', async () => {
    assert.deepEqual(await db.admin().ping(), { ok: 1 });
    const hello = await db.admin().command({ hello: 1 });
    assert.equal(hello.isWritablePrimary, true);
    assert.ok(hello.maxWireVersion >= 9);
    assert.equal(hello.minWireVersion, 0);
    assert.equal(hello.logicalSessionTimeoutMinutes, 30);
  });

  it('reports duplicate keys on a unique index with keyPattern and keyValue', async () => {
    const users = db.collection('users');
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertOne({ email: 'a' });
    await assert.rejects(users.insertOne({ email: 'a' }), (err: MongoServerError) => {
      assert.equal(err.code, 11000);
      assert.deepEqual(err.keyPattern, { email: 1 });
      assert.deepEqual(err.keyValue, { email: 'a' });
      assert.match(err.message, /E11000 duplicate key error collection: .*users index: email_1 dup key: \{ email: "a" \}/);
      return true;
    });
    assert.equal(await users.countDocuments({ email: 'a' }), 1);
  });

  it('stops ordered inserts at the first duplicate and continues unordered ones', async () => {
    const c = db.collection('batch');
    await c.createIndex({ k: 1 }, { unique: true });
    await assert.rejects(c.insertMany([{ k: 1 }, { k: 1 }, { k: 2 }], { ordered: true }), (err: { insertedCount: number; writeErrors: unknown[] }) => {
      assert.equal(err.insertedCount, 1);
      return true;
    });
    assert.equal(await c.countDocuments(), 1);
    await assert.rejects(c.insertMany([{ k: 3 }, { k: 1 }, { k: 4 }], { ordered: false }), (err: { insertedCount: number }) => {
      assert.equal(err.insertedCount, 2);
      return true;
    });
    assert.deepEqual(
      (
        await c
          .find({}, { projection: { _id: 0 } })
          .sort({ k: 1 })
          .toArray()
      ).map((d) => d.k),
      [1, 3, 4],
    );
  });

  it('finds with filter, sort, skip, limit and projection, and fetches later batches with getMore', async () => {
    const c = db.collection('numbers');
    await c.insertMany(Array.from({ length: 250 }, (_, i) => ({ i, even: i % 2 === 0, label: `n${i}` })));
    const page = await c
      .find({ even: true }, { projection: { _id: 0, i: 1 } })
      .sort({ i: -1 })
      .skip(2)
      .limit(3)
      .toArray();
    assert.deepEqual(page, [{ i: 244 }, { i: 242 }, { i: 240 }]);
    const projected = await c.findOne({ i: 3 }, { projection: { label: 1, i: 1 } });
    assert.deepEqual(Object.keys(projected ?? {}), ['_id', 'i', 'label'], '_id stays first, as mongod returns it');
    const cursor = c.find({}, { batchSize: 40 }).sort({ i: 1 });
    const all = await cursor.toArray();
    assert.equal(all.length, 250);
    assert.deepEqual(
      all.slice(0, 3).map((d) => d.i),
      [0, 1, 2],
    );
    assert.equal(all[249]!.i, 249);
    const raw = await db.command({ find: 'numbers', filter: {}, batchSize: 10 }, { promoteLongs: false });
    assert.ok(raw.cursor.id instanceof Long && !raw.cursor.id.isZero());
    assert.equal(raw.cursor.firstBatch.length, 10);
    const more = await db.command({ getMore: raw.cursor.id, collection: 'numbers', batchSize: 500 }, { promoteLongs: false });
    assert.equal(more.cursor.nextBatch.length, 240);
    assert.ok(more.cursor.id instanceof Long && more.cursor.id.isZero());
  });

  it('updates with $set $inc $push $addToSet $pull, positional $ and arrayFilters', async () => {
    const c = db.collection<{ score: number; tags: string[]; answers: { q: number; v: string; ok?: boolean }[]; status: string }>('attempts');
    const { insertedId } = await c.insertOne({
      score: 1,
      tags: ['a'],
      answers: [
        { q: 1, v: 'x' },
        { q: 2, v: 'y' },
      ],
      status: 'open',
    });
    await c.updateOne({ _id: insertedId }, { $set: { status: 'done' }, $inc: { score: 2 }, $push: { tags: 'b' } });
    await c.updateOne({ _id: insertedId }, { $addToSet: { tags: 'a' } });
    await c.updateOne({ _id: insertedId }, { $pull: { tags: 'b' } });
    await c.updateOne({ _id: insertedId, 'answers.q': 2 }, { $set: { 'answers.$.v': 'z' } });
    await c.updateOne({ _id: insertedId }, { $set: { 'answers.$[a].ok': true } }, { arrayFilters: [{ 'a.q': 1 }] });
    const doc = await c.findOne({ _id: insertedId });
    assert.equal(doc?.status, 'done');
    assert.equal(doc?.score, 3);
    assert.deepEqual(doc?.tags, ['a']);
    assert.deepEqual(doc?.answers, [
      { q: 1, v: 'x', ok: true },
      { q: 2, v: 'z' },
    ]);
    const many = await c.updateMany({}, { $set: { checked: true } });
    assert.equal(many.modifiedCount, 1);
    const guarded = await c.updateOne({ _id: insertedId, status: 'open' }, { $set: { status: 'again' } });
    assert.equal(guarded.matchedCount, 0);
  });

  it('findOneAndUpdate upserts with $setOnInsert and returns the document after', async () => {
    const c = db.collection('cards');
    const first = await c.findOneAndUpdate(
      { user: 'u1', card: 7 },
      { $setOnInsert: { created: 1 }, $inc: { reviews: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    assert.equal(first?.user, 'u1');
    assert.equal(first?.card, 7);
    assert.equal(first?.created, 1);
    assert.equal(first?.reviews, 1);
    const second = await c.findOneAndUpdate(
      { user: 'u1', card: 7 },
      { $setOnInsert: { created: 2 }, $inc: { reviews: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    assert.equal(second?.created, 1);
    assert.equal(second?.reviews, 2);
    assert.equal(await c.countDocuments(), 1);
    const same = await c.updateOne({ _id: first!._id }, { $set: { _id: first!._id, x: 1 } });
    assert.equal(same.modifiedCount, 1);
  });

  it('counts, finds distinct values and aggregates with $match $group $sort $lookup $facet', async () => {
    const orders = db.collection('orders');
    const people = db.collection('people');
    await people.insertMany([
      { _id: 'p1', name: 'Ann' },
      { _id: 'p2', name: 'Bo' },
    ] as never[]);
    await orders.insertMany([
      { who: 'p1', amount: 5 },
      { who: 'p1', amount: 7 },
      { who: 'p2', amount: 1 },
    ]);
    assert.equal(await orders.countDocuments({ amount: { $gt: 2 } }), 2);
    assert.deepEqual((await orders.distinct('who')).sort(), ['p1', 'p2']);
    const totals = await orders
      .aggregate([
        { $match: { amount: { $gte: 1 } } },
        { $group: { _id: '$who', total: { $sum: '$amount' } } },
        { $sort: { total: -1 } },
        { $lookup: { from: 'people', localField: '_id', foreignField: '_id', as: 'person' } },
        { $unwind: '$person' },
        { $project: { _id: 0, name: '$person.name', total: 1 } },
      ])
      .toArray();
    assert.deepEqual(totals, [
      { total: 12, name: 'Ann' },
      { total: 1, name: 'Bo' },
    ]);
    const [facets] = await orders.aggregate([{ $facet: { count: [{ $count: 'n' }], big: [{ $match: { amount: { $gt: 4 } } }, { $count: 'n' }] } }]).toArray();
    assert.deepEqual(facets, { count: [{ n: 3 }], big: [{ n: 2 }] });
    assert.equal((await people.findOne({ _id: 'p1' } as never))?.person, undefined, 'a pipeline never changes stored documents');
  });

  it('runs bulkWrite and deleteMany', async () => {
    const c = db.collection('bulk');
    const result = await c.bulkWrite([
      { insertOne: { document: { _id: 1, v: 1 } } },
      { insertOne: { document: { _id: 2, v: 2 } } },
      { updateOne: { filter: { _id: 1 }, update: { $set: { v: 10 } } } },
      { updateOne: { filter: { _id: 3 }, update: { $set: { v: 3 } }, upsert: true } },
      { deleteOne: { filter: { _id: 2 } } },
      { replaceOne: { filter: { _id: 3 }, replacement: { v: 30 } } },
    ] as never);
    assert.equal(result.insertedCount, 2);
    assert.equal(result.modifiedCount, 2);
    assert.equal(result.upsertedCount, 1);
    assert.equal(result.deletedCount, 1);
    assert.deepEqual(await c.find({}).sort({ _id: 1 }).toArray(), [
      { _id: 1, v: 10 },
      { _id: 3, v: 30 },
    ] as never);
    const deleted = await c.deleteMany({ v: { $gte: 10 } });
    assert.equal(deleted.deletedCount, 2);
    assert.equal(await c.countDocuments(), 0);
  });

  it('answers the admin commands mongosh and Compass use', async () => {
    const admin = db.admin();
    await db.collection('listed').insertOne({ a: 1 });
    const { databases } = await admin.listDatabases();
    assert.ok(databases.some((d) => d.name === server.dbName));
    const info = await admin.buildInfo();
    assert.equal(typeof info.version, 'string');
    for (const command of [
      { serverStatus: 1 },
      { whatsmyuri: 1 },
      { getLog: 'startupWarnings' },
      { hostInfo: 1 },
      { connectionStatus: 1 },
      { getParameter: 1, featureCompatibilityVersion: 1 },
    ]) {
      const reply = await admin.command(command);
      assert.equal(reply.ok, 1, JSON.stringify(command));
    }
    const other = client.db(`${server.dbName}_drop`);
    await other.collection('x').insertOne({ a: 1 });
    assert.equal(await other.dropDatabase(), true);
    assert.deepEqual(await other.listCollections().toArray(), []);
  });

  it('answers an unknown command with code 59', async () => {
    await assert.rejects(db.command({ noSuchCommand: 1 }), (err: MongoServerError) => err.code === 59 && err.codeName === 'CommandNotFound');
  });

  it('refuses create of an existing collection with code 48', async () => {
    await db.createCollection('made');
    await assert.rejects(db.command({ create: 'made' }), (err: MongoServerError) => err.code === 48 && err.codeName === 'NamespaceExists');
  });

  it('accepts explicit sessions but refuses transactions with a clear error', async (t) => {
    if (!server.embedded) return t.skip('a real MongoDB may be a replica set, where transactions work');
    const c = db.collection('sessions_txn');
    const session = client.startSession();
    try {
      await c.insertOne({ a: 1 }, { session });
      assert.equal(await c.countDocuments({}, { session }), 1);
      session.startTransaction();
      await assert.rejects(c.findOne({ a: 1 }, { session }), (err: MongoServerError) => {
        assert.equal(err.code, 20);
        assert.equal(err.codeName, 'IllegalOperation');
        assert.match(err.message, /transactions need a replica set/);
        return true;
      });
      // On writes the driver replaces any code 20 with advice about retryable writes; the
      // server's own error stays available as originalError.
      await assert.rejects(c.insertOne({ a: 2 }, { session }), (err: MongoServerError & { originalError?: MongoServerError }) => {
        const original = err.originalError ?? err;
        assert.equal(original.code, 20);
        assert.match(original.message, /transactions need a replica set/);
        return true;
      });
      await session.abortTransaction().catch(() => undefined);
    } finally {
      await session.endSession();
    }
    assert.equal(await c.countDocuments(), 1);
  });

  it('refuses unsupported query features with a clear error', async (t) => {
    if (!server.embedded) return t.skip('a real MongoDB supports some of these');
    const c = db.collection('unsupported');
    await c.insertOne({ a: 1 });
    await assert.rejects(c.find({ $where: 'this.a == 1' }).toArray(), /\$where/);
    await assert.rejects(c.find({ $text: { $search: 'x' } }).toArray(), /text/);
    await assert.rejects(c.find({ loc: { $near: [0, 0] } }).toArray(), /near|geo/i);
    await assert.rejects(c.aggregate([{ $changeStream: {} }]).toArray(), /[Cc]hange stream/);
  });
});

describe('engine details visible through the driver', () => {
  it('counts with countDocuments and per-key $group counts as MongoDB does (missing keys group as null)', async () => {
    const { ObjectId } = await import('mongodb');
    const c = db.collection('group_counts');
    const ids = [new ObjectId(), new ObjectId()];
    await c.insertMany([
      { k: ids[0], t: 'a', w: 1 },
      { k: ids[0], t: 'b' },
      { k: ids[1], t: 'a' },
      { t: 'a' },
      { k: null, t: 'c' },
      { k: 1, t: 'a' },
      { k: 1.0, t: 'b' },
    ]);
    assert.equal(await c.countDocuments({ t: 'a' }), 4);
    assert.equal(await c.countDocuments({}), 7);
    assert.equal(await c.countDocuments({ t: 'zzz' }), 0);
    const byKey = await c.aggregate([{ $match: { t: { $in: ['a', 'b', 'c'] } } }, { $group: { _id: '$k', n: { $sum: 1 }, twice: { $sum: 2 } } }]).toArray();
    const seen = new Map(byKey.map((g) => [String(g._id), [g.n, g.twice]]));
    assert.deepEqual(seen.get(String(ids[0])), [2, 4]);
    assert.deepEqual(seen.get(String(ids[1])), [1, 2]);
    assert.deepEqual(seen.get('null'), [2, 4], 'a missing key and null group together');
    assert.deepEqual(seen.get('1'), [2, 4], '1 and 1.0 are one key');
    assert.equal(byKey.length, 4);
    const arrays = await c.aggregate([{ $group: { _id: '$nope', n: { $sum: 1 } } }]).toArray();
    assert.deepEqual(arrays, [{ _id: null, n: 7 }]);
  });

  it('sorts on a field the projection leaves out, and runs a leading $match of a pipeline as a filter', async () => {
    const { ObjectId } = await import('mongodb');
    const c = db.collection('sort_hidden');
    const owners = [new ObjectId(), new ObjectId()];
    await c.insertMany([
      { name: 'b', rank: 2, owner: owners[0] },
      { name: 'a', rank: 3, owner: owners[1] },
      { name: 'c', rank: 1, owner: owners[0] },
    ]);
    const names = (
      await c
        .find({}, { projection: { name: 1, _id: 0 } })
        .sort({ rank: 1 })
        .skip(1)
        .toArray()
    ).map((d) => d.name);
    assert.deepEqual(names, ['b', 'a']);
    const grouped = await c.aggregate([{ $match: { owner: { $in: [owners[0]] } } }, { $group: { _id: '$owner', n: { $sum: 1 } } }]).toArray();
    assert.deepEqual(
      grouped.map((g) => g.n),
      [2],
    );
    assert.deepEqual((await c.aggregate([{ $match: { rank: { $gt: 1 } } }]).toArray()).map((d) => d.name).sort(), ['a', 'b']);
  });

  it('projects top-level inclusions in document order, without _id when asked, skipping absent fields', async () => {
    const c = db.collection('projection_kinds');
    await c.insertMany([
      { n: 1, b: 'x', a: [1, 2], big: 'y'.repeat(1000) },
      { n: 2, a: [3] },
      { n: 3, b: 'z' },
    ]);
    const rows = await c
      .find({}, { projection: { a: 1, b: 1 } })
      .skip(1)
      .limit(2)
      .toArray();
    assert.deepEqual(
      rows.map((r) => Object.keys(r)),
      [
        ['_id', 'a'],
        ['_id', 'b'],
      ],
    );
    const noId = await c.find({ n: 1 }, { projection: { b: 1, n: 1, _id: 0 } }).toArray();
    assert.deepEqual(noId, [{ n: 1, b: 'x' }]);
  });

  it('matches equality and $in on scalars, ObjectIds, dates and array fields as MongoDB does', async () => {
    const { ObjectId } = await import('mongodb');
    const c = db.collection('in_matching');
    const ids = [new ObjectId(), new ObjectId(), new ObjectId()];
    const day = new Date('2026-01-01T00:00:00Z');
    await c.insertMany([
      { owner: ids[0], tags: ['a', 'b'], n: 1, at: day },
      { owner: ids[1], tags: ['c'], n: 2, at: new Date(day.getTime() + 1) },
      { owner: ids[2], tags: [], n: 3 },
      { owner: ids[0], n: 4 },
    ]);
    const ns = async (filter: object) => (await c.find(filter).sort({ n: 1 }).toArray()).map((d) => d.n);
    assert.deepEqual(await ns({ owner: { $in: [ids[0], ids[2]] } }), [1, 3, 4]);
    assert.deepEqual(await ns({ owner: ids[0], n: { $in: [4, 9] } }), [4]);
    assert.deepEqual(await ns({ tags: { $in: ['b', 'c'] } }), [1, 2]);
    assert.deepEqual(await ns({ tags: 'a' }), [1]);
    assert.deepEqual(await ns({ at: { $in: [day] } }), [1]);
    assert.deepEqual(await ns({ n: { $eq: 2 }, owner: { $in: [ids[1]] } }), [2]);
    assert.deepEqual(await ns({ owner: { $in: [] } }), []);
  });

  it('evaluates command-level let variables in find and aggregate', async () => {
    const c = db.collection('letvars');
    await c.insertMany([{ v: 1 }, { v: 5 }, { v: 9 }]);
    const found = await c.find({ $expr: { $gt: ['$v', '$$min'] } }, { let: { min: 4 } }).toArray();
    assert.deepEqual(
      found.map((d) => d.v),
      [5, 9],
    );
    const [sum] = await c
      .aggregate([{ $match: { $expr: { $lt: ['$v', '$$max'] } } }, { $group: { _id: null, s: { $sum: '$v' } } }], { let: { max: 6 } })
      .toArray();
    assert.equal(sum?.s, 6);
  });

  it('returns a Double holding a whole number as an integer (embedded server only)', async (t) => {
    if (!server.embedded) return t.skip('a real MongoDB keeps the Double type');
    const c = db.collection('numbers_kind');
    const { Double } = await import('mongodb');
    await c.insertOne({ _id: 'd' as never, whole: new Double(2), fraction: new Double(2.5) });
    const raw = await c.findOne({ _id: 'd' as never }, { promoteValues: false });
    assert.equal((raw?.whole as { _bsontype: string })._bsontype, 'Int32');
    assert.equal((raw?.fraction as { _bsontype: string })._bsontype, 'Double');
  });
});

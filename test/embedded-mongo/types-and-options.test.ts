import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Binary, Double, Int32, Long, MongoClient, MongoServerError, ObjectId, type Db } from 'mongodb';
import { startTestServer, type TestServer } from './test-server.ts';

let server: TestServer;
let client: MongoClient;
let db: Db;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- documents of every shape
type Loose = { _id?: number | string; [field: string]: any };
const coll = (name: string) => db.collection<Loose>(name);

before(async () => {
  server = await startTestServer('types');
  client = await MongoClient.connect(server.uri);
  db = client.db(server.dbName);
});

after(async () => {
  await db.dropDatabase();
  await client.close();
  await server.close();
});

const code = (n: number, message?: RegExp) => (err: MongoServerError) => {
  assert.equal(err.code, n, err.message);
  if (message) assert.match(err.message, message);
  return true;
};

describe('types, collation, hints and collection options', () => {
  it('$type tells binData, objectId, int, double and long apart', async () => {
    const c = coll('types');
    await c.insertMany([
      { _id: 1, v: new Binary(Buffer.from([1, 2])) },
      { _id: 2, v: new ObjectId() },
      { _id: 3, v: new Int32(2) },
      { _id: 4, v: new Double(2.5) },
      { _id: 5, v: Long.fromString('9007199254740993') },
      { _id: 6, v: 'text' },
      { _id: 7, v: [new Int32(1), 'x'] },
    ]);
    const ids = async (type: string | number) =>
      (
        await c
          .find({ v: { $type: type as never } })
          .sort({ _id: 1 })
          .toArray()
      ).map((d) => d._id);
    assert.deepEqual(await ids('binData'), [1]);
    assert.deepEqual(await ids('objectId'), [2]);
    assert.deepEqual(await ids('int'), [3, 7]);
    assert.deepEqual(await ids('double'), [4]);
    assert.deepEqual(await ids('long'), [5]);
    assert.deepEqual(await ids('number'), [3, 4, 5, 7]);
    assert.deepEqual(await ids(2), [6, 7]);
    assert.deepEqual(await ids('array'), [7]);
    assert.deepEqual(await ids('object'), []);
  });

  it('$inc on a Long beyond 2^53 adds exactly', async () => {
    const c = coll('longs');
    await c.insertOne({ _id: 1, n: Long.fromString('9007199254740993') });
    await c.updateOne({ _id: 1 }, { $inc: { n: 2 } });
    const doc = await db.collection('longs').findOne({ _id: 1 as never }, { promoteLongs: false });
    assert.equal(String(doc?.n), '9007199254740995');
  });

  it('$all matches a scalar field; $bits* read BinData', async () => {
    const c = coll('all-bits');
    await c.insertMany([
      { _id: 1, a: 1, b: new Binary(Buffer.from([0b0101])) },
      { _id: 2, a: [1, 2], b: 6 },
      { _id: 3, a: 2, b: new Binary(Buffer.from([0, 1])) },
    ]);
    assert.deepEqual(
      (
        await c
          .find({ a: { $all: [1] } })
          .sort({ _id: 1 })
          .toArray()
      ).map((d) => d._id),
      [1, 2],
    );
    assert.deepEqual((await c.find({ a: { $all: [] } }).toArray()).length, 0);
    assert.deepEqual(
      (await c.find({ b: { $bitsAllSet: [0, 2] } }).toArray()).map((d) => d._id),
      [1],
    );
    assert.deepEqual(
      (await c.find({ b: { $bitsAnySet: [8] } }).toArray()).map((d) => d._id),
      [3],
    );
    assert.deepEqual(
      (
        await c
          .find({ b: { $bitsAllClear: 1 } })
          .sort({ _id: 1 })
          .toArray()
      ).map((d) => d._id),
      [2, 3],
    );
  });

  it('collation: strength 1 and 2 compare case- and accent-insensitively; the rest is refused', async () => {
    const c = coll('collation');
    await c.insertMany([
      { _id: 1, name: 'Ada' },
      { _id: 2, name: 'ada' },
      { _id: 3, name: 'Adá' },
      { _id: 4, name: 'Bob' },
    ]);
    await c.createIndex({ name: 1 });
    const ids = async (filter: object, strength: number) =>
      (
        await c
          .find(filter, { collation: { locale: 'en', strength } })
          .sort({ _id: 1 })
          .toArray()
      ).map((d) => d._id);
    assert.deepEqual(await ids({ name: 'ada' }, 1), [1, 2, 3]);
    assert.deepEqual(await ids({ name: 'ada' }, 2), [1, 2]);
    assert.deepEqual(await ids({ name: { $in: ['ADA'] } }, 2), [1, 2]);
    assert.deepEqual(await ids({ name: { $ne: 'ada' } }, 1), [4]);
    assert.equal(await c.countDocuments({ name: 'ADA' }, { collation: { locale: 'en', strength: 2 } }), 2);
    assert.deepEqual(await ids({ name: 'ada' }, 3), [2]);
    const sorted = await c
      .find({}, { collation: { locale: 'en' } })
      .sort({ name: 1, _id: 1 })
      .toArray();
    assert.deepEqual(
      sorted.map((d) => d.name),
      ['ada', 'Ada', 'Adá', 'Bob'],
    );
    const res = await c.updateMany({ name: 'ADA' }, { $set: { hit: true } }, { collation: { locale: 'en', strength: 1 } });
    assert.equal(res.modifiedCount, 3);
    assert.deepEqual(
      (await c.find({ name: 'ada' }, { collation: { locale: 'simple' } }).toArray()).map((d) => d._id),
      [2],
    );
    if (server.embedded) {
      await assert.rejects(c.find({}, { collation: { locale: 'en', strength: 4 } }).toArray(), code(238));
      await assert.rejects(c.distinct('name', {}, { collation: { locale: 'en', strength: 1 } }), code(238));
    }
    await assert.rejects(c.find({}, { collation: { locale: 'xx-nope-1' } }).toArray(), code(2));
  });

  it('hint: an existing index is accepted, a missing one refused', async () => {
    const c = coll('hints');
    await c.insertMany([
      { _id: 1, k: 1 },
      { _id: 2, k: 2 },
    ]);
    await c.createIndex({ k: 1 });
    assert.equal((await c.find({ k: 2 }).hint({ k: 1 }).toArray()).length, 1);
    assert.equal((await c.find({ k: 2 }).hint('k_1').toArray()).length, 1);
    assert.equal((await c.find({}).hint({ $natural: 1 }).toArray()).length, 2);
    await assert.rejects(c.find({ k: 2 }).hint({ nope: 1 }).toArray(), code(2, /hint provided does not correspond to an existing index/));
    await assert.rejects(c.updateOne({ k: 2 }, { $set: { x: 1 } }, { hint: 'nope_1' }), code(2));
    await db.command({ collMod: 'hints', index: { name: 'k_1', hidden: true } });
    assert.equal((await c.listIndexes().toArray()).find((i) => i.name === 'k_1')?.hidden, true);
    await assert.rejects(c.find({ k: 2 }).hint('k_1').toArray(), code(2));
    assert.equal(await c.countDocuments({ k: 2 }), 1, 'a hidden index still answers through a scan');
  });

  it('$jsonSchema and query validators are enforced (code 121), warn lets writes through', async () => {
    await db.createCollection('validated', {
      validator: {
        $jsonSchema: {
          bsonType: 'object',
          required: ['name'],
          properties: { name: { bsonType: 'string', minLength: 1 }, age: { bsonType: 'int', minimum: 0 } },
        },
      },
    });
    const c = coll('validated');
    await c.insertOne({ name: 'Ada', age: 36 });
    await assert.rejects(c.insertOne({ age: 3 }), code(121, /Document failed validation/));
    await assert.rejects(c.insertOne({ name: 'B', age: -1 }), code(121));
    await assert.rejects(c.updateOne({ name: 'Ada' }, { $set: { name: 5 } }), code(121));
    assert.equal(await c.countDocuments(), 1);
    await db.command({ collMod: 'validated', validator: { age: { $gte: 18 } } });
    await assert.rejects(c.insertOne({ name: 'kid', age: 5 }), code(121));
    await db.command({ collMod: 'validated', validationAction: 'warn' });
    await c.insertOne({ name: 'kid', age: 5 });
    assert.equal(await c.countDocuments(), 2);
  });

  it('capped collections keep the newest documents within max and size; create options are checked', async () => {
    await db.createCollection('capped', { capped: true, size: 100000, max: 3 });
    const c = coll('capped');
    for (let i = 1; i <= 5; i++) await c.insertOne({ _id: i });
    await c.insertMany([{ _id: 6 }, { _id: 7 }]);
    assert.deepEqual(
      (await c.find().toArray()).map((d) => d._id),
      [5, 6, 7],
    );
    await db.createCollection('capped-bytes', { capped: true, size: 4096 });
    const b = coll('capped-bytes');
    for (let i = 0; i < 10; i++) await b.insertOne({ _id: i, pad: 'x'.repeat(1000) });
    const left = (await b.find().toArray()).map((d) => d._id);
    assert.ok(left.length < 10 && left.length >= 3, `kept ${left.length}`);
    assert.equal(left[left.length - 1], 9);
    await assert.rejects(db.createCollection('bad1', { capped: true }), code(72));
    await assert.rejects(db.command({ create: 'bad2', bogus: 1 }), code(40415));
    await assert.rejects(db.command({ create: 'bad3', validationLevel: 'sometimes' }), code(2));
  });

  it('$jsonSchema and $comment in a query', async () => {
    const c = coll('schema-query');
    await c.insertMany([
      { _id: 1, name: 'a', n: 1 },
      { _id: 2, n: 'x' },
    ]);
    const hits = await c.find({ $jsonSchema: { required: ['name'], properties: { n: { bsonType: 'int' } } }, $comment: 'why' }).toArray();
    assert.deepEqual(
      hits.map((d) => d._id),
      [1],
    );
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Binary, DBRef, MongoClient, type Db } from 'mongodb';
import { startTestServer, type TestServer } from './test-server.ts';

let server: TestServer;
let client: MongoClient;
let db: Db;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- documents of every shape
type Loose = { _id?: number | string; [field: string]: any };
const coll = (name: string) => db.collection<Loose>(name);

before(async () => {
  server = await startTestServer('projections');
  client = await MongoClient.connect(server.uri);
  db = client.db(server.dbName);
});

after(async () => {
  await db.dropDatabase();
  await client.close();
  await server.close();
});

describe('projections', () => {
  it('$slice alone keeps the other fields, and works beside an exclusion or an inclusion', async () => {
    const c = coll('slice');
    await c.insertOne({ _id: 1, a: [1, 2, 3, 4], b: 'x', c: { d: [5, 6, 7] } });
    assert.deepEqual(await c.findOne({ _id: 1 }, { projection: { a: { $slice: 2 } } }), { _id: 1, a: [1, 2], b: 'x', c: { d: [5, 6, 7] } });
    assert.deepEqual(await c.findOne({ _id: 1 }, { projection: { a: { $slice: -1 }, b: 0 } }), { _id: 1, a: [4], c: { d: [5, 6, 7] } });
    assert.deepEqual(await c.findOne({ _id: 1 }, { projection: { a: { $slice: [1, 2] }, b: 1, _id: 0 } }), { a: [2, 3], b: 'x' });
    assert.deepEqual(await c.findOne({ _id: 1 }, { projection: { 'c.d': { $slice: 1 } } }), { _id: 1, a: [1, 2, 3, 4], b: 'x', c: { d: [5] } });
  });

  it('$elemMatch projection with an operator-only condition on scalars, and on documents', async () => {
    const c = coll('elem');
    await c.insertOne({ _id: 1, n: [1, 5, 9], k: [{ x: 1 }, { x: 2, y: 1 }, { x: 2 }], other: true });
    assert.deepEqual(await c.findOne({ _id: 1 }, { projection: { n: { $elemMatch: { $gt: 4 } } } }), { _id: 1, n: [5] });
    assert.deepEqual(await c.findOne({ _id: 1 }, { projection: { k: { $elemMatch: { x: 2 } }, other: 1 } }), { _id: 1, k: [{ x: 2, y: 1 }], other: true });
    assert.deepEqual(await c.findOne({ _id: 1 }, { projection: { n: { $elemMatch: { $gt: 100 } } } }), { _id: 1 });
  });

  it('a dotted inclusion keeps sub-documents (empty when they lack the field), projects arrays of documents and drops their scalars', async () => {
    const c = coll('dotted');
    await c.insertMany([
      { _id: 1, a: [1, { b: 2, x: 0 }, { c: 3 }], z: 'gone' },
      { _id: 2, a: { b: { c: 1, d: 2 }, e: 3 }, f: 4 },
      { _id: 3, a: 'scalar', f: 5 },
      { _id: 4, a: [[{ b: 1, c: 2 }], 7] },
    ]);
    const byId = async (projection: Loose) => (await c.find({}, { projection }).sort({ _id: 1 }).toArray()).map((d) => JSON.parse(JSON.stringify(d)));
    // The first shape is MongoDB's own example (SERVER-6527): a: [1, {b: 2}, {c: 3}] with 'a.b' gives [{b: 2}, {}].
    assert.deepEqual(await byId({ 'a.b': 1 }), [{ _id: 1, a: [{ b: 2 }, {}] }, { _id: 2, a: { b: { c: 1, d: 2 } } }, { _id: 3 }, { _id: 4, a: [[{ b: 1 }]] }]);
    assert.deepEqual(await byId({ 'a.b.c': 1, f: 1, _id: 0 }), [{ a: [{}, {}] }, { a: { b: { c: 1 } }, f: 4 }, { f: 5 }, { a: [[{}]] }]);
    assert.deepEqual(await byId({ 'a.e': 1, 'a.b.d': 1 }), [{ _id: 1, a: [{}, {}] }, { _id: 2, a: { b: { d: 2 }, e: 3 } }, { _id: 3 }, { _id: 4, a: [[{}]] }]);
  });

  it("positional 'arr.$' returns the element the query matched", async () => {
    const c = coll('positional');
    await c.insertOne({ _id: 1, a: [{ x: 1 }, { x: 2 }, { x: 3 }] });
    assert.deepEqual(await c.findOne({ 'a.x': 2 }, { projection: { 'a.$': 1 } }), { _id: 1, a: [{ x: 2 }] });
    const found = await c.findOneAndUpdate({ 'a.x': 3 }, { $set: { seen: true } }, { projection: { 'a.$': 1 }, returnDocument: 'after' });
    assert.deepEqual(found, { _id: 1, a: [{ x: 3 }] });
  });
});

describe('queries', () => {
  it('$elemMatch over DBRef-shaped subdocuments', async () => {
    const c = coll('refs');
    await c.insertMany([
      { _id: 1, refs: [new DBRef('users', 7 as never)] },
      { _id: 2, refs: [new DBRef('users', 8 as never)] },
    ]);
    const hits = await c.find({ refs: { $elemMatch: { $ref: 'users', $id: 7 } } }).toArray();
    assert.deepEqual(
      hits.map((d) => d._id),
      [1],
    );
  });

  it('sorts BinData by length, then subtype, then bytes', async () => {
    const c = coll('bindata');
    await c.insertMany([
      { _id: 1, b: new Binary(Buffer.from([9, 9]), 0) },
      { _id: 2, b: new Binary(Buffer.from([1]), 5) },
      { _id: 3, b: new Binary(Buffer.from([2]), 0) },
      { _id: 4, b: new Binary(Buffer.from([1, 0]), 0) },
    ]);
    assert.deepEqual(
      (await c.find().sort({ b: 1 }).toArray()).map((d) => d._id),
      [3, 2, 4, 1],
    );
    assert.deepEqual(
      (
        await c
          .find({ b: { $gt: new Binary(Buffer.from([5]), 0) } })
          .sort({ _id: 1 })
          .toArray()
      ).map((d) => d._id),
      [1, 2, 4],
    );
  });

  it('field names constructor, toString and __proto__ in filters and updates', async () => {
    const c = coll('protos');
    await c.insertOne({ _id: 1, constructor: 'c', toString: 't' });
    assert.equal((await c.find({ constructor: 'c' }).toArray()).length, 1);
    assert.equal((await c.find({ toString: 't' }).toArray()).length, 1);
    assert.equal((await c.find({ constructor: { $exists: false } }).toArray()).length, 0);
    await c.insertOne({ _id: 2 });
    assert.deepEqual(
      (await c.find({ constructor: { $exists: false } }).toArray()).map((d) => d._id),
      [2],
    );
    assert.deepEqual(
      (await c.find({ toString: null }).toArray()).map((d) => d._id),
      [2],
    );
    await c.updateOne({ _id: 2 }, { $set: { constructor: 5, 'nested.toString': 1 } });
    assert.deepEqual(await c.findOne({ _id: 2 }), { _id: 2, constructor: 5, nested: { toString: 1 } });
    await c.updateOne({ _id: 2 }, { $inc: { valueOf: 1 } });
    assert.equal((await c.findOne({ _id: 2 }))?.valueOf, 1);
  });

  it('$-prefixed field names: insert and an upsert may create them (MongoDB 5+), an update of a stored document may not', async () => {
    const c = coll('dollars');
    await c.insertOne({ _id: 1, $price: 50, nested: { $inc: true } });
    assert.deepEqual(await c.findOne({ _id: 1 }), { _id: 1, $price: 50, nested: { $inc: true } });
    await c.updateOne({ date: 'd1' }, { $set: { phone: 25, $hotel: 320 } }, { upsert: true });
    const upserted = await c.findOne({ date: 'd1' });
    assert.equal(upserted?.$hotel, 320);
    await assert.rejects(c.updateOne({ date: 'd1' }, { $set: { $hotel: 1 } }), (err: Error) => err.name === 'MongoServerError');
    assert.equal((await c.findOne({ date: 'd1' }))?.$hotel, 320);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoClient, MongoServerError, type Db } from 'mongodb';
import { startTestServer, type TestServer } from './test-server.ts';

let server: TestServer;
let client: MongoClient;
let db: Db;

before(async () => {
  server = await startTestServer('semantics');
  client = await MongoClient.connect(server.uri);
  db = client.db(server.dbName);
});

after(async () => {
  await db.dropDatabase();
  await client.close();
  await server.close();
});

/** Documents of any shape with any `_id`: these tests write shapes MongoDB's typings do not describe. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the point is values of every type
type Loose = { _id?: number | string; [field: string]: any };
const coll = (name: string) => db.collection<Loose>(name);

function rejectsWithCode(promise: Promise<unknown>, code: number, message?: RegExp): Promise<void> {
  return assert.rejects(promise, (err: MongoServerError) => {
    assert.equal(err.code, code, err.message);
    if (message) assert.match(err.message, message);
    return true;
  });
}

describe('answers MongoDB gives, on every path through the engine', () => {
  it('$count of nothing is no document, inside a $facet too, whatever stage follows', async () => {
    const c = coll('facets');
    await c.insertMany([{ x: 2 }, { x: 3 }]);
    const facet = { $facet: { n: [{ $match: { x: 1 } }, { $count: 'n' }] } };
    assert.deepEqual(await c.aggregate([facet]).toArray(), [{ n: [] }]);
    // A later stage that edits nested fields used to send the facet through mingo, which said {n: 0}.
    assert.deepEqual(await c.aggregate([facet, { $set: { 'meta.k': 1 } }]).toArray(), [{ n: [], meta: { k: 1 } }]);
    assert.deepEqual(await c.aggregate([{ $match: { x: 9 } }, { $count: 'n' }, { $set: { 'a.b': 1 } }]).toArray(), []);
    assert.deepEqual(await c.aggregate([{ $match: { x: { $gt: 0 } } }, { $set: { 'a.b': 1 } }, { $count: 'n' }]).toArray(), [{ n: 2 }]);
  });

  it('$sample never repeats a document', async () => {
    const c = coll('sample');
    await c.insertMany([{ k: 1 }, { k: 2 }, { k: 3 }]);
    for (let i = 0; i < 10; i++) {
      const docs = await c.aggregate([{ $sample: { size: 10 } }]).toArray();
      assert.equal(docs.length, 3);
      assert.deepEqual(docs.map((d) => d.k).sort(), [1, 2, 3]);
    }
    assert.equal((await c.aggregate([{ $sample: { size: 2 } }]).toArray()).length, 2);
  });

  it('$expr comparisons follow BSON type order, with missing below null', async () => {
    const c = coll('expr');
    await c.insertMany([{ _id: 1, a: 5 }, { _id: 2, a: null }, { _id: 3 }, { _id: 4, a: 'text' }, { _id: 5, a: [1, 2] }]);
    const ids = async (expr: object) => (await c.find({ $expr: expr }).sort({ _id: 1 }).toArray()).map((d) => d._id);
    assert.deepEqual(await ids({ $gt: [1, '$missing'] }), [1, 2, 3, 4, 5]);
    assert.deepEqual(await ids({ $gt: [1, null] }), [1, 2, 3, 4, 5]);
    assert.deepEqual(await ids({ $eq: ['$a', null] }), [2], 'a missing field is not null in an expression');
    assert.deepEqual(await ids({ $lt: ['$a', 'a'] }), [1, 2, 3], 'numbers and null sort below strings');
    assert.deepEqual(await ids({ $gt: ['$a', 'zzz'] }), [5], 'arrays sort above strings, and are not searched');
    assert.deepEqual(await ids({ $eq: ['$a', 1] }), [], 'an array is not equal to one of its elements');
    const [cmp] = await c.aggregate([{ $match: { _id: 3 } }, { $project: { c: { $cmp: ['$a', null] } } }]).toArray();
    assert.equal(cmp?.c, -1);
  });

  it('refuses the writes MongoDB refuses, instead of acknowledging a no-op', async () => {
    const c = coll('refused');
    await c.insertOne({ _id: 1, n: 5, s: 'x', arr: [{ f: 1 }, { f: 2 }], scalar: 3 });
    await rejectsWithCode(c.updateOne({ _id: 1 }, { $push: { n: 1 } } as never), 2, /The field 'n' must be an array but is of type int/);
    await rejectsWithCode(c.updateOne({ _id: 1 }, { $addToSet: { s: 1 } }), 2, /must be an array but is of type string/);
    await rejectsWithCode(c.updateOne({ _id: 1 }, { $set: { 'arr.field': 1 } }), 28, /Cannot create field 'field'/);
    await rejectsWithCode(c.updateOne({ _id: 1 }, { $set: { 'scalar.x': 1 } }), 28);
    await rejectsWithCode(c.updateOne({ _id: 1 }, { $inc: { s: 1 } }), 14, /non-numeric type string/);
    await rejectsWithCode(c.updateOne({ _id: 1 }, { $inc: { n: 'a' } } as never), 14, /Cannot increment with non-numeric argument/);
    await rejectsWithCode(c.updateOne({ _id: 1 }, { $pop: { s: 1 } }), 14);
    assert.deepEqual(await c.findOne({ _id: 1 }), { _id: 1, n: 5, s: 'x', arr: [{ f: 1 }, { f: 2 }], scalar: 3 }, 'nothing changed');
    // What MongoDB does accept around those: a numeric index, $unset through a scalar.
    await c.updateOne({ _id: 1 }, { $set: { 'arr.1.f': 9 }, $unset: { 'scalar.x': '' } });
    assert.deepEqual((await c.findOne({ _id: 1 }))?.arr, [{ f: 1 }, { f: 9 }]);
  });
});

describe("pipeline errors in MongoDB's codes", () => {
  it('an unknown stage is 40324 and a stage with two fields 40323, nested ones too', async () => {
    const c = coll('stages');
    await c.insertOne({ _id: 1 });
    await rejectsWithCode(c.aggregate([{ $nope: {} }]).toArray(), 40324, /Unrecognized pipeline stage name: '\$nope'/);
    await rejectsWithCode(c.aggregate([{ $facet: { a: [{ $bogus: 1 }] } }]).toArray(), 40324);
    await rejectsWithCode(c.aggregate([{ $match: {}, $limit: 1 }]).toArray(), 40323);
  });
});

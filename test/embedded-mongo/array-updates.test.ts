import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoClient, MongoServerError, type Db } from 'mongodb';
import mongoose, { Schema, type Connection } from 'mongoose';
import { startTestServer, type TestServer } from './test-server.ts';

let server: TestServer;
let client: MongoClient;
let db: Db;
let conn: Connection;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- documents of every shape
type Loose = { _id?: number | string; [field: string]: any };
const coll = (name: string) => db.collection<Loose>(name);

before(async () => {
  server = await startTestServer('arrays');
  client = await MongoClient.connect(server.uri);
  db = client.db(server.dbName);
  conn = await mongoose.createConnection(server.uri, { dbName: server.dbName }).asPromise();
});

after(async () => {
  await db.dropDatabase();
  await conn.close();
  await client.close();
  await server.close();
});

describe('updates of array elements', () => {
  it('sets two fields of the positional element, with $ and with $[id]', async () => {
    const c = coll('slides');
    await c.insertOne({ _id: 1, slides: [{ id: 1 }, { id: 2 }, { id: 3 }] });
    await c.updateOne({ _id: 1, 'slides.id': 2 }, { $set: { 'slides.$.a': 1, 'slides.$.b': 2 } });
    await c.updateOne({ _id: 1 }, { $set: { 'slides.$[s].c': 3, 'slides.$[s].d': 4 } }, { arrayFilters: [{ 's.id': { $gte: 2 } }] });
    await c.updateOne({ _id: 1 }, { $inc: { 'slides.$[].n': 1 } });
    assert.deepEqual((await c.findOne({ _id: 1 }))?.slides, [
      { id: 1, n: 1 },
      { id: 2, a: 1, b: 2, c: 3, d: 4, n: 1 },
      { id: 3, c: 3, d: 4, n: 1 },
    ]);
  });

  it('refuses a positional update with no matched element, and real conflicts, as MongoDB does', async () => {
    const c = coll('positional-errors');
    await c.insertOne({ _id: 1, list: [{ id: 1 }], a: { b: 1 } });
    await assert.rejects(c.updateOne({ _id: 1 }, { $set: { 'list.$.x': 1 } }), (err: MongoServerError) => err.code === 2);
    await assert.rejects(c.updateOne({ _id: 1 }, { $set: { a: 1, 'a.b': 2 } }), (err: MongoServerError) => err.code === 40);
  });

  it('$pull with a document condition removes the elements it matches, $or included', async () => {
    const c = coll('pull');
    await c.insertOne({
      _id: 1,
      members: [
        { u: 1, r: 'a' },
        { u: 2, r: 'b' },
        { u: 3, r: 'c' },
      ],
      scores: [1, 5, 9],
      tags: ['x', 'y'],
    });
    const res = await c.updateOne({ _id: 1 }, { $pull: { members: { $or: [{ u: 1 }, { r: 'c' }] }, scores: { $gte: 5 }, tags: 'y' } } as never);
    assert.equal(res.modifiedCount, 1);
    assert.deepEqual(await c.findOne({ _id: 1 }), { _id: 1, members: [{ u: 2, r: 'b' }], scores: [1], tags: ['x'] });
    const none = await c.updateOne({ _id: 1 }, { $pull: { members: { u: 9 } } } as never);
    assert.equal(none.modifiedCount, 0);
  });

  it('Mongoose: a subdocument update with timestamps saves, and DocumentArray#pull() + save() removes', async () => {
    const child = new Schema({ name: String, done: Boolean }, { timestamps: true });
    const Parent = conn.model('Parent', new Schema({ title: String, children: [child] }, { timestamps: true }));
    const parent = await Parent.create({ title: 'p', children: [{ name: 'a' }, { name: 'b' }] });
    const [first, second] = parent.children as unknown as Array<{ _id: unknown; updatedAt: Date }>;
    const before = second!.updatedAt;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await Parent.updateOne({ _id: parent._id, 'children._id': second!._id }, { $set: { 'children.$.done': true, 'children.$.name': 'B' } });
    const updated = await Parent.findById(parent._id).lean<{ children: Array<{ name: string; done?: boolean; updatedAt: Date }> }>();
    assert.equal(updated?.children[1]?.name, 'B');
    assert.equal(updated?.children[1]?.done, true);
    assert.ok(updated!.children[1]!.updatedAt.getTime() > before.getTime(), 'Mongoose added children.$.updatedAt beside our fields');

    const doc = await Parent.findById(parent._id);
    (doc!.children as unknown as { pull(id: unknown): void }).pull(first!._id);
    await doc!.save();
    const after = await Parent.findById(parent._id).lean<{ children: Array<{ name: string }> }>();
    assert.deepEqual(
      after?.children.map((c) => c.name),
      ['B'],
    );
  });
});

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { MongoClient, MongoServerError, type Db, type Document } from 'mongodb';
import { startTestServer, type TestServer } from './test-server.ts';

/* $merge through the official driver, as MongoDB 4.4+ documents it. */

function code(expected: number): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof MongoServerError, String(err));
    assert.equal(err.code, expected, err.message);
    return true;
  };
}

const embedded = !process.env.MONGODB_URI;

/** Documents of the targets, keyed by a string `_id`. */
type Keyed = { _id: string } & Document;

describe('$merge', () => {
  let server: TestServer;
  let client: MongoClient;
  let db: Db;
  before(async () => {
    server = await startTestServer('merge');
    client = await MongoClient.connect(server.uri);
    db = client.db(server.dbName);
  });
  after(async () => {
    await client?.close();
    await server?.close();
  });
  beforeEach(async () => {
    for (const name of ['scores', 'totals', 'by_email'])
      await db
        .collection(name)
        .drop()
        .catch(() => undefined);
    await db.collection('scores').insertMany([
      { student: 'ana', points: 3 },
      { student: 'ana', points: 4 },
      { student: 'ben', points: 5 },
    ]);
  });
  const totals = () => db.collection<Keyed>('totals').find().sort({ _id: 1 }).toArray();
  const merge = (spec: string | Document, extra: Document[] = []) =>
    db
      .collection('scores')
      .aggregate([{ $group: { _id: '$student', total: { $sum: '$points' } } }, ...extra, { $merge: spec }])
      .toArray();

  it("by default merges on _id: new results are inserted, matched ones get the result's fields and keep their others", async () => {
    await db.collection<Keyed>('totals').insertOne({ _id: 'ana', total: 0, note: 'kept' });
    assert.deepEqual(await merge('totals'), []);
    assert.deepEqual(await totals(), [
      { _id: 'ana', total: 7, note: 'kept' },
      { _id: 'ben', total: 5 },
    ]);
  });

  it('whenMatched replace, keepExisting, and whenNotMatched discard', async () => {
    await db.collection<Keyed>('totals').insertMany([
      { _id: 'ana', total: 0, note: 'gone' },
      { _id: 'cat', total: 1 },
    ]);
    await merge({ into: 'totals', whenMatched: 'replace', whenNotMatched: 'discard' });
    assert.deepEqual(await totals(), [
      { _id: 'ana', total: 7 },
      { _id: 'cat', total: 1 },
    ]);
    await db.collection('scores').insertOne({ student: 'ana', points: 100 });
    await merge({ into: 'totals', whenMatched: 'keepExisting' });
    assert.deepEqual(await totals(), [
      { _id: 'ana', total: 7 },
      { _id: 'ben', total: 5 },
      { _id: 'cat', total: 1 },
    ]);
  });

  it('a whenMatched pipeline sees the result as $$new, or as its let variables', async () => {
    await db.collection<Keyed>('totals').insertMany([{ _id: 'ana', total: 10, runs: 1 }]);
    await merge({ into: 'totals', whenMatched: [{ $set: { total: { $add: ['$total', '$$new.total'] }, runs: { $add: ['$runs', 1] } } }] });
    assert.deepEqual(await totals(), [
      { _id: 'ana', total: 17, runs: 2 },
      { _id: 'ben', total: 5 },
    ]);
    await merge({ into: 'totals', let: { t: '$total', bonus: 1 }, whenMatched: [{ $set: { last: { $add: ['$$t', '$$bonus'] } } }], whenNotMatched: 'discard' });
    assert.deepEqual(
      (await totals()).map((d) => d.last),
      [8, 6],
    );
  });

  it('whenMatched fail is a duplicate key (11000); whenNotMatched fail is 13113', async () => {
    await db.collection<Keyed>('totals').insertOne({ _id: 'ben', total: 0 });
    await assert.rejects(merge({ into: 'totals', whenMatched: 'fail' }), code(11000));
    await db.collection<Keyed>('totals').deleteMany({});
    await db.collection<Keyed>('totals').insertOne({ _id: 'ana', total: 0 });
    await assert.rejects(merge({ into: 'totals', whenNotMatched: 'fail' }), code(13113));
  });

  it("on another field needs a unique index on it (51183), a value in every result (51132), and keeps the target's _id (66)", async () => {
    const target = db.collection<Keyed>('by_email');
    const people = [
      { email: 'a@x.org', n: 1 },
      { email: 'b@x.org', n: 2 },
    ];
    await db.collection('scores').deleteMany({});
    await db.collection('scores').insertMany(people);
    const run = (spec: Document, project: Document = { _id: 0, email: 1, n: 1 }) =>
      db
        .collection('scores')
        .aggregate([{ $project: project }, { $merge: spec }])
        .toArray();
    await assert.rejects(run({ into: 'by_email', on: 'email' }), code(51183));
    await target.createIndex({ email: 1 }, { unique: true });
    await target.insertOne({ _id: 'kept-id', email: 'a@x.org', n: 0, since: 2020 });
    await run({ into: 'by_email', on: 'email' });
    const docs = await target
      .find({}, { projection: { _id: 0 } })
      .sort({ email: 1 })
      .toArray();
    assert.deepEqual(docs, [
      { email: 'a@x.org', n: 1, since: 2020 },
      { email: 'b@x.org', n: 2 },
    ]);
    assert.equal((await target.findOne({ email: 'a@x.org' }))!._id, 'kept-id');
    await assert.rejects(run({ into: 'by_email', on: 'email' }, { _id: 0, n: 1 }), code(51132));
    await assert.rejects(run({ into: 'by_email', on: 'email', whenMatched: 'replace' }, { _id: 1, email: 1 }), code(66));
  });

  it('can write into the collection it reads, and from $documents', async () => {
    await db
      .collection('scores')
      .aggregate([{ $match: { student: 'ben' } }, { $set: { points: 50 } }, { $merge: { into: 'scores' } }])
      .toArray();
    assert.deepEqual(
      (
        await db
          .collection('scores')
          .find({}, { projection: { _id: 0 } })
          .sort({ points: 1 })
          .toArray()
      ).map((d) => d.points),
      [3, 4, 50],
    );
    await db.aggregate([{ $documents: [{ _id: 'dan', total: 9 }] }, { $merge: 'totals' }]).toArray();
    assert.deepEqual(await totals(), [{ _id: 'dan', total: 9 }]);
  });

  it("is refused with MongoDB's errors when it is not last (40601) or its spec is wrong", async () => {
    await assert.rejects(
      db
        .collection('scores')
        .aggregate([{ $merge: 'totals' }, { $match: {} }])
        .toArray(),
      code(40601),
    );
    await assert.rejects(
      db
        .collection('scores')
        .aggregate([{ $out: 'totals' }, { $match: {} }])
        .toArray(),
      code(40601),
    );
    await assert.rejects(merge({ into: 'totals', upsert: true }), code(40415));
    await assert.rejects(merge({ into: 'totals', whenMatched: 'overwrite' }), code(2));
    await assert.rejects(merge({ into: 'totals', whenMatched: [{ $match: {} }] }), code(72));
    await assert.rejects(merge({ into: 'totals', on: ['_id', '_id'] }), code(31465));
    assert.deepEqual(await totals(), []);
  });

  it(
    'writes all or nothing on the embedded server (mongod may stop part way)',
    { skip: embedded ? false : "the embedded server's own guarantee" },
    async () => {
      await db.collection<Keyed>('totals').insertOne({ _id: 'ben', total: 0 });
      // "ana" comes first from the $sort, then "ben" fails: nothing is written.
      await assert.rejects(merge({ into: 'totals', whenMatched: 'fail' }, [{ $sort: { _id: 1 } }]), code(11000));
      assert.deepEqual(await totals(), [{ _id: 'ben', total: 0 }]);
    },
  );
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import { hasNestedRepetition } from '../../server/embedded-mongo/engine/regex-guard.ts';
import { startEmbeddedMongoInWorker, type EmbeddedMongo } from '../../server/embedded-mongo/index.ts';
import { testEngineOptions } from './test-server.ts';

const LONG = 'a'.repeat(50_000) + '!';

function invalidRegex(err: unknown): boolean {
  assert.ok(err instanceof MongoServerError, String(err));
  assert.equal(err.code, 51091);
  assert.match(err.message, /Regular expression is invalid/);
  return true;
}

// In a worker, as Lectern runs it: a regex that never ends would hold that thread, not the test's.
describe(
  'regular expressions with catastrophic backtracking',
  { skip: process.env.MONGODB_URI ? 'bounds of the embedded server' : false, timeout: 120_000 },
  () => {
    let server: EmbeddedMongo;
    let client: MongoClient;
    let other: MongoClient;
    let coll: Collection;
    before(async () => {
      server = await startEmbeddedMongoInWorker(testEngineOptions());
      client = await MongoClient.connect(server.uri);
      other = await MongoClient.connect(server.uri);
      coll = client.db('regex').collection('c');
      await coll.insertMany([{ s: LONG }, { s: 'aaa' }]);
    });
    after(async () => {
      await client?.close();
      await other?.close();
      await server?.close();
    });

    it('(a+)+$ on a 50,000-character string answers, and other clients are answered alongside', async () => {
      const [matched, ping] = await Promise.all([coll.find({ s: { $regex: '(a+)+$' } }).toArray(), other.db('admin').command({ ping: 1 })]);
      assert.deepEqual(
        matched.map((d) => d.s),
        ['aaa'],
      );
      assert.equal(ping.ok, 1);
      assert.equal(await coll.countDocuments({ s: /(a|aa)+$/ }), 1, 'a BSON regex too');
      const [doc] = await coll.aggregate([{ $match: { s: LONG } }, { $project: { _id: 0, m: { $regexMatch: { input: '$s', regex: '(a+)+$' } } } }]).toArray();
      assert.deepEqual(doc, { m: false });
    });

    it('refuses (51091) nested repetition the linear engine cannot take: case-insensitive, lookaround, backreference', async () => {
      await assert.rejects(coll.find({ s: { $regex: '(a+)+$', $options: 'i' } }).toArray(), invalidRegex);
      await assert.rejects(coll.find({ s: /^(a+)+(?=!)/ }).toArray(), invalidRegex);
      await assert.rejects(coll.aggregate([{ $project: { m: { $regexMatch: { input: '$s', regex: /(a|b)*\1$/ } } } }]).toArray(), invalidRegex);
      assert.equal(await coll.countDocuments({ s: { $regex: '^A+$', $options: 'i' } }), 1, 'an ordinary case-insensitive pattern still runs');
      assert.equal((await other.db('admin').command({ ping: 1 })).ok, 1);
    });
  },
);

describe('hasNestedRepetition', () => {
  it('finds a repeated group that repeats or alternates, and nothing else', () => {
    for (const p of ['(a+)+', '(a|ab)*', '(x{2,})+', '((ab)*c)+', '(?:a*)*', '(\\w+\\s?)+$']) assert.equal(hasNestedRepetition(p), true, p);
    for (const p of ['a+b+', '(ab)+', '(a+)?', '[(a+)]+', '\\(a+\\)+', '(a|b)', '(a{2})+', '^\\w+@\\w+\\.com$']) assert.equal(hasNestedRepetition(p), false, p);
  });
});

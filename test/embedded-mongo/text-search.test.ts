import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MongoClient, MongoServerError, type Collection, type Db, type Document } from 'mongodb';
import { startEmbeddedMongo } from '../../server/embedded-mongo/index.ts';
import { startTestServer, testEngineOptions, type TestServer } from './test-server.ts';

/*
 * Text indexes and $text through the official driver, as MongoDB 7/8 answer them. Expected
 * scores are worked out by hand from mongod's formula (fts_spec.cpp, _scoreStringV2): for each
 * indexed string, each term (stop words dropped, stemmed) scores
 *   weight × freq × (0.5 × count / tokens + 0.5) × (1.1 if the whole string is the term, else 1)
 * where freq = 1 + 1/2 + 1/4 … over its repeats and tokens counts the string's terms; a
 * document's score is the sum over the strings and the query's terms. A real MongoDB
 * (MONGODB_URI) should give the same values, so those tests run against it too.
 */

function code(expected: number): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof MongoServerError, String(err));
    assert.equal(err.code, expected, err.message);
    return true;
  };
}

const embeddedOnly = process.env.MONGODB_URI ? 'a limit or a refusal of the embedded server' : false;

type Article = { _id: string; title: string; body: string };
type Numbered = { _id: number } & Document;

const ARTICLES: Article[] = [
  { _id: 'a', title: 'Coffee', body: 'The coffee was strong and the coffee was hot' },
  { _id: 'b', title: 'Tea time', body: 'Green tea, not coffee.' },
  { _id: 'c', title: 'Running shoes', body: 'She runs daily' },
  { _id: 'd', title: 'Shanghai Cooperation Organisation', body: 'a summit in Shanghai' },
  { _id: 'e', title: 'cake', body: 'Cake!' },
  { _id: 'f', title: 'Café', body: 'crème brûlée' },
];

describe('text indexes and $text', () => {
  let server: TestServer;
  let client: MongoClient;
  let db: Db;
  let articles: Collection<Article>;
  const ids = async (filter: Document, options: Document = {}): Promise<string[]> => (await articles.find(filter, options).toArray()).map((d) => d._id).sort();
  const search = (s: string, extra: Document = {}): Promise<string[]> => ids({ $text: { $search: s, ...extra } });

  before(async () => {
    server = await startTestServer('text');
    client = await MongoClient.connect(server.uri);
    db = client.db(server.dbName);
    articles = db.collection<Article>('articles');
    await articles.insertMany(ARTICLES);
    await articles.createIndex({ title: 'text', body: 'text' }, { weights: { title: 10 } });
  });
  after(async () => {
    await client?.close();
    await server?.close();
  });

  it('shows the index in listIndexes as mongod stores it', async () => {
    const text = (await articles.indexes()).find((i) => i.name === 'title_text_body_text');
    const { v: _v, ...shape } = text ?? {};
    assert.deepEqual(shape, {
      key: { _fts: 'text', _ftsx: 1 },
      name: 'title_text_body_text',
      weights: { body: 1, title: 10 },
      default_language: 'english',
      language_override: 'language',
      textIndexVersion: 3,
    });
  });

  it('matches any of the terms, stemmed, whatever their case and diacritics', async () => {
    assert.deepEqual(await search('coffee'), ['a', 'b']);
    assert.deepEqual(await search('tea shoes'), ['b', 'c']);
    // "Running" and "runs" both stem to "run".
    assert.deepEqual(await search('run'), ['c']);
    assert.deepEqual(await search('RUNNING'), ['c']);
    assert.deepEqual(await search('cafe brulee'), ['f']);
    // Punctuation delimits words ("Cake!", "tea,").
    assert.deepEqual(await search('cake'), ['e']);
  });

  it('drops English stop words, and a query of stop words only matches nothing', async () => {
    assert.deepEqual(await search('the'), []);
    assert.deepEqual(await search('the and was coffee'), ['a', 'b']);
  });

  it('requires every phrase, as a substring, case-insensitive unless asked', async () => {
    assert.deepEqual(await search('"shanghai cooperation"'), ['d']);
    assert.deepEqual(await search('"SHANGHAI Cooperation" coffee'), ['d']);
    assert.deepEqual(await search('"shanghai cooperation" "green tea"'), []);
    assert.deepEqual(await search('"shanghai cooperation"', { $caseSensitive: true }), []);
    assert.deepEqual(await search('"Shanghai Cooperation"', { $caseSensitive: true }), ['d']);
  });

  it('excludes negated terms and phrases; negations alone match nothing', async () => {
    assert.deepEqual(await search('coffee -tea'), ['a']);
    assert.deepEqual(await search('coffee -"green tea"'), ['a']);
    assert.deepEqual(await search('-coffee'), []);
    // A "-" after a space and before another space negates nothing.
    assert.deepEqual(await search('coffee - tea'), ['a', 'b']);
  });

  it('is case- and diacritic-sensitive when asked', async () => {
    assert.deepEqual(await search('Coffee', { $caseSensitive: true }), ['a']);
    assert.deepEqual(await search('coffee', { $caseSensitive: true }), ['a', 'b']);
    assert.deepEqual(await search('CAFÉ', { $diacriticSensitive: true }), ['f']);
    assert.deepEqual(await search('cafe', { $diacriticSensitive: true }), []);
  });

  it('scores by frequency, length and weight; sorts and projects the score', async () => {
    const found = await articles
      .find({ $text: { $search: 'coffee' } }, { projection: { _id: 1, score: { $meta: 'textScore' } } })
      .sort({ score: { $meta: 'textScore' } })
      .toArray();
    // a: title "Coffee" (1 term, weight 10) + body, where "coffee" is 2 of 4 terms (The, was, and: stop words).
    const a = 10 * 1 * ((0.5 * 1) / 1 + 0.5) * 1 + 1 * (1 + 1 / 2) * ((0.5 * 2) / 4 + 0.5) * 1;
    // b: body "Green tea, not coffee." (not is a stop word): 1 of 3 terms.
    const b = 1 * 1 * ((0.5 * 1) / 3 + 0.5) * 1;
    assert.deepEqual(found, [
      { _id: 'a', score: a },
      { _id: 'b', score: b },
    ]);
    assert.equal(a, 11.125);
  });

  it('gives a string that is exactly the term a tenth more, and phrases add no score', async () => {
    const [e] = await articles.find<Document>({ $text: { $search: 'cake' } }, { projection: { score: { $meta: 'textScore' } } }).toArray();
    assert.equal(e?.score, 10 * 1 * 1 * 1.1 + 1 * 1 * 1 * 1);
    assert.equal(e?.title, 'cake', 'a projection of only the score keeps every field');
    const score = async (s: string): Promise<unknown> =>
      (await articles.findOne<Document>({ $text: { $search: s } }, { projection: { s: { $meta: 'textScore' } } }))?.s;
    // d: title 3 terms (shanghai, cooper, organis) weight 10, body 2 terms (a, in: stop words).
    const d = 10 * 1 * (0.5 / 3 + 0.5) + 10 * 1 * (0.5 / 3 + 0.5) + 1 * 1 * (0.5 / 2 + 0.5);
    assert.equal(await score('shanghai cooperation'), d);
    assert.equal(await score('"shanghai cooperation"'), d);
  });

  it('runs in count, countDocuments, distinct, updates and an aggregate’s first $match', async () => {
    assert.equal(await articles.countDocuments({ $text: { $search: 'coffee' } }), 2);
    assert.equal((await db.command({ count: 'articles', query: { $text: { $search: 'tea' } } })).n, 1);
    assert.deepEqual((await articles.distinct('_id', { $text: { $search: 'coffee' } })).sort(), ['a', 'b']);
    const pipeline = [
      { $match: { $text: { $search: 'coffee' } } },
      { $addFields: { score: { $meta: 'textScore' } } },
      { $sort: { score: -1 } },
      { $project: { _id: 1, score: 1, meta: { $meta: 'textScore' } } },
    ];
    assert.deepEqual(await articles.aggregate(pipeline).toArray(), [
      { _id: 'a', score: 11.125, meta: 11.125 },
      { _id: 'b', score: 0.5 / 3 + 0.5, meta: 0.5 / 3 + 0.5 },
    ]);
    const sorted = await articles
      .aggregate([
        { $match: { $text: { $search: 'coffee cake' } } },
        { $project: { title: 1 } },
        { $unwind: { path: '$title' } },
        { $sort: { s: { $meta: 'textScore' } } },
        { $limit: 2 },
      ])
      .toArray();
    assert.deepEqual(
      sorted.map((d) => d._id),
      ['e', 'a'],
    );
    const updated = await articles.updateMany({ $text: { $search: 'tea' } }, { $set: { tagged: true } });
    assert.equal(updated.modifiedCount, 1);
    assert.deepEqual(await ids({ tagged: true }), ['b']);
  });

  it('keeps the score through $lookup, $facet and stages that copy documents', async () => {
    await db.collection('kinds').insertMany([{ _id: 'a' }, { _id: 'b' } as Document]);
    const b = 0.5 / 3 + 0.5;
    const joined = await articles
      .aggregate([
        { $match: { $text: { $search: 'coffee' } } },
        { $lookup: { from: 'kinds', localField: '_id', foreignField: '_id', as: 'k' } },
        { $set: { 'k.seen': true } },
        { $project: { _id: 1, s: { $meta: 'textScore' } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    assert.deepEqual(joined, [
      { _id: 'a', s: 11.125 },
      { _id: 'b', s: b },
    ]);
    const [facets] = await articles
      .aggregate([
        { $match: { $text: { $search: 'coffee' } } },
        { $facet: { last: [{ $sort: { s: { $meta: 'textScore' } } }, { $skip: 1 }, { $project: { s: { $meta: 'textScore' } } }], n: [{ $count: 'n' }] } },
      ])
      .toArray();
    assert.deepEqual(facets, { last: [{ _id: 'b', s: b }], n: [{ n: 2 }] });
    const [best] = await articles
      .aggregate([{ $match: { $text: { $search: 'coffee' } } }, { $group: { _id: null, best: { $max: { $meta: 'textScore' } } } }])
      .toArray();
    assert.equal(best?.best, 11.125);
  });

  it('indexes arrays of strings and nested fields, summing an array’s elements', async () => {
    const coll = db.collection<Numbered>('nested');
    await coll.insertMany([
      { _id: 1, tags: ['alpha beta', 'gamma', 'gamma'] },
      { _id: 2, meta: { note: 'delta' } },
      { _id: 3, meta: [{ note: 'epsilon' }, { other: 'delta' }] },
    ]);
    await coll.createIndex({ tags: 'text', 'meta.note': 'text' });
    assert.deepEqual(
      (await coll.find({ $text: { $search: 'delta' } }).toArray()).map((d) => d._id),
      [2],
    );
    assert.deepEqual((await coll.find({ $text: { $search: 'epsilon beta' } }).toArray()).map((d) => d._id).sort(), [1, 3]);
    const [one] = await coll.find({ $text: { $search: 'gamma' } }, { projection: { s: { $meta: 'textScore' } } }).toArray();
    assert.equal(one?.s, 1 * 1 * 1 * 1.1 + 1 * 1 * 1 * 1.1);
  });

  it('indexes every string with the wildcard, and reads the language from language_override', async () => {
    const coll = db.collection<Numbered>('wild');
    await coll.insertMany([
      { _id: 1, x: 'hello', y: { z: ['worlds'] } },
      { _id: 2, x: 'the runs', lang: 'none' },
    ]);
    await coll.createIndex({ '$**': 'text' }, { language_override: 'lang' });
    assert.deepEqual(
      (await coll.find({ $text: { $search: 'world' } }).toArray()).map((d) => d._id),
      [1],
    );
    // Document 2 is in "none": no stems, no stop words; the query is English unless $language says otherwise.
    assert.deepEqual(
      (await coll.find({ $text: { $search: 'run' } }).toArray()).map((d) => d._id),
      [],
    );
    assert.deepEqual(
      (await coll.find({ $text: { $search: 'the runs', $language: 'none' } }).toArray()).map((d) => d._id),
      [2],
    );
    const spec = (await coll.indexes()).find((i) => i.name === '$**_text');
    assert.deepEqual([spec?.weights, spec?.language_override], [{ '$**': 1 }, 'lang']);
  });

  it('with default_language none, keeps stop words and does not stem', async () => {
    const coll = db.collection<Numbered>('plain');
    await coll.insertMany([{ _id: 1, t: 'the running' }]);
    await coll.createIndex({ t: 'text' }, { default_language: 'none', name: 'plain_words' });
    assert.deepEqual(
      (await coll.find({ $text: { $search: 'the' } }).toArray()).map((d) => d._id),
      [1],
    );
    assert.deepEqual(
      (await coll.find({ $text: { $search: 'run' } }).toArray()).map((d) => d._id),
      [],
    );
    assert.equal((await coll.indexes()).find((i) => i.name === 'plain_words')?.default_language, 'none');
  });

  it('refuses a document whose language override is not a language, as mongod does', async () => {
    await assert.rejects(articles.insertOne({ _id: 'x', title: 'x', body: 'x', language: 'klingon' } as Article), code(17262));
    await assert.rejects(articles.insertOne({ _id: 'y', title: 'y', body: 'y', language: 5 } as unknown as Article), code(17261));
    assert.equal(await articles.countDocuments({ _id: { $in: ['x', 'y'] } }), 0);
  });

  it('refuses bad index specs and a second text index with mongod’s codes', async () => {
    await assert.rejects(articles.createIndex({ body: 'text' }, { name: 'other' }), code(85));
    const coll = db.collection('specs');
    await coll.insertOne({ t: 'x' });
    await assert.rejects(coll.createIndex({ t: 'text' }, { default_language: 'klingon' }), code(67));
    await assert.rejects(coll.createIndex({ t: 'text' }, { weights: { t: 0 } }), code(67));
    await assert.rejects(coll.createIndex({ t: 'text' }, { language_override: '$x' }), code(67));
    await assert.rejects(coll.createIndex({ t: 'text', u: 2 }), code(67));
  });

  it('answers mongod’s errors for $text it refuses', async () => {
    await assert.rejects(
      db
        .collection('plainless')
        .insertOne({ t: 'x' })
        .then(() =>
          db
            .collection('plainless')
            .find({ $text: { $search: 'x' } })
            .toArray(),
        ),
      (err: unknown) => {
        assert.ok(err instanceof MongoServerError);
        assert.deepEqual([err.code, err.message], [27, 'text index required for $text query']);
        return true;
      },
    );
    await assert.rejects(
      db
        .collection('missing')
        .find({ $text: { $search: 'x' } })
        .toArray(),
      (err: unknown) => {
        assert.ok(err instanceof MongoServerError);
        assert.deepEqual([err.code, err.message], [27, `text index required for $text query (no such collection '${server.dbName}.missing')`]);
        return true;
      },
    );
    await assert.rejects(db.collection('missing').countDocuments({ $text: { $search: 'x' } }), code(27));
    await assert.rejects(articles.find({ $text: {} } as Document).toArray(), code(4));
    await assert.rejects(articles.find({ $text: { $search: 1 } } as Document).toArray(), code(14));
    await assert.rejects(articles.find({ $text: { $search: 'x', $caseSensitive: 'yes' } } as Document).toArray(), code(14));
    await assert.rejects(articles.find({ $text: { $search: 'x', extra: 1 } } as Document).toArray(), code(2));
    await assert.rejects(articles.find({ $text: { $search: 'x', $language: 'klingon' } }).toArray(), code(2));
    await assert.rejects(articles.find({ $and: [{ $text: { $search: 'x' } }, { $text: { $search: 'y' } }] }).toArray(), code(2));
    await assert.rejects(articles.find({ $nor: [{ $text: { $search: 'x' } }] }).toArray(), code(2));
    await assert.rejects(articles.find({ tags: { $elemMatch: { $text: { $search: 'x' } } } } as Document).toArray(), code(2));
    // mongod answers $text under $or only when every other branch can use an index.
    await assert.rejects(articles.find({ $or: [{ $text: { $search: 'x' } }, { body: 'y' }] }).toArray(), code(2));
    await assert.rejects(articles.aggregate([{ $match: { title: 'Coffee' } }, { $match: { $text: { $search: 'x' } } }]).toArray(), code(17313));
  });

  it('answers 40218 for a text score without $text', async () => {
    await assert.rejects(articles.find({}, { projection: { s: { $meta: 'textScore' } } }).toArray(), code(40218));
    await assert.rejects(
      articles
        .find({})
        .sort({ s: { $meta: 'textScore' } })
        .toArray(),
      code(40218),
    );
    await assert.rejects(articles.aggregate([{ $match: {} }, { $project: { s: { $meta: 'textScore' } } }]).toArray(), code(40218));
  });

  it('keeps $text and text scores where the embedded server cannot follow them behind a clear error', { skip: embeddedOnly }, async () => {
    await assert.rejects(articles.find({ $text: { $search: 'x', $language: 'french' } }).toArray(), code(238));
    await assert.rejects(db.collection('specs').createIndex({ t: 'text' }, { default_language: 'spanish' }), code(238));
    await assert.rejects(db.collection('specs').createIndex({ n: 1, t: 'text' }), code(238));
    await assert.rejects(
      articles
        .aggregate([
          { $match: { $text: { $search: 'coffee' } } },
          { $group: { _id: null, s: { $first: '$_id' } } },
          { $project: { s: { $meta: 'textScore' } } },
        ])
        .toArray(),
      code(238),
    );
    await assert.rejects(articles.aggregate([{ $facet: { x: [{ $match: { $text: { $search: 'coffee' } } }] } }]).toArray(), code(238));
    await assert.rejects(articles.find({ $or: [{ $text: { $search: 'x' } }, { _id: 'a' }] }).toArray(), code(238));
    // A document in another of MongoDB's languages is stored, as mongod stores it, but not searched wrongly.
    const french = db.collection('french');
    await french.createIndex({ t: 'text' });
    await french.insertOne({ t: 'les cafés', language: 'french' });
    await assert.rejects(french.find({ $text: { $search: 'café' } }).toArray(), code(238));
  });

  it('drops the text index by name, after which $text is 27', async () => {
    const coll = db.collection('dropped');
    await coll.insertOne({ t: 'words' });
    await coll.createIndex({ t: 'text' }, { name: 'words' });
    assert.equal(await coll.countDocuments({ $text: { $search: 'word' } }), 1);
    await coll.dropIndex('words');
    await assert.rejects(coll.countDocuments({ $text: { $search: 'word' } }), code(27));
  });
});

describe('text search and the time budget', { skip: embeddedOnly }, () => {
  it('stops a $text scan past its maxTimeMS (50)', async () => {
    const server = await startTestServer('text-budget');
    const client = await MongoClient.connect(server.uri);
    try {
      const coll = client.db(server.dbName).collection('long');
      const text = Array.from({ length: 200 }, (_, i) => `word${i} running jumping`).join(' ');
      await coll.insertMany(Array.from({ length: 2000 }, (_, i) => ({ i, text })));
      await coll.createIndex({ text: 'text' });
      await assert.rejects(
        coll
          .find({ $text: { $search: 'running' } })
          .maxTimeMS(1)
          .toArray(),
        code(50),
      );
    } finally {
      await client.close();
      await server.close();
    }
  });
});

describe('text indexes on disk', { skip: process.env.MONGODB_URI ? 'a data directory of the embedded server' : false }, () => {
  it('keep their spec and answer $text after a restart', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lectern-text-'));
    try {
      for (const step of ['create', 'check'] as const) {
        const server = await startEmbeddedMongo({ ...testEngineOptions(), dataDir });
        const client = await MongoClient.connect(server.uri);
        const coll = client.db('t').collection('notes');
        try {
          if (step === 'create') {
            await coll.insertMany([{ t: 'running late' }, { t: 'walking' }]);
            await coll.createIndex({ t: 'text' }, { weights: { t: 3 }, name: 'notes_text' });
          } else {
            const spec = (await coll.indexes()).find((i) => i.name === 'notes_text');
            assert.deepEqual([spec?.key, spec?.weights, spec?.textIndexVersion], [{ _fts: 'text', _ftsx: 1 }, { t: 3 }, 3]);
            const [found] = await coll.find({ $text: { $search: 'run' } }, { projection: { _id: 0, s: { $meta: 'textScore' } } }).toArray();
            // "running late": 2 terms, weight 3.
            assert.deepEqual(found, { t: 'running late', s: 3 * 1 * (0.5 / 2 + 0.5) });
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

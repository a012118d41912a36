import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Aggregator, find as mingoFind } from 'mingo';
import { ObjectId } from 'bson';
import { runCommand } from '../../server/embedded-mongo/commands/dispatch.ts';
import type { CommandContext } from '../../server/embedded-mongo/commands/context.ts';
import { Engine } from '../../server/embedded-mongo/engine/engine.ts';
import { runStages } from '../../server/embedded-mongo/engine/fast-stages.ts';
import { createMemoryStore } from '../../server/embedded-mongo/storage/store.ts';
import { valueKey } from '../../server/embedded-mongo/value-key.ts';
import { valuesAtPath, type Doc } from '../../server/embedded-mongo/documents.ts';

function contextFor(engine: Engine): CommandContext {
  return {
    db: 'db',
    engine,
    connectionId: 1,
    client: 'test',
    server: { host: '127.0.0.1', port: 0, startedAt: Date.now(), connections: () => 0, totalConnections: () => 0 },
  };
}

const ids = [new ObjectId(), new ObjectId(), new ObjectId()];
const scalar = fc.oneof(fc.constantFrom(1, 2, 3, 2.0, 'a', 'b', true, null), fc.constantFrom(...ids));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }));
// Null and missing local values go to mingo (tested below), so the oracle sees only present ones.
const localScalar = fc.oneof(fc.constantFrom(1, 2, 3, 2.0, 'a', 'b', true), fc.constantFrom(...ids));
const localValue = fc.oneof(localScalar, fc.array(localScalar, { minLength: 1, maxLength: 3 }));
// On _id, null and missing local values are joined without mingo too.
const localOnId = maybe(fc.oneof(localValue, fc.constant(null), fc.array(fc.oneof(localScalar, fc.constant(null)), { maxLength: 3 })));

/** MongoDB's equality join, written out: arrays match by element, a missing field as null. */
function referenceLookup(local: Doc[], foreign: Doc[], localField: string, foreignField: string, as: string): Doc[] {
  const keys = (doc: Doc, path: string): Set<string> => {
    const found = valuesAtPath(doc, path).flatMap((v) => (Array.isArray(v) ? v : [v]));
    return new Set((found.length ? found : [null]).map(valueKey));
  };
  return local.map((doc) => {
    const wanted = keys(doc, localField);
    return { ...doc, [as]: foreign.filter((f) => [...keys(f, foreignField)].some((k) => wanted.has(k))) };
  });
}

/** Sorts each joined array by value, since $lookup does not promise the order of matches. */
function normalise(docs: Doc[], as: string): string[] {
  return docs.map((d) => valueKey({ ...d, [as]: [...(d[as] as Doc[])].map(valueKey).sort() }));
}

describe('indexed $lookup in the embedded server', () => {
  it('joins as MongoDB does, on _id and on an indexed field', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ k: maybe(value) }), { maxLength: 8 }),
        fc.constantFrom('_id', 'k').chain((foreignField) => {
          const local = foreignField === '_id' ? localOnId : localValue;
          return fc.tuple(fc.constant(foreignField), fc.array(fc.record({ ref: local, nested: fc.record({ ref: local }) }), { maxLength: 8 }));
        }),
        fc.constantFrom('ref', 'nested.ref'),
        (foreignDocs, [foreignField, localDocs], localField) => {
          const engine = new Engine(createMemoryStore(), { freezeDocuments: true });
          const ctx = contextFor(engine);
          const foreign = foreignDocs
            .map((d, i) => ({ _id: i % 2 ? ids[i % 3]!.toHexString() + i : i, ...d }))
            .map((d) => Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)));
          // A few foreign _ids the local side can point at: numbers and ObjectIds.
          foreign.push({ _id: ids[0]!, k: 'a' }, { _id: 3, k: 1 });
          const local = localDocs.map((d, i) => ({ _id: i, ...d })).map((d) => JSON.parse(JSON.stringify(d)) as Doc);
          // JSON drops ObjectIds' type; put them back where the generator made them.
          localDocs.forEach((d, i) => Object.assign(local[i]!, Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined))));
          assert.equal(runCommand({ insert: 'foreign', documents: foreign, $db: 'db' }, ctx).ok, 1);
          assert.equal(runCommand({ createIndexes: 'foreign', indexes: [{ key: { k: 1 }, name: 'k_1' }], $db: 'db' }, ctx).ok, 1);
          if (local.length) assert.equal(runCommand({ insert: 'local', documents: local, $db: 'db' }, ctx).ok, 1);
          const stage = { $lookup: { from: 'foreign', localField, foreignField, as: 'joined' } };
          const reply = runCommand({ aggregate: 'local', pipeline: [{ $match: {} }, stage], cursor: {}, $db: 'db' }, ctx) as {
            ok: number;
            cursor: { firstBatch: Doc[] };
          };
          assert.equal(reply.ok, 1);
          // mingo is not the oracle here: it joins an array of ObjectIds to [null].
          const expected = referenceLookup(local, foreign, localField, foreignField, 'joined');
          assert.deepEqual(normalise(reply.cursor.firstBatch, 'joined'), normalise(expected, 'joined'));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('fetches matches through the index instead of handing the stage to mingo', () => {
    const engine = new Engine(createMemoryStore(), { freezeDocuments: true });
    const ctx = contextFor(engine);
    runCommand(
      {
        insert: 'users',
        documents: [
          { _id: ids[0], name: 'Ada' },
          { _id: ids[1], name: 'Grace' },
        ],
        $db: 'db',
      },
      ctx,
    );
    const toMingo: Doc[][] = [];
    const stageContext = {
      collection: (name: string) => engine.getCollection('db', name),
      options: engine.options('db'),
      copy: false,
      planner: engine.planner,
    };
    const out = runStages(
      [
        { _id: 's1', userId: ids[1] },
        { _id: 's2', userId: new ObjectId() },
      ],
      [{ $lookup: { from: 'users', localField: 'userId', foreignField: '_id', as: 'user' } }, { $project: { 'user.name': 1 } }],
      stageContext,
      (docs, stages) => {
        toMingo.push(stages);
        return new Aggregator(stages, engine.options('db')).run(docs) as Doc[];
      },
    );
    assert.deepEqual(out, [
      { _id: 's1', user: [{ name: 'Grace' }] },
      { _id: 's2', user: [] },
    ]);
    assert.deepEqual(toMingo, [[{ $project: { 'user.name': 1 } }]]);
  });

  it('leaves an unindexed foreign field, and missing local values off _id, to mingo', () => {
    const engine = new Engine(createMemoryStore(), { freezeDocuments: true });
    runCommand({ insert: 'users', documents: [{ _id: 1, team: 'x' }, { _id: 2 }], $db: 'db' }, contextFor(engine));
    const toMingo: Doc[][] = [];
    const stageContext = {
      collection: (name: string) => engine.getCollection('db', name),
      options: engine.options('db'),
      copy: false,
      planner: engine.planner,
    };
    const run = (docs: Doc[], stage: Doc) =>
      runStages(docs, [stage], stageContext, (d, stages) => {
        toMingo.push(stages);
        return new Aggregator(stages, engine.options('db')).run(d) as Doc[];
      });
    const byTeam = { $lookup: { from: 'users', localField: 'team', foreignField: 'team', as: 'mates' } };
    assert.deepEqual(run([{ _id: 'a', team: 'x' }], byTeam), [{ _id: 'a', team: 'x', mates: [{ _id: 1, team: 'x' }] }]);
    const byTeamMissing = run([{ _id: 'b' }], byTeam);
    assert.deepEqual(byTeamMissing, [{ _id: 'b', mates: [{ _id: 2 }] }]);
    assert.equal(toMingo.length, 2);
    // On _id a missing local value is answered from the _id map: no document has a null _id.
    const byId = { $lookup: { from: 'users', localField: 'userId', foreignField: '_id', as: 'user' } };
    assert.deepEqual(run([{ _id: 'c' }], byId), [{ _id: 'c', user: [] }]);
    assert.equal(toMingo.length, 2);
  });
});

describe('index candidates', () => {
  it('return a document once when an $in lists its _id twice', () => {
    const engine = new Engine(createMemoryStore(), { freezeDocuments: true });
    const ctx = contextFor(engine);
    runCommand({ insert: 'c', documents: [{ _id: 1 }, { _id: 2 }], $db: 'db' }, ctx);
    const reply = runCommand({ find: 'c', filter: { _id: { $in: [1, 1, 2] } }, $db: 'db' }, ctx) as { cursor: { firstBatch: Doc[] } };
    assert.deepEqual(reply.cursor.firstBatch, [{ _id: 1 }, { _id: 2 }]);
  });
});

describe('$facet in the embedded server', () => {
  it('gives what mingo gives, and runs an indexed $lookup inside a facet through the index', () => {
    const engine = new Engine(createMemoryStore(), { freezeDocuments: true });
    const ctx = contextFor(engine);
    runCommand(
      {
        insert: 'questions',
        documents: [
          { _id: 1, retired: false },
          { _id: 2, retired: true },
          { _id: 3, retired: false },
        ],
        $db: 'db',
      },
      ctx,
    );
    const cards = [
      { _id: 'a', q: 1, due: 5, bank: 'x' },
      { _id: 'b', q: 2, due: 1, bank: 'x' },
      { _id: 'c', q: 3, due: 9, bank: 'y' },
      { _id: 'd', q: 3, due: 3, bank: 'x' },
    ];
    const facetStage = {
      $facet: {
        next: [{ $match: { bank: 'x', due: { $lte: 4 } } }, { $sort: { due: 1 } }, { $limit: 1 }],
        due: [{ $match: { due: { $lte: 4 } } }, { $count: 'n' }],
        live: [
          { $lookup: { from: 'questions', localField: 'q', foreignField: '_id', as: 'question' } },
          { $match: { 'question.retired': false } },
          { $count: 'n' },
        ],
        byBank: [{ $group: { _id: '$bank', n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
      },
    };
    const toMingo: Doc[][] = [];
    const stageContext = {
      collection: (name: string) => engine.getCollection('db', name),
      options: engine.options('db'),
      copy: false,
      planner: engine.planner,
    };
    const out = runStages(cards, [facetStage], stageContext, (docs, stages) => {
      toMingo.push(stages);
      return new Aggregator(stages, engine.options('db')).run(docs) as Doc[];
    });
    const expected = new Aggregator([facetStage], engine.options('db')).run(cards) as Doc[];
    assert.deepEqual(out, expected);
    assert.deepEqual(out, [
      {
        next: [{ _id: 'b', q: 2, due: 1, bank: 'x' }],
        due: [{ n: 2 }],
        live: [{ n: 3 }],
        byBank: [
          { _id: 'x', n: 3 },
          { _id: 'y', n: 1 },
        ],
      },
    ]);
    assert.ok(!toMingo.flat().some((stage) => '$lookup' in stage || '$facet' in stage), 'the facet and its lookup ran without mingo');
    // Through the command, with a top-level lookup on the facet's output (an array of ids).
    runCommand({ insert: 'cards', documents: cards, $db: 'db' }, ctx);
    const reply = runCommand(
      {
        aggregate: 'cards',
        pipeline: [{ $match: {} }, facetStage, { $lookup: { from: 'questions', localField: 'next.q', foreignField: '_id', as: 'question' } }],
        cursor: {},
        $db: 'db',
      },
      ctx,
    ) as { cursor: { firstBatch: Doc[] } };
    assert.deepEqual(reply.cursor.firstBatch[0]!.question, [{ _id: 2, retired: true }]);
  });
});

describe('$match, $sort, $limit, $skip and $count in the embedded server', () => {
  const stageArb = fc.oneof(
    fc.record({
      $match: fc.oneof(
        fc.record({ a: fc.integer({ min: 0, max: 3 }) }),
        fc.record({ due: fc.record({ $lte: fc.date({ min: new Date(0), max: new Date(10_000), noInvalidDate: true }) }) }),
        fc.record({ tags: fc.constantFrom('x', 'y') }),
      ),
    }),
    fc.record({ $sort: fc.oneof(fc.constant({ due: 1 }), fc.constant({ a: -1, due: 1 }), fc.constant({ name: 1 }), fc.constant({ mixed: 1 })) }),
    fc.record({ $limit: fc.integer({ min: 1, max: 5 }) }),
    fc.record({ $skip: fc.integer({ min: 0, max: 5 }) }),
    fc.record({ $count: fc.constant('n') }),
  );
  const docArb = fc.record({
    a: fc.integer({ min: 0, max: 3 }),
    due: fc.date({ min: new Date(0), max: new Date(10_000), noInvalidDate: true }),
    name: fc.constantFrom('b', 'a', 'é'),
    tags: fc.array(fc.constantFrom('x', 'y'), { maxLength: 2 }),
    mixed: fc.oneof(fc.integer(), fc.constant('s'), fc.constant(null)),
  });

  it('give what mingo gives, except $count of nothing, which is no document as in MongoDB (mingo says 0)', () => {
    const engine = new Engine(createMemoryStore(), { freezeDocuments: true });
    const options = engine.options('db');
    const reference = (docs: Doc[], pipeline: Doc[]) =>
      pipeline.reduce<Doc[]>((input, stage) => ('$count' in stage && input.length === 0 ? [] : (new Aggregator([stage], options).run(input) as Doc[])), docs);
    fc.assert(
      fc.property(fc.array(docArb, { maxLength: 10 }), fc.array(stageArb, { minLength: 1, maxLength: 4 }), (raw, pipeline) => {
        const docs = raw.map((d, i) => ({ _id: i, ...d }));
        const stageContext = { collection: () => undefined, options, copy: false, planner: engine.planner };
        const ours = runStages(docs, pipeline as Doc[], stageContext, (d, stages) => new Aggregator(stages, options).run(d) as Doc[]);
        assert.deepEqual(ours, reference(docs, pipeline as Doc[]));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('aggregations never change stored documents', () => {
  it('whether $addFields sets a top-level field (no copies made) or a nested one (run on copies)', () => {
    const engine = new Engine(createMemoryStore(), { freezeDocuments: true });
    const ctx = contextFor(engine);
    runCommand(
      {
        insert: 'c',
        documents: [
          { _id: 1, a: { b: 1 } },
          { _id: 2, a: { b: 2 } },
        ],
        $db: 'db',
      },
      ctx,
    );
    for (const stage of [{ $addFields: { x: { $literal: 5 }, a: '$a' } }, { $addFields: { 'a.b': 9 } }, { $set: { 'a.c': 3 } }]) {
      const reply = runCommand({ aggregate: 'c', pipeline: [{ $match: {} }, stage, { $match: { _id: 1 } }], cursor: {}, $db: 'db' }, ctx) as {
        ok: number;
        cursor: { firstBatch: Doc[] };
      };
      assert.equal(reply.ok, 1);
      assert.equal(reply.cursor.firstBatch.length, 1);
      const stored = runCommand({ find: 'c', filter: {}, $db: 'db' }, ctx) as { cursor: { firstBatch: Doc[] } };
      assert.deepEqual(
        stored.cursor.firstBatch,
        [
          { _id: 1, a: { b: 1 } },
          { _id: 2, a: { b: 2 } },
        ],
        JSON.stringify(stage),
      );
    }
  });
});

describe('sorted finds in the embedded server', () => {
  it('give what mingo gives, with skip, limit and a top-level projection', () => {
    const docArb = fc.record({
      name: fc.constantFrom('Bo', 'al', 'Al', 'é', 'z'),
      email: fc.constantFrom('a@x', 'b@x'),
      n: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant('s')),
    });
    fc.assert(
      fc.property(
        fc.array(docArb, { maxLength: 12 }),
        fc.constantFrom({ name: 1, email: 1 }, { name: -1 }, { n: 1 }, { email: 1, n: -1 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 5 }),
        fc.boolean(),
        (raw, sort, skip, limit, project) => {
          const docs = raw.map((d, i) => ({ _id: i, ...d }));
          const engine = new Engine(createMemoryStore(), { freezeDocuments: true });
          const ctx = contextFor(engine);
          if (docs.length) runCommand({ insert: 'c', documents: docs, $db: 'db' }, ctx);
          const projection = project ? { name: 1 } : undefined;
          const reply = runCommand({ find: 'c', filter: {}, sort, skip, limit, ...(projection ? { projection } : {}), $db: 'db' }, ctx) as {
            cursor: { firstBatch: Doc[] };
          };
          let cursor = mingoFind(docs, {}, projection).sort(sort).skip(skip);
          if (limit > 0) cursor = cursor.limit(limit);
          const expected = (cursor.all() as Doc[]).map((d) => (projection ? { _id: d._id, name: d.name } : d));
          assert.deepEqual(reply.cursor.firstBatch, expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCommand } from '../../server/embedded-mongo/commands/dispatch.ts';
import type { CommandContext } from '../../server/embedded-mongo/commands/context.ts';
import { Engine } from '../../server/embedded-mongo/engine/engine.ts';
import { testEngineOptions } from './test-server.ts';
import { createMemoryStore, type Store } from '../../server/embedded-mongo/storage/store.ts';

function contextFor(engine: Engine): Omit<CommandContext, 'db'> {
  return {
    engine,
    connectionId: 1,
    client: 'test',
    server: { host: '127.0.0.1', port: 0, startedAt: Date.now(), connections: () => 0, totalConnections: () => 0 },
  };
}

describe('engine write transactions', () => {
  it('leaves memory unchanged when the storage commit fails', () => {
    let failing = false;
    const store: Store = {
      ...createMemoryStore(),
      commit: () => {
        if (failing) throw new Error('disk full');
      },
    };
    const engine = new Engine(store, testEngineOptions());
    const ctx = contextFor(engine);
    assert.equal(runCommand({ insert: 'c', documents: [{ _id: 1, v: 1 }], $db: 'db' }, ctx).ok, 1);
    failing = true;
    const insert = runCommand({ insert: 'c', documents: [{ _id: 2, v: 2 }], $db: 'db' }, ctx);
    assert.equal(insert.ok, 0);
    assert.match(String(insert.errmsg), /disk full/);
    const update = runCommand({ update: 'c', updates: [{ q: { _id: 1 }, u: { $set: { v: 10 } } }], $db: 'db' }, ctx);
    assert.equal(update.ok, 0);
    const created = runCommand({ insert: 'other', documents: [{ _id: 1 }], $db: 'db' }, ctx);
    assert.equal(created.ok, 0);
    failing = false;
    const found = runCommand({ find: 'c', filter: {}, $db: 'db' }, ctx) as { cursor: { firstBatch: unknown[] } };
    assert.deepEqual(found.cursor.firstBatch, [{ _id: 1, v: 1 }]);
    assert.equal(engine.getCollection('db', 'other'), undefined);
  });

  it('undoes a failed update statement but keeps the earlier ones of the batch', () => {
    const engine = new Engine(createMemoryStore(), testEngineOptions());
    const ctx = contextFor(engine);
    runCommand({ createIndexes: 'u', indexes: [{ key: { k: 1 }, name: 'k_1', unique: true }], $db: 'db' }, ctx);
    runCommand(
      {
        insert: 'u',
        documents: [
          { _id: 1, k: 'a' },
          { _id: 2, k: 'b' },
          { _id: 3, k: 'c' },
        ],
        $db: 'db',
      },
      ctx,
    );
    const reply = runCommand(
      {
        update: 'u',
        updates: [
          { q: { _id: 1 }, u: { $set: { k: 'x' } } },
          { q: {}, u: { $set: { k: 'same' } }, multi: true },
        ],
        $db: 'db',
      },
      ctx,
    ) as { n: number; nModified: number; writeErrors: { index: number; code: number }[] };
    assert.equal(reply.nModified, 1);
    assert.equal(reply.writeErrors[0]?.index, 1);
    assert.equal(reply.writeErrors[0]?.code, 11000);
    const found = runCommand({ find: 'u', filter: {}, sort: { _id: 1 }, $db: 'db' }, ctx) as { cursor: { firstBatch: { k: string }[] } };
    assert.deepEqual(
      found.cursor.firstBatch.map((d) => d.k),
      ['x', 'b', 'c'],
    );
  });

  it('lets later statements of a batch see earlier ones, for reads and unique keys', () => {
    const engine = new Engine(createMemoryStore(), testEngineOptions());
    const ctx = contextFor(engine);
    runCommand({ createIndexes: 'm', indexes: [{ key: { k: 1 }, name: 'k_1', unique: true }], $db: 'db' }, ctx);
    const inserted = runCommand(
      {
        insert: 'm',
        documents: [
          { _id: 1, k: 'a' },
          { _id: 1, k: 'b' },
          { _id: 2, k: 'a' },
          { _id: 3, k: 'c' },
        ],
        ordered: false,
        $db: 'db',
      },
      ctx,
    ) as {
      n: number;
      writeErrors: { index: number }[];
    };
    assert.equal(inserted.n, 2);
    assert.deepEqual(
      inserted.writeErrors.map((e) => e.index),
      [1, 2],
    );
    // Move key 'a' from document 1 to document 3 in one batch: legal once the first statement ran.
    const moved = runCommand(
      {
        update: 'm',
        updates: [
          { q: { _id: 1 }, u: { $set: { k: 'z' } } },
          { q: { _id: 3 }, u: { $set: { k: 'a' } } },
          { q: { k: 'z' }, u: { $set: { seen: true } } },
        ],
        $db: 'db',
      },
      ctx,
    ) as { n: number; nModified: number; writeErrors?: unknown[] };
    assert.equal(moved.writeErrors, undefined);
    assert.equal(moved.nModified, 3);
    const found = runCommand({ find: 'm', filter: {}, sort: { _id: 1 }, $db: 'db' }, ctx) as { cursor: { firstBatch: unknown[] } };
    assert.deepEqual(found.cursor.firstBatch, [
      { _id: 1, k: 'z', seen: true },
      { _id: 3, k: 'a' },
    ]);
  });

  it('sweeps documents whose TTL date has passed', () => {
    const engine = new Engine(createMemoryStore(), testEngineOptions());
    const ctx = contextFor(engine);
    runCommand({ createIndexes: 't', indexes: [{ key: { at: 1 }, name: 'at_1', expireAfterSeconds: 60 }], $db: 'db' }, ctx);
    const now = Date.now();
    runCommand({ insert: 't', documents: [{ _id: 'old', at: new Date(now - 120_000) }, { _id: 'new', at: new Date(now) }, { _id: 'none' }], $db: 'db' }, ctx);
    assert.equal(engine.sweepExpired(now), 1);
    assert.deepEqual(
      [...engine.getCollection('db', 't')!.docs.values()].map((d) => d._id),
      ['new', 'none'],
    );
  });
});

describe('updates on the fast path match mingo', () => {
  it('applies $set, $unset and $inc on nested paths, and leaves arrays and operators to mingo', () => {
    const engine = new Engine(createMemoryStore(), testEngineOptions());
    const ctx = contextFor(engine);
    runCommand({ insert: 'f', documents: [{ _id: 1, a: { b: 1 }, list: [{ x: 1 }], n: 5 }], $db: 'db' }, ctx);
    const run = (u: Record<string, unknown>) => runCommand({ update: 'f', updates: [{ q: { _id: 1 }, u }], $db: 'db' }, ctx) as { nModified: number };
    assert.equal(run({ $set: { 'a.c': 2, 'd.e': 3 }, $inc: { n: 2, m: 1 }, $unset: { 'a.b': '' } }).nModified, 1);
    assert.equal(run({ $inc: { n: 0 } }).nModified, 0, 'adding zero modifies nothing');
    assert.equal(run({ $set: { 'a.c': 2 } }).nModified, 0, 'setting the same value modifies nothing');
    assert.equal(run({ $set: { 'list.0.x': 9 } }).nModified, 1, 'array paths go through mingo');
    const found = runCommand({ find: 'f', filter: { _id: 1 }, $db: 'db' }, ctx) as { cursor: { firstBatch: unknown[] } };
    assert.deepEqual(found.cursor.firstBatch, [{ _id: 1, a: { c: 2 }, list: [{ x: 9 }], n: 7, d: { e: 3 }, m: 1 }]);
    const bad = runCommand({ update: 'f', updates: [{ q: { _id: 1 }, u: { $inc: { a: 1 } } }], $db: 'db' }, ctx) as { writeErrors?: unknown[] };
    assert.equal(bad.writeErrors?.length, 1, '$inc of an object is refused');
  });
});

describe('frozen stored documents (the test suite runs with them)', () => {
  it('makes code that edits a stored document in place throw', () => {
    const engine = new Engine(createMemoryStore(), { freezeDocuments: true });
    runCommand({ insert: 'f', documents: [{ _id: 1, nested: { list: [{ x: 1 }] } }], $db: 'db' }, contextFor(engine));
    const stored = engine.getCollection('db', 'f')!.getById(1) as { nested: { list: Array<{ x: number }> } };
    assert.throws(() => {
      stored.nested.list[0]!.x = 2;
    }, TypeError);
    assert.throws(() => stored.nested.list.push({ x: 3 }), TypeError);
  });
});

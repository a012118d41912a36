import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Double, Int32, Long, serialize } from 'bson';
import { runCommand } from '../../server/embedded-mongo/commands/dispatch.ts';
import type { CommandContext } from '../../server/embedded-mongo/commands/context.ts';
import { decodeDoc, Engine } from '../../server/embedded-mongo/engine/engine.ts';
import { createMemoryStore } from '../../server/embedded-mongo/storage/store.ts';
import type { Doc } from '../../server/embedded-mongo/documents.ts';

function contextFor(engine: Engine): Omit<CommandContext, 'db'> {
  return { engine, connectionId: 1, client: 'test', server: { host: '127.0.0.1', port: 0, startedAt: 0, connections: () => 0, totalConnections: () => 0 } };
}

// Numbers of every BSON width, as the wire delivers them (decoded with promoteValues), nulls, strings, arrays.
const scalar = fc.oneof(
  fc.constantFrom(0, 1, 2, -1),
  fc.constantFrom(new Int32(1), new Int32(2), new Double(2), new Double(1.5), Long.fromNumber(1), Long.fromNumber(2)),
  fc.constantFrom(1.5, null, 'a', 'b', 'B'),
);
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }));
const docArb = fc.record({ v: value, w: value }, { requiredKeys: [] });
const queryValue = fc.constantFrom<unknown>(1, 2, 1.5, null, 'a', 'b');

/** MongoDB's equality, written out: numbers by value, null matches null or missing, arrays by element. */
function eqValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  return a === b;
}
function expectedEq(doc: Doc, field: string, q: unknown): boolean {
  const v = doc[field];
  if (q === null) return v === undefined || v === null || (Array.isArray(v) && v.includes(null));
  return Array.isArray(v) ? v.some((el) => eqValue(el, q)) : eqValue(v, q);
}

/** MongoDB's ascending sort key, written out: the least element of an array; missing as null; [] lowest. */
const RANK: Record<string, number> = { undefined: 0, object: 2, number: 3, string: 4 };
function key(v: unknown): [number, number | string] {
  if (v === null || v === undefined) return [RANK.object!, 0];
  return typeof v === 'number' ? [3, v] : [4, v as string];
}
function sortKeyAsc(doc: Doc, field: string): [number, number | string] {
  const v = doc[field];
  if (Array.isArray(v)) {
    if (v.length === 0) return [0, 0];
    return v.map(key).sort(compareKeys)[0]!;
  }
  return key(v);
}
function compareKeys(a: [number, number | string], b: [number, number | string]): number {
  if (a[0] !== b[0]) return a[0] - b[0];
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

function engines(docs: Doc[]): Array<(cmd: Doc) => Doc> {
  return [true, false].map((fastPaths) => {
    const engine = new Engine(createMemoryStore(), { fastPaths, freezeDocuments: true });
    const ctx = contextFor(engine);
    const run = (cmd: Doc) => runCommand({ ...cmd, $db: 'db' }, ctx);
    if (docs.length) assert.equal(run({ insert: 'c', documents: docs.map((d) => decodeDoc(serialize(d))) }).ok, 1);
    run({ createIndexes: 'c', indexes: [{ key: { v: 1 }, name: 'v_1' }] });
    return run;
  });
}

const ids = (reply: Doc): unknown[] => ((reply.cursor as Doc).firstBatch as Doc[]).map((d) => d._id);
/** Without a sort MongoDB promises no order (an index scan returns key order): compare as sets. */
const idSet = (reply: Doc): unknown[] => ids(reply).sort();
const expectedSet = (docs: Doc[]): unknown[] => docs.map((d) => d._id).sort();

describe("the planner's fast paths, mingo and MongoDB's rules agree", () => {
  it('on equality, $in, sorts and counts over mixed numbers, nulls, missing fields and arrays', () => {
    fc.assert(
      fc.property(fc.array(docArb, { maxLength: 12 }), queryValue, queryValue, (raw, q, q2) => {
        const docs = raw.map((d, i) => ({ _id: i, ...d })) as Doc[];
        const stored = docs.map((d) => decodeDoc(serialize(d)));
        const [fast, general] = engines(docs);
        for (const run of [fast!, general!]) {
          const eq = idSet(run({ find: 'c', filter: { v: q } }));
          assert.deepEqual(eq, expectedSet(stored.filter((d) => expectedEq(d, 'v', q))), `{v: ${String(q)}}`);
          const within = idSet(run({ find: 'c', filter: { v: { $in: [q, q2] } } }));
          assert.deepEqual(within, expectedSet(stored.filter((d) => expectedEq(d, 'v', q) || expectedEq(d, 'v', q2))));
          const sorted = ids(run({ find: 'c', filter: {}, sort: { v: 1, _id: 1 } }));
          const expected = [...stored].sort((a, b) => compareKeys(sortKeyAsc(a, 'v'), sortKeyAsc(b, 'v')) || (a._id as number) - (b._id as number));
          assert.deepEqual(
            sorted,
            expected.map((d) => d._id),
            'ascending sort',
          );
          const n = stored.filter((d) => expectedEq(d, 'w', q)).length;
          const counted = (run({ aggregate: 'c', pipeline: [{ $match: { w: q } }, { $count: 'n' }], cursor: {} }).cursor as Doc).firstBatch;
          assert.deepEqual(counted, n ? [{ n }] : []);
          const grouped = (run({ aggregate: 'c', pipeline: [{ $match: { v: q } }, { $group: { _id: null, n: { $sum: 1 } } }], cursor: {} }).cursor as Doc)
            .firstBatch;
          const m = stored.filter((d) => expectedEq(d, 'v', q)).length;
          assert.deepEqual(grouped, m ? [{ _id: null, n: m }] : []);
        }
        // And the two engines agree on what a $inc leaves behind.
        const after = [fast!, general!].map((run) => {
          run({ update: 'c', updates: [{ q: { v: q }, u: { $inc: { k: 1 } }, multi: true }] });
          return JSON.stringify((run({ find: 'c', filter: {}, sort: { _id: 1 } }).cursor as Doc).firstBatch);
        });
        assert.equal(after[0], after[1]);
      }),
      { numRuns: 300 },
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { update as mingoUpdate } from 'mingo/updater';
import { Planner } from '../../server/embedded-mongo/engine/planner.ts';
import { applySimpleUpdate } from '../../server/embedded-mongo/engine/simple-update.ts';
import { applyUpdate } from '../../server/embedded-mongo/engine/update.ts';
import { clonePlain, type Doc } from '../../server/embedded-mongo/documents.ts';

const scalar = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom('x', 'y', true, null));
const leaf = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }));
const slot = fc.record({
  response: fc.option(leaf, { nil: undefined }),
  savedAt: fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
  n: fc.integer({ min: 0, max: 3 }),
});
const docArb = fc
  .record({
    _id: fc.constant(1),
    revision: fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
    status: fc.constantFrom('in-progress', 'submitted'),
    slots: fc.array(slot, { maxLength: 4 }),
    meta: fc.option(fc.record({ a: leaf, b: fc.record({ c: leaf }) }), { nil: undefined }),
  })
  .map((d) => JSON.parse(JSON.stringify(d)) as Doc);
const path = fc.constantFrom(
  'revision',
  'status',
  'slots.0.response',
  'slots.1.response',
  'slots.3.savedAt',
  'slots.0.n',
  'slots.2',
  'meta.a',
  'meta.b.c',
  'meta.new.deep',
  'slots.x',
  'other',
);
const modifierArb = fc.array(fc.tuple(fc.constantFrom('$set', '$unset', '$inc'), path, leaf), { minLength: 1, maxLength: 3 }).map((ops) => {
  const m: Record<string, Doc> = {};
  for (const [op, p, v] of ops) (m[op] ??= {})[p] = op === '$inc' ? (typeof v === 'number' ? v : 1) : op === '$unset' ? '' : v;
  return m as Doc;
});

describe('updates the embedded server applies without mingo', () => {
  it('give what mingo gives, and never change the stored document', () => {
    fc.assert(
      fc.property(docArb, modifierArb, (doc, modifier) => {
        const before = clonePlain(doc);
        let expected: Doc | Error;
        try {
          const copy = clonePlain(doc);
          const changed = mingoUpdate(copy, modifier as never).length > 0;
          expected = changed ? copy : doc;
        } catch (err) {
          expected = err as Error;
        }
        let actual: Doc | Error;
        try {
          actual = applyUpdate(doc, modifier, { inserting: false, mingo: {}, planner: new Planner() }) ?? doc;
        } catch (err) {
          actual = err as Error;
        }
        assert.deepEqual(doc, before, 'the stored document is untouched');
        // mongod refuses $inc of a non-number, where mingo skips it: that case is tested below.
        if (actual instanceof Error) return;
        if (expected instanceof Error) return;
        assert.deepEqual(actual, expected);
      }),
      { numRuns: 1500 },
    );
  });

  it('answer an update inside an array element by copying only the path it changes', () => {
    const definition = { prompt: 'a long frozen definition' };
    const doc: Doc = {
      _id: 1,
      revision: 3,
      slots: [
        { definition, response: null },
        { definition, response: null },
      ],
    };
    const result = applySimpleUpdate(doc, { $set: { 'slots.1.response': { choice: 'b' }, 'slots.1.savedAt': 5 }, $inc: { revision: 1 } });
    assert.ok(result);
    assert.deepEqual(result.doc, {
      _id: 1,
      revision: 4,
      slots: [
        { definition, response: null },
        { definition, response: { choice: 'b' }, savedAt: 5 },
      ],
    });
    assert.equal(result.changed, true);
    const slots = result.doc.slots as Doc[];
    assert.equal(slots[0], (doc.slots as Doc[])[0], 'an untouched element is shared');
    assert.equal(slots[1]!.definition, definition, 'untouched fields of the changed element are shared');
    assert.deepEqual((doc.slots as Doc[])[1], { definition, response: null }, 'the original is unchanged');
  });

  it('leave what needs MongoDB array semantics to mingo, and refuse $inc of a non-number as mongod does', () => {
    const doc: Doc = { _id: 1, slots: [{ n: 1 }], tags: ['a'], name: 'x' };
    assert.equal(applySimpleUpdate(doc, { $set: { 'slots.5.n': 2 } }), undefined, 'past the end');
    assert.equal(applySimpleUpdate(doc, { $set: { 'slots.n': 2 } }), undefined, 'a field name inside an array');
    assert.equal(applySimpleUpdate(doc, { $unset: { 'tags.0': '' } }), undefined, 'unset of an element');
    assert.equal(applySimpleUpdate(doc, { $push: { tags: 'b' } }), undefined, 'other operators');
    assert.throws(() => applySimpleUpdate(doc, { $inc: { name: 1 } }), /non-numeric/);
  });
});

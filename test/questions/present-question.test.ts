import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { presentInOrder, presentQuestion, presentationOrder } from '../../server/questions/present-question.ts';
import { opaqueId } from '../../server/questions/opaque-id.ts';
import { seededRandom } from '../../server/questions/random.ts';
import * as q from './fixtures.ts';

const seeded = seededRandom;

/** Every key of a JSON value, however deep. */
function keysOf(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => keysOf(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      keysOf(v, out);
    }
  }
  return out;
}

describe('presentQuestion never shows the key', () => {
  for (const def of q.all) {
    it(`${def.type}: no answer, answers, pairs, tolerance, source or explanation in the JSON`, () => {
      for (const rng of [undefined, seeded(1), seeded(2)]) {
        const presented = presentQuestion(def, rng);
        const keys = keysOf(presented);
        for (const banned of ['answer', 'answers', 'correct', 'isCorrect', 'pairs', 'tolerance', 'blanks', 'explanation', 'source']) {
          assert.ok(!keys.has(banned), `${def.type} presented has key ${banned}`);
        }
        assert.ok(!JSON.stringify(presented).includes('"answer'));
        assert.deepEqual(JSON.parse(JSON.stringify(presented)), presented, 'plain JSON');
      }
    });
  }

  it('short, numeric and cloze hide their accepted answers', () => {
    assert.ok(!JSON.stringify(presentQuestion(q.short)).includes('menistan'));
    assert.ok(!JSON.stringify(presentQuestion(q.numeric)).includes('8'));
    const cloze = JSON.stringify(presentQuestion(q.cloze));
    for (const a of ['Shanghai', '2001', 'Uzbekistan']) assert.ok(!cloze.includes(a), a);
  });

  it('matching ids are hashes of each text alone, so a left id says nothing of its right', () => {
    const p = presentQuestion(q.matching);
    assert.equal(p.type, 'matching');
    if (p.type !== 'matching') return;
    for (const l of p.lefts) assert.equal(l.id, opaqueId(l.text));
    for (const r of p.rights) assert.equal(r.id, opaqueId(r.text));
    // Without rng the rights are alphabetical, not the authored (correct) order.
    assert.deepEqual(
      p.rights.map((r) => r.text),
      ['Astana', 'Beijing', 'Dushanbe', 'Moscow'],
    );
  });

  it('ordering items are alphabetical without rng and shuffled with it, never by definition order', () => {
    const p = presentQuestion(q.ordering);
    if (p.type !== 'ordering') return assert.fail();
    assert.deepEqual(
      p.items.map((i) => i.text),
      [...q.ordering.items].sort(),
    );
    assert.notDeepEqual(
      p.items.map((i) => i.text),
      q.ordering.items,
    );
    for (const i of p.items) assert.equal(i.id, opaqueId(i.text));
    const orders = new Set<string>();
    for (let s = 0; s < 20; s++) {
      const shuffled = presentQuestion(q.ordering, seeded(s));
      if (shuffled.type === 'ordering') orders.add(shuffled.items.map((i) => i.text).join('|'));
    }
    assert.ok(orders.size > 5, 'rng gives varied orders');
  });

  it('mcq keeps the authored order without rng and shuffles reproducibly with it', () => {
    const plain = presentQuestion(q.multi);
    if (plain.type !== 'multi') return assert.fail();
    assert.deepEqual(
      plain.choices.map((c) => c.id),
      ['a', 'b', 'c', 'd', 'e'],
    );
    assert.deepEqual(presentQuestion(q.multi, seeded(7)), presentQuestion(q.multi, seeded(7)));
  });

  it('numeric shows its unit and cloze its segments', () => {
    assert.deepEqual(presentQuestion(q.numeric), { id: 'share', type: 'numeric', prompt: q.numeric.prompt, unit: '%' });
    const c = presentQuestion(q.cloze);
    if (c.type !== 'cloze') return assert.fail();
    assert.equal(c.blankCount, 3);
    assert.deepEqual(c.segments, [
      { kind: 'text', text: 'The ' },
      { kind: 'blank', blank: 1 },
      { kind: 'text', text: ' Five became the SCO in ' },
      { kind: 'blank', blank: 2 },
      { kind: 'text', text: ' with ' },
      { kind: 'blank', blank: 3 },
      { kind: 'text', text: ' joining.' },
    ]);
  });
});

describe('presentInOrder', () => {
  it('restores a frozen shuffle from its stored order', () => {
    for (const def of q.all) {
      const shown = presentQuestion(def, seeded(42));
      assert.deepEqual(presentInOrder(def, JSON.parse(JSON.stringify(presentationOrder(shown)))), shown, def.type);
    }
  });
});

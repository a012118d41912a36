import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { QuestionDefinition } from '../../server/questions/definition.ts';
import { opaqueId } from '../../server/questions/opaque-id.ts';
import { isBlankResponse, parseNumberText, parseResponse, type QuestionResponse } from '../../server/questions/parse-response.ts';
import * as q from './fixtures.ts';

function ok(def: QuestionDefinition, raw: unknown, namePrefix?: string): QuestionResponse {
  const r = parseResponse(def, raw, namePrefix ? { namePrefix } : {});
  if (!r.ok) assert.fail(`expected ok, got: ${r.error}`);
  return r.response;
}
function rejects(def: QuestionDefinition, raw: unknown, pattern: RegExp): void {
  const r = parseResponse(def, raw);
  assert.equal(r.ok, false, `expected an error for ${JSON.stringify(raw)}`);
  if (!r.ok) assert.match(r.error, pattern);
}

const id = opaqueId;
const long = 'x'.repeat(1001);

describe('parseResponse accepts JSON and form bodies', () => {
  it('mcq', () => {
    assert.deepEqual(ok(q.mcq, { choice: 'b' }), { type: 'mcq', choice: 'b' });
    assert.deepEqual(ok(q.mcq, { type: 'mcq', choice: 'b', _csrf: 'token' }), { type: 'mcq', choice: 'b' });
    assert.deepEqual(ok(q.mcq, {}), { type: 'mcq', choice: null });
  });
  it('multi: a repeated field, a single one, a JSON list', () => {
    assert.deepEqual(ok(q.multi, { choices: ['a', 'd'] }), { type: 'multi', choices: ['a', 'd'] });
    assert.deepEqual(ok(q.multi, { choices: 'a' }), { type: 'multi', choices: ['a'] });
    assert.deepEqual(ok(q.multi, {}), { type: 'multi', choices: [] });
  });
  it('true/false from a boolean or the strings "true"/"false"', () => {
    assert.deepEqual(ok(q.trueFalse, { value: true }), { type: 'truefalse', value: true });
    assert.deepEqual(ok(q.trueFalse, { value: 'false' }), { type: 'truefalse', value: false });
    assert.deepEqual(ok(q.trueFalse, {}), { type: 'truefalse', value: null });
  });
  it('short answer text is trimmed', () => {
    assert.deepEqual(ok(q.short, { text: '  Turkmenistan ' }), { type: 'short', text: 'Turkmenistan' });
  });
  it('numeric from a number or typed text: "1.5", "1,5", "8%", "8 %", "1,234.5"', () => {
    assert.deepEqual(ok(q.numeric, { value: 8 }), { type: 'numeric', value: 8 });
    const table: [string, number | null][] = [
      ['1.5', 1.5],
      ['1,5', 1.5],
      ['8%', 8],
      ['8 %', 8],
      [' -2 ', -2],
      ['1,234.5', 1234.5],
      ['.5', 0.5],
      ['', null],
    ];
    for (const [text, value] of table) assert.deepEqual(ok(q.numeric, { value: text }), { type: 'numeric', value }, text);
    assert.equal(parseNumberText('8%'), null, 'a % sign is only accepted when the unit is %');
  });
  it('cloze from blank1..n or a JSON list', () => {
    assert.deepEqual(ok(q.cloze, { blank1: 'Shanghai', blank3: ' x ' }), { type: 'cloze', blanks: ['Shanghai', '', 'x'] });
    assert.deepEqual(ok(q.cloze, { blanks: ['a', 'b'] }), { type: 'cloze', blanks: ['a', 'b', ''] });
  });
  it('matching from match_<leftId> fields or a JSON object, skipping unanswered lefts', () => {
    const form = { [`match_${id('China')}`]: id('Beijing'), [`match_${id('Russia')}`]: '' };
    assert.deepEqual(ok(q.matching, form), { type: 'matching', pairs: { [id('China')]: id('Beijing') } });
    assert.deepEqual(ok(q.matching, { pairs: { [id('Russia')]: id('Moscow') } }), {
      type: 'matching',
      pairs: { [id('Russia')]: id('Moscow') },
    });
  });
  it('ordering from position_<itemId> = 1..n or a JSON list', () => {
    const items = q.ordering.items;
    const form = Object.fromEntries(items.map((t, i) => [`position_${id(t)}`, String(items.length - i)]));
    assert.deepEqual(ok(q.ordering, form), { type: 'ordering', order: [...items].reverse().map(id) });
    assert.deepEqual(ok(q.ordering, { order: items.map(id) }), { type: 'ordering', order: items.map(id) });
    const empty = Object.fromEntries(items.map((t) => [`position_${id(t)}`, '']));
    assert.deepEqual(ok(q.ordering, empty), { type: 'ordering', order: [] });
  });
  it('reads only its own prefixed fields on a page with several questions', () => {
    const body = { choice: 'a', 'q2-choice': 'b', 'q3-text': 'Turkmenistan' };
    assert.deepEqual(ok(q.mcq, body, 'q2-'), { type: 'mcq', choice: 'b' });
    assert.deepEqual(ok(q.short, body, 'q3-'), { type: 'short', text: 'Turkmenistan' });
    assert.deepEqual(ok(q.mcq, { choice: 'a' }, 'q2-'), { type: 'mcq', choice: null });
  });
});

describe('parseResponse rejects forged or malformed input', () => {
  const table: [string, QuestionDefinition, unknown, RegExp][] = [
    ['a non-object', q.mcq, 'b', /must be an object/],
    ['an array body', q.mcq, ['b'], /must be an object/],
    ['another type', q.mcq, { type: 'short', text: 'x' }, /mcq question/],
    ['an unknown choice id', q.mcq, { choice: 'z' }, /"z" is not one of/],
    ['two choices for one', q.mcq, { choice: ['a', 'b'] }, /single choice/],
    ['an object for a choice', q.mcq, { choice: { $ne: 'x' } }, /single choice/],
    ['an unknown multi choice', q.multi, { choices: ['a', 'zz'] }, /"zz" is not one of/],
    ['a duplicated multi choice', q.multi, { choices: ['a', 'a'] }, /twice/],
    ['a non-boolean truefalse', q.trueFalse, { value: 'yes' }, /true or false/],
    ['an array for text', q.short, { text: ['a', 'b'] }, /single piece of text/],
    ['text over 1,000 characters', q.short, { text: long }, /longer than 1000/],
    ['a word for a number', q.numeric, { value: 'eight' }, /not a number/],
    ['too many blanks', q.cloze, { blanks: ['a', 'b', 'c', 'd'] }, /3 blanks, not 4/],
    ['a long blank', q.cloze, { blank2: long }, /longer than 1000/],
    ['an unknown left id', q.matching, { match_deadbeef00: id('Moscow') }, /"deadbeef00" is not one of this question's items/],
    ['an unknown right id', q.matching, { [`match_${id('China')}`]: id('Paris') }, /is not one of this question's answers/],
    ['a right given as text (not its id)', q.matching, { pairs: { [id('China')]: 'Beijing' } }, /not one of this question's answers/],
  ];
  for (const [name, def, raw, pattern] of table) {
    it(`rejects ${name}`, () => rejects(def, raw, pattern));
  }

  const items = q.ordering.items;
  const positions = (ps: string[]) => Object.fromEntries(items.map((t, i) => [`position_${id(t)}`, ps[i] ?? '']));
  it('rejects duplicate, missing, out-of-range and unknown ordering positions', () => {
    rejects(q.ordering, positions(['1', '1', '2', '3', '4']), /one item only/);
    rejects(q.ordering, positions(['1', '2', '', '3', '4']), /every item a position/);
    rejects(q.ordering, positions(['1', '2', '3', '4', '6']), /from 1 to 5/);
    rejects(q.ordering, positions(['1', '2', '3', '4', '2.5']), /from 1 to 5/);
    rejects(q.ordering, { ...positions(['1', '2', '3', '4', '5']), position_feedface00: '1' }, /not one of this question's items/);
    rejects(q.ordering, { order: items.slice(0, 4).map(id) }, /exactly once/);
    rejects(q.ordering, { order: [...items.slice(0, 4), items[0]!].map(id) }, /exactly once/);
  });
});

describe('isBlankResponse', () => {
  it('is true for empty responses and false once anything is given', () => {
    assert.equal(isBlankResponse(ok(q.mcq, {})), true);
    assert.equal(isBlankResponse(ok(q.cloze, { blank1: ' ' })), true);
    assert.equal(isBlankResponse(ok(q.cloze, { blank2: '2001' })), false);
    assert.equal(isBlankResponse(ok(q.numeric, { value: '0' })), false);
    assert.equal(isBlankResponse(ok(q.trueFalse, { value: 'false' })), false);
  });
});

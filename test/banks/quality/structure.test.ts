/** Detectors of flawed structure: few matching pairs, revealing connectives, a quote covering part of a question. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fewPairs, orderConnective, partialQuote, revealingConnectives } from '../../../server/banks/quality/structure.ts';
import { codes, ctxWith, matching, multi, ordering, cloze } from './make-question.ts';

const ctx = ctxWith('unused');

test('few-pairs: three pairs are an error; four are not', () => {
  const three = matching('p1', 'Match.', [
    ['Chechnya', 'Russia'],
    ['Xinjiang', 'China'],
    ['Andijan', 'Uzbekistan'],
  ]);
  const flags = fewPairs(three, ctx);
  assert.deepEqual(codes(flags), ['few-pairs']);
  assert.equal(flags[0]!.level, 'error');
  const four = matching('p2', 'Match.', [
    ['Chechnya', 'Russia'],
    ['Xinjiang', 'China'],
    ['Andijan', 'Uzbekistan'],
    ['Manas', 'Kyrgyzstan'],
  ]);
  assert.deepEqual(fewPairs(four, ctx), []);
});

test('order-connective: items opening with "So", "But" or "As a result" are an error; the same words inside an item are not', () => {
  assert.equal(orderConnective('So Australia should engage'), 'so');
  assert.equal(orderConnective('As a result, bases closed'), 'as a result');
  assert.equal(orderConnective('Sovereignty matters'), null);
  const trips = ordering('o1', 'Order the argument.', ['The SCO is limited', 'But it matters to members', 'So Australia should engage']);
  const flags = revealingConnectives(trips, ctx);
  assert.deepEqual(codes(flags), ['order-connective']);
  assert.equal(flags[0]!.level, 'error');
  assert.match(flags[0]!.reason, /2 items/);
  const nearMiss = ordering('o2', 'Order the argument.', [
    'The SCO is limited',
    'Its members still value it, but warily',
    'Australia should engage, so the paper says',
  ]);
  assert.deepEqual(revealingConnectives(nearMiss, ctx), []);
});

test('partial-quote: a quote naming two of three right choices is flagged; one naming all three is not', () => {
  const choices = ['Separatism', 'Terrorism', 'Extremism', 'Piracy'];
  const trips = multi('q1', 'Which three evils?', choices, [0, 1, 2], 'combating terrorism and separatism');
  const flags = partialQuote(trips, ctx);
  assert.deepEqual(codes(flags), ['partial-quote']);
  assert.match(flags[0]!.reason, /2 of 3/);
  const nearMiss = multi('q2', 'Which three evils?', choices, [0, 1, 2], 'combating terrorism, separatism and extremism');
  assert.deepEqual(partialQuote(nearMiss, ctx), []);
});

test('partial-quote: a cloze with two blanks checks both; a one-blank cloze is not a multi-part question', () => {
  const trips = cloze('c1', 'Complete.', 'more a {{1}} than a {{2}}', [['forum'], ['force']], 'more a forum than');
  assert.deepEqual(codes(partialQuote(trips, ctx)), ['partial-quote']);
  const single = cloze('c2', 'Complete.', 'more a {{1}} than a force', [['forum']], 'unrelated words');
  assert.deepEqual(partialQuote(single, ctx), []);
});

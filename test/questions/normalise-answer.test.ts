import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editDistance, matchAcceptedAnswer, normaliseAnswer } from '../../server/questions/normalise-answer.ts';
import { answerKeyText } from '../../server/questions/answer-key.ts';
import * as q from './fixtures.ts';

describe('normaliseAnswer', () => {
  const table: [string, string][] = [
    ['  The   Shanghai  Five ', 'shanghai five'],
    ['Shanghai–Five', 'shanghai five'],
    ['Shanghai—Five', 'shanghai five'],
    ['People’s Republic', 'peoples republic'],
    ["People's Republic", 'peoples republic'],
    ['“Shanghai spirit”', 'shanghai spirit'],
    ['Türkmenistan', 'turkmenistan'],
    ['U.S.', 'us'],
    ['An ASEAN analogue', 'asean analogue'],
    ['a', 'a'],
    ['Another', 'another'],
  ];
  for (const [input, expected] of table) it(`"${input}" → "${expected}"`, () => assert.equal(normaliseAnswer(input), expected));
});

describe('editDistance counts a transposition as one edit', () => {
  const table: [string, string, number][] = [
    ['kazakhstan', 'kazakhstan', 0],
    ['kazakhstan', 'kazakhtsan', 1],
    ['kazakhstan', 'kazakstan', 1],
    ['kazakhstan', 'kazakhsstan', 1],
    ['kazakhstan', 'kazokhstan', 1],
    ['kazakhstan', 'kazokhtsan', 2],
    ['', 'abc', 3],
  ];
  for (const [a, b, d] of table) it(`${a} / ${b} = ${d}`, () => assert.equal(editDistance(a, b), d));
  it('stops early past its limit', () => assert.equal(editDistance('aaaaaaaa', 'bbbbbbbb', 1), 2));
});

describe('matchAcceptedAnswer', () => {
  it('tells exact from forgiven typo from wrong', () => {
    assert.equal(matchAcceptedAnswer('kazakhstan', ['Kazakhstan']), 'exact');
    assert.equal(matchAcceptedAnswer('Kazakhtsan', ['Kazakhstan']), 'typo');
    assert.equal(matchAcceptedAnswer('Kazakhtsna', ['Kazakhstan']), 'none');
    assert.equal(matchAcceptedAnswer('Chna', ['China']), 'none');
    assert.equal(matchAcceptedAnswer('', ['China']), 'none');
  });
});

describe('answerKeyText', () => {
  it('states every type in words', () => {
    assert.deepEqual(q.all.map(answerKeyText), [
      'Shanghai',
      'China; Russia; Kazakhstan',
      'True',
      'Türkmenistan (also accepted: the Turkmen republic)',
      '8% (± 0.5%)',
      'The [Shanghai] Five became the SCO in [2001] with [Uzbekistan] joining.',
      'China → Beijing; Russia → Moscow; Kazakhstan → Astana; Tajikistan → Dushanbe',
      '1. Shanghai Five formed; 2. SCO founded; 3. Charter signed; 4. RATS opened; 5. India joins',
    ]);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNumberText, parseResponse } from '../../server/questions/parse-response.ts';
import type { QuestionDefinition } from '../../server/questions/index.ts';

const numeric = (answer: number) => ({ type: 'numeric', prompt: 'How many?', answer, tolerance: 0 }) as unknown as QuestionDefinition;

test('"2,002" is two thousand and two where the answer is a whole number, 2.002 otherwise', () => {
  const whole = parseResponse(numeric(2002), { value: '2,002' });
  assert.deepEqual(whole, { ok: true, response: { type: 'numeric', value: 2002 } });
  assert.deepEqual(parseResponse(numeric(1000000), { value: '1,000,000' }), { ok: true, response: { type: 'numeric', value: 1000000 } });
  assert.deepEqual(parseResponse(numeric(2.5), { value: '2,002' }), { ok: true, response: { type: 'numeric', value: 2.002 } });
  // A decimal comma still reads as one when it is not followed by exactly three digits.
  assert.deepEqual(parseResponse(numeric(2), { value: '1,5' }), { ok: true, response: { type: 'numeric', value: 1.5 } });
  assert.equal(parseNumberText('2,002', undefined, true), 2002);
  assert.equal(parseNumberText('2,002'), 2.002);
});

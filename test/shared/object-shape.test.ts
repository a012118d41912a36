import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorCode, isOneOf, isRecord } from '../../server/object-shape.ts';

test('isRecord: objects (errors and parsed JSON included) are records; null, arrays and primitives are not', () => {
  assert.equal(isRecord({}), true);
  assert.equal(isRecord(JSON.parse('{"a":1}')), true);
  assert.equal(isRecord(new Error('x')), true);
  for (const v of [null, undefined, [], [1], 'text', 3, true]) assert.equal(isRecord(v), false, String(v));
});

test('isOneOf: only the listed literals, compared exactly', () => {
  const types = ['mcq', 'multi'] as const;
  assert.equal(isOneOf(types, 'mcq'), true);
  assert.equal(isOneOf(types, 'MCQ'), false);
  assert.equal(isOneOf(types, ''), false);
});

test("errorCode: an error's code whatever set it, undefined for values without one", () => {
  assert.equal(errorCode(Object.assign(new Error('too big'), { code: 'LIMIT_FILE_SIZE' })), 'LIMIT_FILE_SIZE');
  assert.equal(errorCode({ code: 11000 }), 11000);
  assert.equal(errorCode(new Error('plain')), undefined);
  assert.equal(errorCode(null), undefined);
  assert.equal(errorCode('LIMIT_FILE_SIZE'), undefined);
});

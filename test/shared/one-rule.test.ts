import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPercent, formatTime, inputDate, percentValue } from '../../server/formatting/index.ts';
import { slugify } from '../../server/slug.ts';
import { isDuplicateKey } from '../../server/mongo-errors.ts';
import { canAuthor } from '../../server/accounts/index.ts';
import { canManageQuiz } from '../../server/quizzes/index.ts';

test('percentages: one decimal place everywhere, a dash for none', () => {
  assert.equal(percentValue(2 / 3), 66.7);
  assert.equal(percentValue(0.5), 50);
  assert.equal(percentValue(null), null);
  assert.equal(percentValue(Number.NaN), null);
  assert.equal(formatPercent(1 / 3), '33.3%');
  assert.equal(formatPercent(1), '100%');
  assert.equal(formatPercent(undefined), '—');
});

test('times: one format, in UTC and saying so', () => {
  const d = new Date('2026-12-02T08:05:00Z');
  assert.equal(formatTime(d), '2 Dec 2026, 08:05 UTC');
  assert.equal(formatTime(null), '—');
  assert.equal(inputDate(d), '2026-12-02T08:05');
});

test('slugs: accents dropped, dashes between words, none at the ends, cut to length', () => {
  assert.equal(slugify('  Résumé: the SCO & Australia! '), 'resume-the-sco-australia');
  assert.equal(slugify('--a--b--'), 'a-b');
  assert.equal(slugify('abc def', 4), 'abc');
  assert.equal(slugify('!!!'), '');
});

test('a duplicate key is code 11000, whatever else the error carries', () => {
  assert.equal(isDuplicateKey(Object.assign(new Error('E11000'), { code: 11000 })), true);
  assert.equal(isDuplicateKey({ code: 11001 }), false);
  assert.equal(isDuplicateKey(null), false);
  assert.equal(isDuplicateKey('E11000'), false);
});

test('who may author, and who may manage a quiz', () => {
  assert.equal(canAuthor({ role: 'student' }), false);
  assert.equal(canAuthor({ role: 'instructor' }), true);
  assert.equal(canAuthor({ role: 'admin' }), true);
  assert.equal(canManageQuiz({ id: 'a', role: 'instructor' }, { ownerId: 'a' }), true);
  assert.equal(canManageQuiz({ id: 'b', role: 'instructor' }, { ownerId: 'a' }), false);
  assert.equal(canManageQuiz({ id: 'b', role: 'admin' }, { ownerId: 'a' }), true);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Quiz } from '../../server/quizzes/model.ts';
import { QUIZ_SETTING_DEFAULTS, quizSettings } from '../../server/quizzes/index.ts';

test('a new quiz document takes the same setting defaults as QUIZ_SETTING_DEFAULTS', () => {
  const doc = new Quiz({ title: 't', ownerId: '64b000000000000000000001', selection: { mode: 'pick' } });
  const stored = doc.toObject().settings as Record<string, unknown>;
  for (const [key, value] of Object.entries(QUIZ_SETTING_DEFAULTS)) assert.deepEqual(stored[key], value, key);
});

test('quizSettings fills what a stored quiz lacks, or holds wrongly, with the defaults', () => {
  assert.deepEqual(quizSettings({}), { ...QUIZ_SETTING_DEFAULTS });
  assert.deepEqual(quizSettings({ settings: null }), { ...QUIZ_SETTING_DEFAULTS });
  const dueAt = new Date('2026-03-01T10:00:00Z');
  const parsed = quizSettings({ settings: { gradingMethod: 'average', dueAt, attemptsAllowed: 3, feedbackTiming: 'bogus', passMark: null } });
  assert.equal(parsed.gradingMethod, 'average');
  assert.equal(parsed.dueAt, dueAt);
  assert.equal(parsed.attemptsAllowed, 3);
  assert.equal(parsed.feedbackTiming, QUIZ_SETTING_DEFAULTS.feedbackTiming);
  assert.equal(parsed.passMark, null);
});

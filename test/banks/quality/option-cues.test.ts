/** Detectors of cues in a question's options: longest key, verbatim key, echo, kind, "all of the above". */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { longestKey, longestKeyBank, keyIsLongest } from '../../../server/banks/quality/longest-key.ts';
import { allNoneOfTheAbove, kindMismatch, optionKind, promptEcho, verbatimKey } from '../../../server/banks/quality/option-wording.ts';
import { codes, ctxWith, mcq, multi } from './make-question.ts';

const ctx = ctxWith('The SCO was formed in June 2001 when Uzbekistan joined the five participants of the Shanghai Five.');

test('longest-key: a key strictly longer than every distractor is flagged; a tie is not', () => {
  const trips = mcq('q1', 'Who joined?', ['Uzbekistan, the sixth state', 'Mongolia', 'Turkmenistan'], 0);
  assert.deepEqual(codes(longestKey(trips, ctx)), ['longest-key']);
  assert.equal(longestKey(trips, ctx)[0]!.level, 'warning');
  const nearMiss = mcq('q2', 'Who joined?', ['Uzbekistan', 'Kazakhstan', 'Mongolia'], 0);
  assert.equal(keyIsLongest(nearMiss), false);
  assert.deepEqual(longestKey(nearMiss, ctx), []);
});

test('longest-key: in a multi, right choices all longer than every wrong one are flagged; one short right choice is not', () => {
  const trips = multi('m1', 'Which?', ['Kazakhstan and Russia', 'Tajikistan and China', 'Iran', 'Oman'], [0, 1]);
  assert.deepEqual(codes(longestKey(trips, ctx)), ['longest-key']);
  const nearMiss = multi('m2', 'Which?', ['Kazakhstan and Russia', 'Iran', 'Oman', 'Mongolia'], [0, 1]);
  assert.deepEqual(longestKey(nearMiss, ctx), []);
});

test('longest-key-share: an error above 30% of single-answer MCQs; at 30% none', () => {
  const long = (i: number) => mcq(`l${i}`, 'Which?', ['a much longer key', 'short', 'brief'], 0);
  const fair = (i: number) => mcq(`f${i}`, 'Which?', ['key', 'other', 'third'], 0);
  const bank = [...[0, 1, 2, 3].map(long), ...[0, 1, 2, 3, 4, 5].map(fair)];
  const flags = longestKeyBank(bank, ctx);
  assert.equal(flags.length, 1);
  assert.equal(flags[0]!.level, 'error');
  assert.match(flags[0]!.reason, /4 of 10/);
  const atLimit = [...[0, 1, 2].map(long), ...[0, 1, 2, 3, 4, 5, 6].map(fair)];
  assert.deepEqual(longestKeyBank(atLimit, ctx), []);
});

test('verbatim-key: a key copying the passage while distractors paraphrase is flagged; a paraphrased key is not', () => {
  const trips = mcq('v1', 'What happened in 2001?', ['Uzbekistan joined the five participants', 'Mongolia became an observer', 'Iran applied'], 0);
  assert.deepEqual(codes(verbatimKey(trips, ctx)), ['verbatim-key']);
  const nearMiss = mcq('v2', 'What happened in 2001?', ['Uzbekistan became the sixth member', 'Mongolia became an observer', 'Iran applied'], 0);
  assert.deepEqual(verbatimKey(nearMiss, ctx), []);
});

test('all-none-above: an error for "All of the above" or "None of these"; "None of them spoke" wording in a real option is not', () => {
  assert.deepEqual(codes(allNoneOfTheAbove(mcq('a1', 'Which?', ['Russia', 'China', 'All of the above'], 2), ctx)), ['all-none-above']);
  assert.equal(allNoneOfTheAbove(mcq('a2', 'Which?', ['None of these', 'China', 'Iran'], 1), ctx)[0]!.level, 'error');
  assert.deepEqual(allNoneOfTheAbove(mcq('a3', 'Which?', ['All members above the age limit', 'China', 'Iran'], 1), ctx), []);
});

test('prompt-echo: the key alone repeating a prompt word is flagged; a distractor sharing it too is not', () => {
  const trips = mcq('e1', 'Which energy body did the SCO plan?', ['An energy club', 'A customs union', 'A defence pact'], 0);
  assert.deepEqual(codes(promptEcho(trips, ctx)), ['prompt-echo']);
  const nearMiss = mcq('e2', 'Which energy body did the SCO plan?', ['An energy club', 'An energy cartel', 'A defence pact'], 0);
  assert.deepEqual(promptEcho(nearMiss, ctx), []);
});

test('kind-mismatch: a year among countries is flagged; all countries are not', () => {
  assert.equal(optionKind('June 2001'), 'year');
  assert.equal(optionKind('8%'), 'number');
  const trips = mcq('k1', 'Who joined?', ['Uzbekistan', 'Mongolia', '2005'], 0);
  assert.deepEqual(codes(kindMismatch(trips, ctx)), ['kind-mismatch']);
  const nearMiss = mcq('k2', 'Who joined?', ['Uzbekistan', 'Mongolia', 'Iran'], 0);
  assert.deepEqual(kindMismatch(nearMiss, ctx), []);
  const years = mcq('k3', 'When?', ['June 2001', 'mid-2005', '1996'], 0);
  assert.deepEqual(kindMismatch(years, ctx), []);
});

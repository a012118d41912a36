import { test } from 'node:test';
import assert from 'node:assert/strict';
import { itemStatistics, correlation, type AttemptItem } from '../../server/progress/item-statistics.ts';

const attempt = (marks: Record<string, number>): AttemptItem[] => Object.entries(marks).map(([questionId, mark]) => ({ questionId, mark, maxMark: 1 }));

const close = (actual: number | null, expected: number, what: string) => {
  assert.ok(actual !== null, `${what} is defined`);
  assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual} ≈ ${expected}`);
};

// Worked by hand. Four students, three items, marks 0/1:
//   S1: a=1 b=1 c=1 (total 3)   S2: a=1 b=1 c=0 (2)   S3: a=1 b=0 c=0 (1)   S4: a=0 b=0 c=1 (1)
// Item a: x = 1,1,1,0 ; rest = 2,1,0,1.   mean x = .75, mean rest = 1.
//   dx = .25,.25,.25,-.75 ; dy = 1,0,-1,0 → Sxy = .25 - .25 = 0 → discrimination 0%.
//   facility = 75%.
// Item b: x = 1,1,0,0 ; rest = 2,1,1,1. mean x = .5, mean rest = 1.25.
//   dx = .5,.5,-.5,-.5 ; dy = .75,-.25,-.25,-.25 → Sxy = .375 - .125 + .125 + .125 = .5
//   Sxx = 1 ; Syy = .5625 + .0625*3 = .75 → r = .5/√.75 = 0.57735 → 57.735%. facility 50%.
// Item c: x = 1,0,0,1 ; rest = 2,2,1,0. mean x = .5, mean rest = 1.25.
//   dx = .5,-.5,-.5,.5 ; dy = .75,.75,-.25,-1.25 → Sxy = .375 - .375 + .125 - .625 = -.5
//   Syy = .5625+.5625+.0625+1.5625 = 2.75 → r = -.5/√2.75 = -0.30151 → -30.151%. facility 50%.
const attempts = [attempt({ a: 1, b: 1, c: 1 }), attempt({ a: 1, b: 1, c: 0 }), attempt({ a: 1, b: 0, c: 0 }), attempt({ a: 0, b: 0, c: 1 })];

test('facility and discrimination match the values worked out by hand', () => {
  const stats = new Map(itemStatistics(attempts).map((s) => [s.questionId, s]));
  close(stats.get('a')!.facility, 75, 'facility a');
  close(stats.get('a')!.discrimination, 0, 'discrimination a');
  close(stats.get('b')!.facility, 50, 'facility b');
  close(stats.get('b')!.discrimination, 57.735026919, 'discrimination b');
  close(stats.get('c')!.facility, 50, 'facility c');
  close(stats.get('c')!.discrimination, -30.151134458, 'discrimination c');
  assert.equal(stats.get('a')!.weak, true, '0% is under 20%');
  assert.equal(stats.get('b')!.weak, false);
  assert.equal(stats.get('c')!.weak, true, 'a negative index is weak');
  assert.equal(stats.get('a')!.attempts, 4);
});

test('an item everyone got right (zero variance) has a facility of 100% and no discrimination', () => {
  const stats = itemStatistics([attempt({ a: 1, b: 1 }), attempt({ a: 1, b: 0 }), attempt({ a: 1, b: 1 })]);
  const a = stats.find((s) => s.questionId === 'a')!;
  assert.equal(a.facility, 100);
  assert.equal(a.discrimination, null);
  assert.equal(a.weak, false, 'undefined is not flagged as weak');
  close(a.sd, 0, 'sd of a');
});

test('a rest of test with zero variance gives no discrimination either', () => {
  // Only one other item, and everyone scored the same on it.
  const stats = itemStatistics([attempt({ a: 1, b: 1 }), attempt({ a: 0, b: 1 })]);
  assert.equal(stats.find((s) => s.questionId === 'a')!.discrimination, null);
});

test('partial marks and maximum marks other than 1 scale the facility; one attempt has no discrimination', () => {
  const stats = itemStatistics([[{ questionId: 'q', mark: 1.5, maxMark: 2 }]]);
  close(stats[0]!.facility, 75, 'facility');
  assert.equal(stats[0]!.discrimination, null);
  assert.equal(stats[0]!.sd, null);
});

test('items drawn at random are measured over the attempts that contained them', () => {
  const stats = new Map(itemStatistics([attempt({ a: 1, x: 1 }), attempt({ a: 0, y: 0 }), attempt({ a: 1, x: 0 })]).map((s) => [s.questionId, s]));
  assert.equal(stats.get('x')!.attempts, 2);
  assert.equal(stats.get('y')!.attempts, 1);
  close(stats.get('x')!.facility, 50, 'facility x');
});

test('correlation is symmetric, ±1 for linear series, and null for fewer than two points', () => {
  close(correlation([1, 2, 3], [2, 4, 6]), 1, 'r');
  close(correlation([1, 2, 3], [3, 2, 1]), -1, 'r');
  assert.equal(correlation([1], [1]), null);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatInterval,
  isStudyRating,
  newCardState,
  newCardsAllowed,
  previewRatings,
  scheduleReview,
  startOfStudyDay,
  stateName,
  studyCounts,
} from '../../server/study/schedule.ts';

const T0 = new Date('2025-03-03T09:00:00.000Z');
const minutes = (d: Date, from: Date) => (d.getTime() - from.getTime()) / 60_000;

test('a new card rated Good, then Again, then Good follows FSRS learning steps and states', () => {
  const fresh = newCardState(T0);
  assert.equal(stateName(fresh.state), 'New');
  assert.equal(fresh.reps, 0);
  assert.equal(fresh.last_review, null);

  // Good on a new card: Learning, second learning step (10 minutes).
  const good = scheduleReview(fresh, 3, T0);
  assert.equal(stateName(good.card.state), 'Learning');
  assert.equal(minutes(good.card.due, T0), 10);
  assert.equal(good.card.reps, 1);
  assert.equal(good.card.lapses, 0);
  assert.equal(good.card.learning_steps, 1);
  assert.deepEqual(good.card.last_review, T0);
  assert.equal(good.log.rating, 3);
  assert.equal(stateName(good.log.state), 'New');
  assert.ok(Math.abs(good.card.stability - 2.3065) < 1e-3, `stability ${good.card.stability}`);

  // Again while learning, when due: back to the first step (1 minute), still Learning; not a lapse.
  const t1 = good.card.due;
  const again = scheduleReview(good.card, 1, t1);
  assert.equal(stateName(again.card.state), 'Learning');
  assert.equal(minutes(again.card.due, t1), 1);
  assert.equal(again.card.reps, 2);
  assert.equal(again.card.lapses, 0);
  assert.equal(again.card.learning_steps, 0);
  assert.ok(again.card.stability < good.card.stability);
  assert.ok(again.card.difficulty > good.card.difficulty);

  // Good again: the 10-minute step.
  const t2 = again.card.due;
  const good2 = scheduleReview(again.card, 3, t2);
  assert.equal(stateName(good2.card.state), 'Learning');
  assert.equal(minutes(good2.card.due, t2), 10);
  assert.equal(good2.card.reps, 3);

  // And Good once more graduates it to Review, due in whole days.
  const t3 = good2.card.due;
  const good3 = scheduleReview(good2.card, 3, t3);
  assert.equal(stateName(good3.card.state), 'Review');
  assert.equal(good3.card.scheduled_days, 1);
  assert.equal(minutes(good3.card.due, t3), 24 * 60);
});

test('a review card rated Again lapses into Relearning', () => {
  let card = newCardState(T0);
  card = scheduleReview(card, 4, T0).card; // Easy: straight to Review
  assert.equal(stateName(card.state), 'Review');
  const at = card.due;
  const lapse = scheduleReview(card, 1, at).card;
  assert.equal(stateName(lapse.state), 'Relearning');
  assert.equal(lapse.lapses, 1);
  assert.equal(minutes(lapse.due, at), 10);
});

test('the rating buttons preview each interval without changing the card', () => {
  const card = newCardState(T0);
  const preview = previewRatings(card, T0);
  assert.deepEqual(
    preview.map((p) => `${p.label} (${p.interval})`),
    ['Again (1m)', 'Hard (6m)', 'Good (10m)', 'Easy (8d)'],
  );
  assert.equal(card.reps, 0);
  const learnt = scheduleReview(card, 3, T0).card;
  assert.deepEqual(
    previewRatings(learnt, learnt.due).map((p) => p.interval),
    ['1m', '6m', '2d', '4d'],
  );
});

test('intervals read as Anki writes them', () => {
  const m = 60_000;
  const d = 24 * 60 * m;
  assert.equal(formatInterval(0), '1m');
  assert.equal(formatInterval(10 * m), '10m');
  assert.equal(formatInterval(90 * m), '2h');
  assert.equal(formatInterval(4 * d), '4d');
  assert.equal(formatInterval(45 * d), '1.5mo');
  assert.equal(formatInterval(730 * d), '2y');
});

test('study days are UTC days', () => {
  assert.deepEqual(startOfStudyDay(new Date('2025-03-03T23:59:59.999Z')), new Date('2025-03-03T00:00:00.000Z'));
  assert.deepEqual(startOfStudyDay(new Date('2025-03-04T00:00:00.000Z')), new Date('2025-03-04T00:00:00.000Z'));
});

test('due and new counts respect the daily limit', () => {
  const cases: Array<[{ dueNow: number; introducedToday: number; unseen: number; limit: number }, { due: number; new: number }]> = [
    [{ dueNow: 0, introducedToday: 0, unseen: 217, limit: 20 }, { due: 0, new: 20 }],
    [{ dueNow: 5, introducedToday: 12, unseen: 200, limit: 20 }, { due: 5, new: 8 }],
    [{ dueNow: 3, introducedToday: 20, unseen: 200, limit: 20 }, { due: 3, new: 0 }],
    [{ dueNow: 0, introducedToday: 25, unseen: 200, limit: 20 }, { due: 0, new: 0 }],
    [{ dueNow: 0, introducedToday: 0, unseen: 4, limit: 20 }, { due: 0, new: 4 }],
    [{ dueNow: 7, introducedToday: 0, unseen: 50, limit: 0 }, { due: 7, new: 0 }],
  ];
  for (const [input, expected] of cases) assert.deepEqual(studyCounts(input), expected, JSON.stringify(input));
  assert.equal(newCardsAllowed(20, 19, 100), 1);
});

test('only 1 to 4 are ratings', () => {
  assert.ok([1, 2, 3, 4].every(isStudyRating));
  assert.ok(![0, 5, 7, 2.5, '3', null].some(isStudyRating));
});

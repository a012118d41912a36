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
  countBucket,
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

test('without a learner, study days are UTC days', () => {
  assert.deepEqual(startOfStudyDay(new Date('2025-03-03T23:59:59.999Z')), new Date('2025-03-03T00:00:00.000Z'));
  assert.deepEqual(startOfStudyDay(new Date('2025-03-04T00:00:00.000Z')), new Date('2025-03-04T00:00:00.000Z'));
});

test("a learner's study day starts at their chosen hour in their zone (Anki's next day starts at)", () => {
  const cases: Array<[string, { timeZone?: string; dayStartHour?: number }, string]> = [
    // Default: 04:00 in UTC; 02:00 still belongs to yesterday.
    ['2025-03-03T02:00:00Z', {}, '2025-03-02T04:00:00.000Z'],
    ['2025-03-03T05:00:00Z', {}, '2025-03-03T04:00:00.000Z'],
    // Sydney (UTC+11 in March): 04:00 local is 17:00 UTC the day before.
    ['2025-03-03T16:59:00Z', { timeZone: 'Australia/Sydney', dayStartHour: 4 }, '2025-03-02T17:00:00.000Z'],
    ['2025-03-03T17:00:00Z', { timeZone: 'Australia/Sydney', dayStartHour: 4 }, '2025-03-03T17:00:00.000Z'],
    // Midnight start in New York (UTC-5).
    ['2025-03-03T04:59:00Z', { timeZone: 'America/New_York', dayStartHour: 0 }, '2025-03-02T05:00:00.000Z'],
    // The day after London's clocks go forward (30 Mar 2025) starts at 04:00 BST = 03:00 UTC.
    ['2025-03-31T03:30:00Z', { timeZone: 'Europe/London', dayStartHour: 4 }, '2025-03-31T03:00:00.000Z'],
  ];
  for (const [now, learner, start] of cases) assert.equal(startOfStudyDay(new Date(now), learner).toISOString(), start, `${now} ${JSON.stringify(learner)}`);
});

test("new, learning and review counts: new adds the cards today's limit still allows to those introduced but unrated", () => {
  const base = { newCarded: 0, learning: 0, review: 0 };
  const cases: Array<[Parameters<typeof studyCounts>[0], ReturnType<typeof studyCounts>]> = [
    [
      { ...base, introducedToday: 0, unseen: 217, limit: 20 },
      { new: 20, learning: 0, review: 0 },
    ],
    [
      { ...base, review: 5, introducedToday: 12, unseen: 200, limit: 20 },
      { new: 8, learning: 0, review: 5 },
    ],
    // The new card on screen was introduced (it counts against the limit) and still counts as new.
    [
      { ...base, newCarded: 1, introducedToday: 20, unseen: 200, limit: 20 },
      { new: 1, learning: 0, review: 0 },
    ],
    [
      { ...base, learning: 2, review: 3, introducedToday: 25, unseen: 200, limit: 20 },
      { new: 0, learning: 2, review: 3 },
    ],
    [
      { ...base, introducedToday: 0, unseen: 4, limit: 20 },
      { new: 4, learning: 0, review: 0 },
    ],
    [
      { ...base, review: 7, introducedToday: 0, unseen: 50, limit: 0 },
      { new: 0, learning: 0, review: 7 },
    ],
  ];
  for (const [input, expected] of cases) assert.deepEqual(studyCounts(input), expected, JSON.stringify(input));
  assert.equal(newCardsAllowed(20, 19, 100), 1);
  assert.deepEqual([0, 1, 2, 3].map(countBucket), ['new', 'learning', 'review', 'learning']);
});

test('only 1 to 4 are ratings', () => {
  assert.ok([1, 2, 3, 4].every(isStudyRating));
  assert.ok(![0, 5, 7, 2.5, '3', null].some(isStudyRating));
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { startTestApp, registerAs, type TestApp } from '../helpers/test-app.ts';
import { Bank, Question } from '../../server/banks/model.ts';
import { StudyCard, ReviewLog } from '../../server/study/model.ts';
import { newCardState } from '../../server/study/schedule.ts';

const T0 = new Date('2025-03-10T09:00:00.000Z');
const DAY = 24 * 3600_000;
let t: TestApp;
let bankId: string;

before(async () => {
  t = await startTestApp({}, { seed: true });
  t.setNow(T0);
  bankId = String((await Bank.findOne({ slug: 'sco-policy-brief' }).lean())!._id);
});
after(() => t.close());

const rows = (html: string, testid: string) => {
  const table = new RegExp(`data-testid="${testid}">([\\s\\S]*?)</table>`).exec(html)![1]!;
  return [...table.matchAll(/<tr><th scope="row">([^<]*?)(?: \(today[^<]*)?<\/th>((?:<td>[^<]*<\/td>)+)<\/tr>/g)].map((m) => [
    m[1]!,
    ...[...m[2]!.matchAll(/<td>([^<]*)<\/td>/g)].map((c) => c[1]!),
  ]);
};

test('review statistics: counts by state, true retention by day and the 30-day forecast', async () => {
  const agent = await registerAs(t.app, 'Stats Student', 'stats@example.com');
  const userId = (await mongoose.connection.collection('users').findOne({ email: 'stats@example.com' }))!._id;
  const questions = await Question.find({ bankId: new mongoose.Types.ObjectId(bankId), retired: false })
    .sort({ key: 1 })
    .limit(8)
    .lean();
  const card = (i: number, extra: Record<string, unknown>) => ({
    userId,
    questionId: questions[i]!._id,
    bankId: questions[i]!.bankId,
    topics: questions[i]!.topics,
    introducedAt: T0,
    ...newCardState(T0),
    ...extra,
  });
  const review = { state: 2, reps: 3, stability: 10, last_review: new Date(T0.getTime() - 5 * DAY) };
  const cards = await StudyCard.insertMany([
    card(0, { ...review, due: new Date(T0.getTime() - 2 * DAY) }), // overdue: today
    card(1, { ...review, due: new Date(T0.getTime() + 3 * 3600_000) }), // later today
    card(2, { ...review, due: new Date(T0.getTime() + 2 * DAY) }),
    card(3, { ...review, due: new Date(T0.getTime() + 2 * DAY + 3600_000) }),
    card(4, { ...review, due: new Date(T0.getTime() + 40 * DAY) }), // beyond the forecast
    card(5, { state: 1, reps: 1, last_review: T0, due: new Date(T0.getTime() + 10 * 60_000) }), // learning, due today
    card(6, { due: T0 }), // new: due today
    card(7, { ...review, suspended: true, due: T0 }), // suspended: not in the forecast
  ]);
  const log = (i: number, daysAgo: number, rating: number, state = 2) => ({
    userId,
    cardId: cards[i]!._id,
    questionId: questions[i]!._id,
    bankId: questions[i]!.bankId,
    rating,
    state,
    due: T0,
    stability: 1,
    difficulty: 5,
    elapsed_days: 1,
    last_elapsed_days: 1,
    scheduled_days: 1,
    learning_steps: 0,
    review: new Date(T0.getTime() - daysAgo * DAY),
    nextState: 2,
    nextDue: T0,
    nextStability: 1,
  });
  await ReviewLog.insertMany([
    log(0, 1, 3),
    log(1, 1, 1),
    log(2, 1, 4),
    log(3, 1, 2), // 3 of 4 recalled yesterday
    log(0, 3, 1),
    log(1, 3, 3), // 1 of 2 three days ago
    log(5, 0, 3, 0), // a new card's first rating today: not a review of a review card
    log(2, 45, 1), // outside the 30 days
  ]);

  const res = await agent.get('/study/stats');
  assert.equal(res.status, 200);
  const counts = Object.fromEntries(rows(res.text, 'stats-counts').map(([k, v]) => [k, v]));
  assert.equal(counts.Cards, '8');
  assert.equal(counts.New, '1');
  assert.equal(counts.Learning, '1');
  assert.equal(counts.Review, '5');
  assert.equal(counts.Suspended, '1');
  assert.match(res.text, /data-testid="stats-today">1</);
  assert.match(res.text, /data-testid="stats-retention">66\.7%/, '4 recalled of 6 reviews of review cards');
  assert.deepEqual(rows(res.text, 'retention-table'), [
    ['2025-03-09', '4', '75%'],
    ['2025-03-07', '2', '50%'],
  ]);
  const forecast = rows(res.text, 'forecast-table');
  assert.equal(forecast.length, 30);
  assert.deepEqual(forecast[0], ['2025-03-10', '4'], 'overdue, later today, learning and new; not the suspended one');
  assert.deepEqual(forecast[2], ['2025-03-12', '2']);
  assert.equal(
    forecast.reduce((s, r) => s + Number(r[1]), 0),
    6,
    'nothing beyond 30 days',
  );
  assert.match(res.text, /<canvas id="retention-chart"/);
  assert.match(res.text, /<canvas id="forecast-chart"[^>]*data-series="[^"]*Cards due/);

  // Another learner sees their own (empty) statistics.
  const other = await registerAs(t.app, 'Stats Other', 'stats-other@example.com');
  const empty = await other.get('/study/stats');
  assert.match(empty.text, /data-testid="stats-retention">—/);
  assert.equal(
    rows(empty.text, 'forecast-table').reduce((s, r) => s + Number(r[1]), 0),
    0,
  );
});

test("statistics count the learner's study days: in Sydney, one UTC day of reviews is two days, and a card due at 02:00 is due today", async () => {
  const agent = await registerAs(t.app, 'Sydney Stats', 'sydney-stats@example.com');
  const userId = (await mongoose.connection.collection('users').findOne({ email: 'sydney-stats@example.com' }))!._id;
  await mongoose.connection.collection('users').updateOne({ _id: userId }, { $set: { timeZone: 'Australia/Sydney', dayStartHour: 4 } });
  const [q] = await Question.find({ bankId: new mongoose.Types.ObjectId(bankId), retired: false })
    .sort({ key: 1 })
    .limit(1)
    .lean();
  const review = { state: 2, reps: 3, stability: 10, last_review: new Date(T0.getTime() - 5 * DAY) };
  // T0 is 20:00 on 10 March in Sydney (UTC+11); 15:00Z is 02:00 on the 11th, before the day starts at 4.
  const [card] = await StudyCard.create([
    {
      userId,
      questionId: q!._id,
      bankId: q!.bankId,
      topics: q!.topics,
      introducedAt: T0,
      ...newCardState(T0),
      ...review,
      due: new Date('2025-03-10T15:00:00Z'),
    },
  ]);
  const log = (at: string) => ({
    userId,
    cardId: card!._id,
    questionId: q!._id,
    bankId: q!.bankId,
    rating: 3,
    state: 2,
    due: T0,
    stability: 1,
    difficulty: 5,
    elapsed_days: 1,
    last_elapsed_days: 1,
    scheduled_days: 1,
    learning_steps: 0,
    review: new Date(at),
    nextState: 2,
    nextDue: T0,
    nextStability: 1,
  });
  // Both on 9 March in UTC; in Sydney 12:00 on the 9th and 07:00 on the 10th.
  await ReviewLog.insertMany([log('2025-03-09T01:00:00Z'), log('2025-03-09T20:00:00Z')]);
  const res = await agent.get('/study/stats');
  assert.equal(res.status, 200);
  assert.deepEqual(rows(res.text, 'retention-table'), [
    ['2025-03-10', '1', '100%'],
    ['2025-03-09', '1', '100%'],
  ]);
  assert.deepEqual(rows(res.text, 'forecast-table')[0], ['2025-03-10', '1']);
  assert.match(res.text, /data-testid="stats-today">1</, "the rating at 07:00 is today's");
});

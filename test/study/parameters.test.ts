import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { default_w } from 'ts-fsrs';
import { startTestApp, registerAs, postForm, type TestApp } from '../helpers/test-app.ts';
import { Bank, Question } from '../../server/banks/model.ts';
import { StudyCard, ReviewLog, StudyParameters } from '../../server/study/model.ts';
import { cardStateOf, newCardState, scheduleReview } from '../../server/study/schedule.ts';
import { optimiseParameters, trainingItems, MIN_REVIEWS_TO_OPTIMISE } from '../../server/study/parameters.ts';

const T0 = new Date('2025-06-01T09:00:00.000Z');
const DAY = 24 * 3600_000;
let t: TestApp;
let bankId: string;

before(async () => {
  t = await startTestApp({}, { seed: true });
  t.setNow(T0);
  bankId = String((await Bank.findOne({ slug: 'sco-policy-brief' }).lean())!._id);
});
after(() => t.close());

const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];

/**
 * A synthetic history: 400 cards reviewed 8 times each over the months before T0, at intervals
 * that grow 2.5-fold, forgotten (Again) with a fixed seeded chance: 3,200 reviews.
 */
async function syntheticHistory(userId: mongoose.Types.ObjectId, questionId: mongoose.Types.ObjectId) {
  let seed = 7;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const logs = [];
  for (let c = 0; c < 400; c++) {
    const cardId = new mongoose.Types.ObjectId();
    let at = T0.getTime() - 300 * DAY + c * 3600_000;
    let interval = 1;
    for (let r = 0; r < 8; r++) {
      const rating = r === 0 ? 3 : rnd() < 0.75 ? 3 : rnd() < 0.6 ? 1 : 4;
      logs.push({
        userId,
        cardId,
        questionId,
        bankId: new mongoose.Types.ObjectId(bankId),
        rating,
        state: r === 0 ? 0 : 2,
        due: new Date(at),
        stability: 1,
        difficulty: 5,
        elapsed_days: 0,
        last_elapsed_days: 0,
        scheduled_days: 0,
        learning_steps: 0,
        review: new Date(at),
        nextState: 2,
        nextDue: new Date(at),
        nextStability: 1,
      });
      interval = rating === 1 ? 1 : Math.round(interval * 2.5);
      at += interval * DAY;
    }
  }
  await ReviewLog.insertMany(logs.filter((l) => l.review < T0));
  return logs.length;
}

test('after a few thousand reviews the optimised FSRS parameters differ from the defaults, and the scheduler uses them', async () => {
  const agent = await registerAs(t.app, 'Optimised Student', 'optimise@example.com');
  const userId = (await mongoose.connection.collection('users').findOne({ email: 'optimise@example.com' }))!._id as mongoose.Types.ObjectId;
  const question = (await Question.findOne({ bankId: new mongoose.Types.ObjectId(bankId), retired: false, type: 'mcq' }).lean())!;
  assert.equal((await postForm(agent, '/study/stats', '/study/parameters/optimise', {})).status, 409, 'not enough reviews yet');
  await syntheticHistory(userId, question._id);
  const reviews = await ReviewLog.countDocuments({ userId });
  assert.ok(reviews > 2000 && reviews >= MIN_REVIEWS_TO_OPTIMISE, `${reviews} reviews`);

  const caller = { id: String(userId), role: 'student' as const, name: 'Optimised Student', email: 'optimise@example.com' };
  const { weights } = await optimiseParameters(caller as never, T0);
  assert.ok(weights.length >= 19);
  const moved = weights.filter((w, i) => Math.abs(w - default_w[i]!) > 1e-3).length;
  assert.ok(moved >= 5, `${moved} parameters moved from the defaults`);
  assert.deepEqual((await StudyParameters.findOne({ userId }).lean())!.weights, weights);
  await assert.rejects(optimiseParameters(caller as never, new Date(T0.getTime() + 3600_000)), /last day/, 'once a day');
  assert.equal((await postForm(agent, '/study/stats', '/study/parameters/optimise', {})).status, 409, 'the route refuses too');
  assert.match((await agent.get('/study/stats')).text, /optimised from \d+ of your reviews/);

  // A review card rated Good now is scheduled with the learner's weights, not the defaults.
  const state = { ...newCardState(T0), state: 2, reps: 5, stability: 20, difficulty: 6, last_review: new Date(T0.getTime() - 20 * DAY), due: T0 };
  const card = await StudyCard.create({ userId, questionId: question._id, bankId: question.bankId, topics: question.topics, introducedAt: T0, ...state });
  const back = await agent.get(`/study/cards/${card._id}?bank=${bankId}`);
  const rated = await postForm(agent, '/study', `/study/cards/${card._id}/rate`, {
    rating: '3',
    reps: hidden(back.text, 'reps'),
    lastReview: hidden(back.text, 'lastReview'),
    bank: bankId,
  });
  assert.equal(rated.status, 303);
  const after = (await StudyCard.findById(card._id).lean())!;
  const withMine = scheduleReview(cardStateOf(state), 3, T0, { desiredRetention: 0.9, weights });
  const withDefaults = scheduleReview(cardStateOf(state), 3, T0);
  assert.notDeepEqual(withMine.card.due, withDefaults.card.due, 'the two parameter sets schedule differently');
  assert.deepEqual(after.due, withMine.card.due);
  assert.equal(after.stability, withMine.card.stability);
});

test('desired retention is adjustable per learner (70..97%) and changes the intervals', async () => {
  const agent = await registerAs(t.app, 'Retention Student', 'retention@example.com');
  const userId = (await mongoose.connection.collection('users').findOne({ email: 'retention@example.com' }))!._id;
  const question = (await Question.findOne({ bankId: new mongoose.Types.ObjectId(bankId), retired: false }).lean())!;
  const state = { ...newCardState(T0), state: 2, reps: 5, stability: 20, difficulty: 6, last_review: new Date(T0.getTime() - 20 * DAY), due: T0 };
  const card = await StudyCard.create({ userId, questionId: question._id, bankId: question.bankId, topics: question.topics, introducedAt: T0, ...state });
  const goodLabel = async () => /Good \(([^)]+)\)/.exec((await agent.get(`/study/cards/${card._id}?bank=${bankId}`)).text)![1];
  const at90 = await goodLabel();
  for (const bad of ['69', '98', 'x', '85.5', ''])
    assert.equal((await postForm(agent, '/study/stats', '/study/parameters', { retention: bad })).status, 400, bad);
  assert.equal((await agent.post('/study/parameters').type('form').send({ retention: '80' })).status, 403, 'CSRF');
  assert.equal((await postForm(agent, '/study/stats', '/study/parameters', { retention: '80' })).status, 303);
  assert.match((await agent.get('/study/stats')).text, /name="retention" type="number" min="70" max="97" step="1" value="80"/);
  const at80 = await goodLabel();
  assert.notEqual(at80, at90, `Good: ${at90} at 90%, ${at80} at 80%`);
  const other = await registerAs(t.app, 'Other Retention', 'retention-other@example.com');
  assert.match((await other.get('/study/stats')).text, /value="90"/, 'each learner their own');
});

test('the optimiser counts the days between reviews in the learner’s study days, as the scheduler does', () => {
  // Sydney in March is UTC+11; the day starts at 04:00. 12:00Z is 23:00 on the 1st, 14:00Z is
  // 01:00 on the 2nd (still the 1st's study day), 18:00Z is 05:00 on the 2nd (the next one).
  const at = (iso: string) => new Date(iso);
  const reviews = [
    { cardId: 'c', rating: 3, review: at('2026-03-01T12:00:00Z') },
    { cardId: 'c', rating: 3, review: at('2026-03-01T14:00:00Z') },
    { cardId: 'c', rating: 3, review: at('2026-03-01T18:00:00Z') },
    { cardId: 'c', rating: 3, review: at('2026-03-04T12:30:00Z') },
  ];
  const deltas = (items: ReturnType<typeof trainingItems>) => items.at(-1)!.reviews.map((r) => r.deltaT);
  assert.deepEqual(deltas(trainingItems(reviews, { timeZone: 'Australia/Sydney', dayStartHour: 4 })), [0, 0, 1, 2]);
  assert.deepEqual(deltas(trainingItems(reviews)), [0, 0, 0, 3], 'without a learner: UTC days');
  // Across Sydney's clock change (5 April 2026, 03:00 AEDT becomes 02:00 AEST) a day is 25 hours: still one day.
  const overChange = [
    { cardId: 'd', rating: 3, review: at('2026-04-04T01:00:00Z') },
    { cardId: 'd', rating: 3, review: at('2026-04-05T02:00:00Z') },
  ];
  assert.deepEqual(deltas(trainingItems(overChange, { timeZone: 'Australia/Sydney', dayStartHour: 4 })), [0, 1]);
});

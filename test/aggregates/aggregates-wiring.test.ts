// The aggregates through the app: a rating with a typed answer counts in, its undo counts it out
// (the dashboard shows both), and start-up's migration folds records written before aggregates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import mongoose from 'mongoose';
import { startTestApp, registerAs, postForm, type TestApp } from '../helpers/test-app.ts';
import { Bank, Question } from '../../server/banks/model.ts';
import { StudyCard, ReviewLog } from '../../server/study/model.ts';
import { LearnerResponse } from '../../server/responses/model.ts';
import { LearnerAggregate, BUILT_MARKER } from '../../server/aggregates/model.ts';
import { storedAggregate } from '../../server/aggregates/index.ts';
import { ensureLearnerAggregates, recomputedLearnerAggregate } from '../../server/progress/learner-aggregates.ts';
import { newCardState } from '../../server/study/schedule.ts';
import type { QuestionDefinition } from '../../server/questions/index.ts';

const T0 = new Date('2025-03-03T09:00:00.000Z');
let t: TestApp;
let bankId: string;

before(async () => {
  t = await startTestApp({ newCardsPerDay: 10 }, { seed: true });
  t.setNow(T0);
  bankId = String((await Bank.findOne({ slug: 'sco-policy-brief' }).lean())!._id);
});
after(() => t.close());

const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
const ratings = async (agent: request.Agent) => Number(/data-testid="ratings">(\d+)</.exec((await agent.get('/progress')).text)?.[1]);

test('a rating with a typed answer counts in the aggregates, and its undo counts both out again', async () => {
  const agent = await registerAs(t.app, 'Aggregate Student', 'aggregates@example.com');
  const userId = (await mongoose.connection.collection('users').findOne({ email: 'aggregates@example.com' }))!._id;
  const question = (await Question.findOne({ bankId: new mongoose.Types.ObjectId(bankId), type: 'short', retired: false }).lean())!;
  const answer = (question.definition as QuestionDefinition & { type: 'short' }).answers[0]!;
  const card = await StudyCard.create({
    userId,
    questionId: question._id,
    bankId: question.bankId,
    topics: question.topics,
    introducedAt: T0,
    ...newCardState(T0),
  });
  const back = await agent.get(`/study/cards/${card._id}?bank=${bankId}&text=${encodeURIComponent(answer)}`);
  assert.equal(back.status, 200);
  const rated = await postForm(agent, '/study', `/study/cards/${card._id}/rate`, {
    rating: '3',
    reps: hidden(back.text, 'reps')!,
    lastReview: hidden(back.text, 'lastReview')!,
    bank: bankId,
    typed_text: answer,
  });
  assert.equal(rated.status, 303);
  const counted = await storedAggregate(String(userId));
  assert.equal(counted.n.reviews, 1);
  assert.equal(counted.n.answers, 1);
  assert.equal(counted.n.correct, 1);
  assert.deepEqual(counted, await recomputedLearnerAggregate(String(userId)));
  assert.equal(await ratings(agent), 1);

  const session = await agent.get(`/study/session?bank=${bankId}`);
  const res = await postForm(agent, '/study', '/study/undo', { log: hidden(session.text, 'log')!, bank: bankId });
  assert.equal(res.status, 303);
  assert.equal(await ReviewLog.countDocuments({ userId }), 0);
  const undone = await storedAggregate(String(userId));
  assert.deepEqual(undone, await recomputedLearnerAggregate(String(userId)));
  assert.deepEqual(undone.n, { reviews: 0, recalled: 0, answers: 0, correct: 0, score: 0 });
  assert.deepEqual([undone.slots, undone.questions, undone.topics, undone.passages], [{}, {}, {}, {}]);
  assert.equal(await ratings(agent), 0);
});

test('the migration folds in records written without aggregates, once', async () => {
  const userId = new mongoose.Types.ObjectId();
  const q = (await Question.findOne({ bankId: new mongoose.Types.ObjectId(bankId), retired: false }).lean())!;
  const base = { userId, bankId: q.bankId, questionId: q._id, topics: q.topics };
  await ReviewLog.collection.insertMany(
    [1, 2, 3].map((rating, i) => ({
      ...base,
      cardId: new mongoose.Types.ObjectId(),
      rating,
      state: 2,
      due: T0,
      stability: 1,
      difficulty: 5,
      elapsed_days: 1,
      last_elapsed_days: 1,
      scheduled_days: 1,
      learning_steps: 0,
      review: new Date(T0.getTime() - i * 86_400_000),
      nextState: 2,
      nextDue: T0,
      nextStability: 2,
      typedScore: null,
    })),
  );
  await LearnerResponse.collection.insertMany(
    [0.5, 1].map((score, i) => ({
      ...base,
      source: 'practice',
      sourceRef: new mongoose.Types.ObjectId(),
      questionKey: q.key,
      questionVersion: 1,
      type: q.type,
      passageId: 'p-1',
      score,
      correct: score === 1,
      answeredAt: new Date(T0.getTime() - i * 3_600_000),
    })),
  );
  await LearnerAggregate.collection.deleteOne({ _id: BUILT_MARKER } as never);
  assert.ok((await ensureLearnerAggregates()) >= 1);
  const built = await storedAggregate(String(userId));
  assert.deepEqual(built, await recomputedLearnerAggregate(String(userId)));
  assert.deepEqual(built.n, { reviews: 3, recalled: 2, answers: 2, correct: 1, score: 1_500_000 });
  // Built once: a later start reads the marker and does nothing.
  assert.equal(await ensureLearnerAggregates(), 0);
});

test('a store built before quarter-hours (marker v1, counts per UTC day) is rebuilt once at start-up', async () => {
  const userId = new mongoose.Types.ObjectId();
  const q = (await Question.findOne({ bankId: new mongoose.Types.ObjectId(bankId), retired: false }).lean())!;
  await LearnerResponse.collection.insertOne({
    userId,
    bankId: q.bankId,
    questionId: q._id,
    topics: q.topics,
    source: 'practice',
    sourceRef: new mongoose.Types.ObjectId(),
    questionKey: q.key,
    questionVersion: 1,
    type: q.type,
    passageId: 'p-1',
    score: 1,
    correct: true,
    answeredAt: new Date('2025-03-02T23:50:00Z'),
  });
  await LearnerAggregate.collection.insertOne({
    _id: userId,
    n: { reviews: 0, recalled: 0, answers: 1, correct: 1, score: 1_000_000 },
    days: { '2025-03-02': { r: 0, k: 0, a: 1, s: 1_000_000 } },
    recent: [],
    gone: [],
  } as never);
  await LearnerAggregate.collection.deleteOne({ _id: BUILT_MARKER } as never);
  await LearnerAggregate.collection.updateOne({ _id: 'built-v1' } as never, { $set: { at: new Date() } }, { upsert: true });
  assert.ok((await ensureLearnerAggregates()) >= 1);
  const doc = await LearnerAggregate.collection.findOne({ _id: userId });
  assert.equal(doc!.days, undefined, 'the per-day counts are gone');
  assert.deepEqual(doc!.slots, { '2025-03-02T23:45': { r: 0, k: 0, a: 1, s: 1_000_000 } });
  assert.equal(await LearnerAggregate.collection.countDocuments({ _id: 'built-v1' } as never), 0, 'the old marker is dropped');
});

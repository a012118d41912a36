import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import mongoose from 'mongoose';
import { startTestApp, registerAs, postForm, type TestApp } from '../helpers/test-app.ts';
import { Bank, Question } from '../../server/banks/model.ts';
import { StudyCard, ReviewLog } from '../../server/study/model.ts';
import { newCardState } from '../../server/study/schedule.ts';

const T0 = new Date('2025-03-03T09:00:00.000Z');
const DAY = 24 * 3600_000;
let t: TestApp;
let bankId: string;

before(async () => {
  t = await startTestApp({ newCardsPerDay: 0 }, { seed: true });
  t.setNow(T0);
  bankId = String((await Bank.findOne({ slug: 'sco-policy-brief' }).lean())!._id);
});
after(() => t.close());

const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
const decode = (s: string) => s.replaceAll('&amp;', '&');

/** A learner whose day is done: review cards due in `dueDays` days (none due now). */
async function doneLearner(email: string, dueDays: number[]) {
  const agent = await registerAs(t.app, 'Custom Student', email);
  const userId = (await mongoose.connection.collection('users').findOne({ email }))!._id;
  const questions = await Question.find({ bankId: new mongoose.Types.ObjectId(bankId), retired: false })
    .sort({ key: 1 })
    .limit(dueDays.length)
    .lean();
  const cards = await StudyCard.insertMany(
    questions.map((q, i) => ({
      userId,
      questionId: q._id,
      bankId: q.bankId,
      topics: q.topics,
      introducedAt: new Date(T0.getTime() - 30 * DAY),
      ...newCardState(T0),
      state: 2,
      reps: 4,
      stability: 12,
      difficulty: 5,
      last_review: new Date(T0.getTime() - 10 * DAY),
      due: new Date(T0.getTime() + dueDays[i]! * DAY),
    })),
  );
  return { agent, userId, questions, cardIds: cards.map((c) => String(c._id)) };
}

/** Walks a custom session from its start URL, rating each card Good; returns the cards in the order shown. */
async function walk(agent: request.Agent, start: string): Promise<string[]> {
  t.setNow(new Date(t.now().getTime() + 60_000));
  const first = await agent.get(start);
  assert.equal(first.status, 303, first.text.slice(0, 200));
  let url = first.headers.location!;
  assert.match(url, /since=/, 'the session’s start goes into its URL');
  const shown: string[] = [];
  for (let i = 0; i < 20; i++) {
    const page = await agent.get(url);
    assert.equal(page.status, 200);
    const cardId = /action="\/study\/cards\/([a-f0-9]{24})"/.exec(page.text)?.[1];
    if (!cardId) {
      assert.match(page.text, /Custom study finished/);
      return shown;
    }
    shown.push(cardId);
    const reveal = new URLSearchParams({ bank: bankId, mode: hidden(page.text, 'mode')!, since: decode(hidden(page.text, 'since')!) });
    const passage = hidden(page.text, 'passage');
    if (passage) reveal.set('passage', passage);
    const topic = hidden(page.text, 'topic');
    if (topic) reveal.set('topic', topic);
    const back = await agent.get(`/study/cards/${cardId}?${reveal.toString()}`);
    const fields = Object.fromEntries(['reps', 'lastReview', 'bank', 'topic', 'mode', 'passage', 'since'].map((k) => [k, decode(hidden(back.text, k) ?? '')]));
    t.setNow(new Date(t.now().getTime() + 60_000));
    const rated = await postForm(agent, '/study', `/study/cards/${cardId}/rate`, { rating: '3', ...fields });
    assert.equal(rated.status, 303);
    assert.match(rated.headers.location!, /^\/study\/custom\?/, 'rating keeps to the custom session');
    url = rated.headers.location!;
  }
  throw new Error('the session did not finish');
}

test('once the day is done, study ahead shows the cards due in the next 7 days, each once, soonest first', async () => {
  t.setNow(T0);
  const { agent, cardIds } = await doneLearner('ahead@example.com', [5, 2, 20, 6]);
  const done = await agent.get(`/study/session?bank=${bankId}`);
  assert.match(done.text, /<h1>Done for now<\/h1>/);
  assert.match(done.text, /Custom study/);
  assert.match(done.text, /Cards I forgot this week/);
  const shown = await walk(agent, `/study/custom?bank=${bankId}&mode=ahead`);
  assert.deepEqual(shown, [cardIds[1], cardIds[0], cardIds[3]]);
  for (const id of shown) assert.equal((await StudyCard.findById(id).lean())!.reps, 5, 'rated once, as a review');
  assert.equal((await StudyCard.findById(cardIds[2]).lean())!.reps, 4, 'the card due in 20 days is not ahead');
});

test('cards I forgot this week, one topic, one passage', async () => {
  t.setNow(T0);
  const { agent, userId, questions, cardIds } = await doneLearner('custom@example.com', [3, 4, 9, 12, 15, 30]);
  // Forgot two cards this week (one of them twice) and one ten days ago.
  const forgot = (i: number, daysAgo: number, rating = 1) =>
    ReviewLog.create({
      userId,
      cardId: cardIds[i],
      questionId: questions[i]!._id,
      bankId: questions[i]!.bankId,
      rating,
      state: 2,
      due: T0,
      stability: 1,
      difficulty: 5,
      elapsed_days: 1,
      last_elapsed_days: 1,
      scheduled_days: 1,
      learning_steps: 0,
      review: new Date(T0.getTime() - daysAgo * DAY),
      nextState: 3,
      nextDue: T0,
      nextStability: 1,
    });
  await forgot(2, 1);
  await forgot(2, 2);
  await forgot(4, 6);
  await forgot(5, 10);
  await forgot(1, 1, 3);
  assert.deepEqual(await walk(agent, `/study/custom?bank=${bankId}&mode=forgotten`), [cardIds[2], cardIds[4]]);

  // Time runs on: a new session begins after the cards rated in the last one.
  const topic = questions[0]!.topics[0]!;
  const withTopic = cardIds.filter((_, i) => questions[i]!.topics.includes(topic));
  assert.deepEqual((await walk(agent, `/study/custom?bank=${bankId}&mode=topic&topic=${topic}`)).sort(), withTopic.sort());

  const passage = questions[3]!.passageId;
  const withPassage = cardIds.filter((_, i) => questions[i]!.passageId === passage);
  const done = await agent.get(`/study/session?bank=${bankId}`);
  assert.match(done.text, new RegExp(`<option value="${passage}">`), 'the passage choice lists the passages the cards cite');
  assert.deepEqual((await walk(agent, `/study/custom?bank=${bankId}&mode=passage&passage=${passage}`)).sort(), withPassage.sort());
});

test('custom study refuses bad input and another learner’s bank', async () => {
  const agent = await registerAs(t.app, 'Bad Custom', 'badcustom@example.com');
  for (const q of [
    'mode=ahead',
    `bank=${bankId}`,
    `bank=${bankId}&mode=later`,
    `bank=${bankId}&mode=topic`,
    `bank=${bankId}&mode=passage`,
    `bank=${bankId}&mode=passage&passage=..%2F`,
    `bank=${bankId}&mode=ahead&since=soon`,
  ]) {
    assert.equal((await agent.get(`/study/custom?${q}`)).status, 400, q);
  }
  assert.equal((await agent.get(`/study/custom?bank=${new mongoose.Types.ObjectId()}&mode=ahead&since=${T0.toISOString()}`)).status, 404);
});

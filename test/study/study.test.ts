import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import mongoose from 'mongoose';
import { startTestApp, registerAs, postForm, type TestApp } from '../helpers/test-app.ts';
import { Bank, Question } from '../../server/banks/model.ts';
import { questionsByIds } from '../../server/banks/service.ts';
import { StudyCard, ReviewLog } from '../../server/study/model.ts';
import { LearnerResponse } from '../../server/responses/model.ts';
import { newCardState } from '../../server/study/schedule.ts';
import type { QuestionDefinition } from '../../server/questions/index.ts';

const NEW_PER_DAY = 3;
const T0 = new Date('2025-03-03T09:00:00.000Z');
let t: TestApp;
let bankId: string;

before(async () => {
  t = await startTestApp({ newCardsPerDay: NEW_PER_DAY }, { seed: true });
  t.setNow(T0);
  bankId = String((await Bank.findOne({ slug: 'sco-policy-brief' }).lean())!._id);
});
after(() => t.close());

const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
const decode = (s: string) => s.replaceAll('&amp;', '&').replaceAll('&#39;', "'").replaceAll('&#34;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>');

/** Opens the next card's front; returns its card id, or null on the "done" page. */
async function front(agent: request.Agent, scope = `bank=${bankId}`): Promise<{ cardId: string | null; html: string }> {
  const res = await agent.get(`/study/session?${scope}`);
  assert.equal(res.status, 200);
  const cardId = /action="\/study\/cards\/([a-f0-9]{24})"/.exec(res.text)?.[1] ?? null;
  return { cardId, html: res.text };
}

/** Shows the back and returns the rating form's guard fields. */
async function back(agent: request.Agent, cardId: string, query = '') {
  const res = await agent.get(`/study/cards/${cardId}?bank=${bankId}${query}`);
  assert.equal(res.status, 200, res.text.slice(0, 300));
  return { html: res.text, reps: hidden(res.text, 'reps')!, lastReview: hidden(res.text, 'lastReview')! };
}

async function rate(
  agent: request.Agent,
  cardId: string,
  rating: string | number,
  guard: { reps: string; lastReview: string },
  extra: Record<string, string> = {},
) {
  return postForm(agent, '/study', `/study/cards/${cardId}/rate`, {
    rating: String(rating),
    reps: guard.reps,
    lastReview: guard.lastReview,
    bank: bankId,
    ...extra,
  });
}

test('a flashcard: front without the answer, back with answer, source and intervals; rating Good schedules it by FSRS', async () => {
  t.setNow(T0);
  const agent = await registerAs(t.app, 'Card Student', 'card@example.com');
  const { cardId, html } = await front(agent);
  assert.ok(cardId);
  const card = (await StudyCard.findById(cardId).lean())!;
  const def = (await questionsByIds([String(card.questionId)])).get(String(card.questionId))!.definition;
  assert.ok(html.includes('Show answer'));
  assert.ok(!decode(html).includes(def.explanation), 'no explanation on the front');
  assert.ok(!html.includes('data-study-rating'), 'no ratings on the front');

  const b = await back(agent, cardId);
  assert.ok(decode(b.html).includes(def.explanation));
  assert.match(b.html, /<mark data-testid="evidence-quote">/);
  assert.match(b.html, /class="show-source">Show source</);
  for (const label of ['Again (1m)', 'Hard (6m)', 'Good (10m)', 'Easy (8d)']) assert.ok(b.html.includes(label), label);
  assert.equal(b.reps, '0');
  assert.equal(b.lastReview, '');

  t.setNow(later(1));
  const res = await rate(agent, cardId, 3, b);
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, `/study/session?bank=${bankId}`);
  const after = (await StudyCard.findById(cardId).lean())!;
  assert.equal(after.state, 1, 'Learning');
  assert.equal(after.reps, 1);
  assert.deepEqual(after.last_review, later(1));
  assert.deepEqual(after.due, later(11));
  const logs = await ReviewLog.find({ cardId }).lean();
  assert.equal(logs.length, 1);
  assert.equal(logs[0]!.rating, 3);
  assert.equal(logs[0]!.state, 0, 'the log keeps the state the card was rated in');
  assert.deepEqual(logs[0]!.nextDue, later(11));
});

test('a duplicated rating (double click, second tab) changes the schedule once', async () => {
  t.setNow(T0);
  const agent = await registerAs(t.app, 'Double Student', 'double@example.com');
  const { cardId } = await front(agent);
  const guard = await back(agent, cardId!);
  // The second tab shows the same back, with the same guard.
  const tab2 = await back(agent, cardId!);
  t.setNow(later(2));
  assert.equal((await rate(agent, cardId!, 3, guard)).status, 303);
  const once = (await StudyCard.findById(cardId).lean())!;
  t.setNow(later(3));
  const dup = await rate(agent, cardId!, 3, guard);
  assert.equal(dup.status, 303, 'a duplicate is no error: on to the next card');
  const other = await rate(agent, cardId!, 1, tab2);
  assert.equal(other.status, 303);
  const [r1, r2] = await Promise.all([rate(agent, cardId!, 4, guard), rate(agent, cardId!, 4, guard)]);
  assert.equal(r1.status, 303);
  assert.equal(r2.status, 303);
  const twice = (await StudyCard.findById(cardId).lean())!;
  assert.equal(twice.reps, 1);
  assert.deepEqual(twice.due, once.due);
  assert.deepEqual(twice.last_review, later(2));
  assert.equal(await ReviewLog.countDocuments({ cardId }), 1);

  // Racing first ratings of a fresh card: exactly one applies.
  const { cardId: fresh } = await front(agent);
  assert.notEqual(fresh, cardId);
  const g = await back(agent, fresh!);
  const results = await Promise.all([rate(agent, fresh!, 3, g), rate(agent, fresh!, 3, g), rate(agent, fresh!, 3, g)]);
  assert.ok(results.every((r) => r.status === 303));
  assert.equal((await StudyCard.findById(fresh).lean())!.reps, 1);
  assert.equal(await ReviewLog.countDocuments({ cardId: fresh }), 1);
});

test('new cards stop at the daily limit (study day), due cards come back, and the home page shows the due count', async () => {
  t.setNow(T0);
  const agent = await registerAs(t.app, 'Limit Student', 'limit@example.com');
  const home0 = await agent.get('/');
  assert.match(home0.text, /data-testid="home-study-due">0</);
  const seen: string[] = [];
  for (let i = 0; i < NEW_PER_DAY; i++) {
    const { cardId, html } = await front(agent);
    assert.ok(cardId, `new card ${i + 1}`);
    assert.match(html, new RegExp(`data-testid="study-new">${NEW_PER_DAY - i}<`), 'the new count counts down, the new card on screen included');
    seen.push(cardId);
    const g = await back(agent, cardId);
    await rate(agent, cardId, i === 0 ? 3 : 4, g); // Good: due in 10 minutes; Easy: in days
  }
  assert.equal(new Set(seen).size, NEW_PER_DAY);
  // Limit reached: the card rated Good (due in 10 minutes) is shown early, as Anki's learn-ahead does.
  t.setNow(later(5));
  const { cardId: ahead } = await front(agent);
  assert.equal(ahead, seen[0]);
  const g0 = await back(agent, ahead!);
  await rate(agent, ahead!, 3, g0); // graduates: due in days
  const done = await agent.get(`/study/session?bank=${bankId}`);
  assert.match(done.text, /<h1>Done for now<\/h1>/);
  assert.match(done.text, /data-testid="study-new">0</);
  assert.match(done.text, /today’s limit of 3 new cards/);
  assert.match((await agent.get('/')).text, /data-testid="home-study-due">0</);

  // Three days on (a new UTC day), the graduated card is due: counted on the home page and the study page,
  // and shown before any new card; then new cards are allowed again.
  t.setNow(new Date('2025-03-06T08:00:00.000Z'));
  assert.match((await agent.get('/')).text, /data-testid="home-study-due">1</);
  assert.match((await agent.get('/study')).text, /data-testid="study-due-total"><strong>1</);
  const due = await front(agent);
  assert.equal(due.cardId, seen[0]);
  assert.match(due.html, /data-testid="study-review">1</);
  assert.match(due.html, new RegExp(`data-testid="study-new">${NEW_PER_DAY}<`));
  const g = await back(agent, seen[0]!);
  await rate(agent, seen[0]!, 3, g);
  const nextDay = await front(agent);
  assert.ok(nextDay.cardId && !seen.includes(nextDay.cardId), 'a new card on a new day');
  assert.equal(await StudyCard.countDocuments({ userId: (await StudyCard.findById(seen[0]).lean())!.userId }), NEW_PER_DAY + 1);
});

test('a topic session only draws cards of that topic', async () => {
  t.setNow(T0);
  const agent = await registerAs(t.app, 'Topic Student', 'topic@example.com');
  const { cardId } = await front(agent, `bank=${bankId}&topic=energy`);
  const card = (await StudyCard.findById(cardId).lean())!;
  const q = (await Question.findById(card.questionId).lean())!;
  assert.ok(q.topics.includes('energy'));
});

test('a typed answer on a short-answer card is checked on the back and stored with the rating', async () => {
  t.setNow(T0);
  const agent = await registerAs(t.app, 'Typed Student', 'typed@example.com');
  const userId = (await mongoose.connection.collection('users').findOne({ email: 'typed@example.com' }))!._id;
  const question = (await Question.findOne({ bankId: new mongoose.Types.ObjectId(bankId), type: 'short', retired: false }).lean())!;
  const def = question.definition as QuestionDefinition & { type: 'short' };
  const card = await StudyCard.create({
    userId,
    questionId: question._id,
    bankId: question.bankId,
    topics: question.topics,
    introducedAt: T0,
    ...newCardState(T0),
  });
  const cardId = String(card._id);
  const wrong = await back(agent, cardId, '&text=' + encodeURIComponent('definitely not it'));
  assert.match(wrong.html, /feedback-incorrect/);
  const right = await back(agent, cardId, '&text=' + encodeURIComponent(def.answers[0]!));
  assert.match(right.html, /feedback-correct/);
  assert.equal(decode(hidden(right.html, 'typed_text')!), def.answers[0], 'the rating form carries the typed answer');
  await rate(agent, cardId, 3, right, { typed_text: def.answers[0]! });
  const log = (await ReviewLog.findOne({ cardId }).lean())!;
  assert.equal(log.typedScore, 1);
  const response = (await LearnerResponse.findOne({ userId, source: 'study' }).lean())!;
  assert.equal(String(response.questionId), String(question._id));
  assert.equal(response.correct, true);
});

test("a student cannot read or rate another student's cards", async () => {
  t.setNow(T0);
  const owner = await registerAs(t.app, 'Card Owner', 'cardowner@example.com');
  const { cardId } = await front(owner);
  const guard = await back(owner, cardId!);
  const other = await registerAs(t.app, 'Card Other', 'cardother@example.com');
  assert.equal((await other.get(`/study/cards/${cardId}?bank=${bankId}`)).status, 404);
  assert.equal((await rate(other, cardId!, 3, guard)).status, 404);
  assert.equal((await StudyCard.findById(cardId).lean())!.reps, 0);
  assert.equal(await ReviewLog.countDocuments({ cardId }), 0);
});

test('bad study input gets a 400, never a 500', async () => {
  t.setNow(T0);
  const agent = await registerAs(t.app, 'Bad Study', 'badstudy@example.com');
  const { cardId } = await front(agent);
  const guard = await back(agent, cardId!);
  for (const rating of ['7', '0', '-1', 'Good', '2.5', '']) {
    assert.equal((await rate(agent, cardId!, rating, guard)).status, 400, `rating ${JSON.stringify(rating)}`);
  }
  assert.equal((await rate(agent, cardId!, 3, { reps: 'x', lastReview: '' })).status, 400, 'reps not a number');
  assert.equal((await rate(agent, cardId!, 3, { reps: '0', lastReview: 'yesterday' })).status, 400, 'last review not a date');
  assert.equal((await rate(agent, 'not-a-card', 3, guard)).status, 400, 'malformed card id');
  assert.equal((await rate(agent, new mongoose.Types.ObjectId().toString(), 3, guard)).status, 404, 'unknown card');
  assert.equal((await agent.get('/study/session')).status, 400, 'no bank');
  assert.equal((await agent.get(`/study/session?bank=${bankId}&topic=nope`)).status, 400, 'unknown topic');
  assert.equal((await agent.get('/study/session?bank=xyz')).status, 400, 'malformed bank');
  assert.equal((await agent.get(`/study/session?bank=${new mongoose.Types.ObjectId()}`)).status, 404, 'unknown bank');
  assert.equal((await agent.get('/study/cards/nope')).status, 400);
  assert.equal((await StudyCard.findById(cardId).lean())!.reps, 0, 'nothing applied');
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import mongoose from 'mongoose';
import { startTestApp, registerAs, postForm, type TestApp } from '../helpers/test-app.ts';
import { Bank, Question } from '../../server/banks/model.ts';
import { StudyCard, ReviewLog } from '../../server/study/model.ts';
import { LearnerResponse } from '../../server/responses/model.ts';
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

const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
const SCHEDULING = ['due', 'stability', 'difficulty', 'elapsed_days', 'scheduled_days', 'learning_steps', 'reps', 'lapses', 'state', 'last_review'] as const;
const scheduling = (card: Record<string, unknown>) => Object.fromEntries(SCHEDULING.map((k) => [k, card[k]]));

async function front(agent: request.Agent): Promise<{ cardId: string; html: string; undoLog: string | undefined }> {
  const res = await agent.get(`/study/session?bank=${bankId}`);
  assert.equal(res.status, 200);
  const cardId = /action="\/study\/cards\/([a-f0-9]{24})"/.exec(res.text)?.[1];
  assert.ok(cardId, 'a card to study');
  return { cardId, html: res.text, undoLog: hidden(res.text, 'log') };
}

async function rateShown(agent: request.Agent, cardId: string, rating: number, extra: Record<string, string> = {}, query = '') {
  const back = await agent.get(`/study/cards/${cardId}?bank=${bankId}${query}`);
  assert.equal(back.status, 200);
  const res = await postForm(agent, '/study', `/study/cards/${cardId}/rate`, {
    rating: String(rating),
    reps: hidden(back.text, 'reps'),
    lastReview: hidden(back.text, 'lastReview'),
    bank: bankId,
    ...extra,
  });
  assert.equal(res.status, 303);
}

const undo = (agent: request.Agent, log: string) => postForm(agent, '/study', '/study/undo', { log, bank: bankId });

test('undo restores the card’s previous scheduling state and removes the review log, then shows the card again', async () => {
  t.setNow(T0);
  const agent = await registerAs(t.app, 'Undo Student', 'undo@example.com');
  const first = await front(agent);
  assert.equal(first.undoLog, undefined, 'nothing to undo before the first rating');
  t.setNow(later(1));
  await rateShown(agent, first.cardId, 3);
  // A review card, so that undo must bring back stability, difficulty, reps and lapses, not just "new".
  t.setNow(later(12));
  const again = (await StudyCard.findById(first.cardId).lean())!;
  assert.equal(again.state, 1);
  await rateShown(agent, first.cardId, 3);
  const beforeLapse = scheduling((await StudyCard.findById(first.cardId).lean())!);
  assert.equal(beforeLapse.state, 2, 'graduated to review');
  t.setNow(new Date(T0.getTime() + 30 * 24 * 3600_000));
  const due = await front(agent);
  assert.equal(due.cardId, first.cardId);
  await rateShown(agent, first.cardId, 1); // a lapse
  const lapsed = (await StudyCard.findById(first.cardId).lean())!;
  assert.equal(lapsed.lapses, 1);
  assert.equal(await ReviewLog.countDocuments({ cardId: first.cardId }), 3);

  const page = await front(agent);
  assert.ok(page.undoLog, 'the next page offers the undo');
  assert.match(page.html, /Undo last rating \(Again\)/);
  const res = await undo(agent, page.undoLog);
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, `/study/cards/${first.cardId}?bank=${bankId}`);
  assert.deepEqual(scheduling((await StudyCard.findById(first.cardId).lean())!), beforeLapse);
  assert.equal(await ReviewLog.countDocuments({ cardId: first.cardId }), 2);
  assert.equal(await ReviewLog.countDocuments({ _id: page.undoLog }), 0);
  const shown = await agent.get(res.headers.location!);
  assert.match(shown.text, /Rating undone\. Rate this card again\./);
  assert.equal(hidden(shown.text, 'reps'), String(beforeLapse.reps), 'the back offers the ratings of the restored card');
  // Rated again, it is scheduled from the restored state.
  await rateShown(agent, first.cardId, 3);
  const rerated = (await StudyCard.findById(first.cardId).lean())!;
  assert.equal(rerated.lapses, 0);
  assert.equal(rerated.state, 2);
});

test('undo works once: a second undo of the same rating, or of the one before it, is refused and changes nothing', async () => {
  t.setNow(T0);
  const agent = await registerAs(t.app, 'Once Student', 'once@example.com');
  const a = await front(agent);
  await rateShown(agent, a.cardId, 4);
  const b = await front(agent);
  assert.notEqual(b.cardId, a.cardId);
  const afterA = (await front(agent)).undoLog!;
  await rateShown(agent, b.cardId, 4);
  const afterB = (await front(agent)).undoLog!;
  assert.notEqual(afterA, afterB);
  // The rating before the last cannot be undone.
  assert.equal((await undo(agent, afterA)).status, 409);
  // Two undos of the last rating at once: one applies.
  const [u1, u2] = await Promise.all([undo(agent, afterB), undo(agent, afterB)]);
  // The loser saw the token already spent or the rating already removed (409), or lost the guarded
  // restore ("already undone", 303): never "not found", since this session gave that rating.
  assert.ok([u1.status, u2.status].includes(303));
  assert.ok([u1.status, u2.status].every((s) => s === 303 || s === 409));
  const cardB = (await StudyCard.findById(b.cardId).lean())!;
  assert.equal(cardB.reps, 0);
  assert.equal(cardB.last_review, null);
  assert.equal(await ReviewLog.countDocuments({ cardId: b.cardId }), 0);
  // Once undone, it is gone: again, and the rating before it, are refused.
  assert.equal((await undo(agent, afterB)).status, 409);
  assert.equal((await undo(agent, afterA)).status, 409);
  assert.equal((await StudyCard.findById(a.cardId).lean())!.reps, 1, 'the earlier rating stands');
  assert.equal(await ReviewLog.countDocuments({ cardId: a.cardId }), 1);
  assert.equal((await front(agent)).undoLog, undefined, 'no undo offered after an undo');
});

test('a rating this session gave that is already gone (undone from another tab) is "already undone", not "not found"', async () => {
  t.setNow(T0);
  const agent = await registerAs(t.app, 'Gone Student', 'gone@example.com');
  const { cardId } = await front(agent);
  await rateShown(agent, cardId, 3);
  const log = (await front(agent)).undoLog!;
  // What the other request of a double click does between this one's session check and its read.
  await ReviewLog.deleteOne({ _id: log });
  const res = await undo(agent, log);
  assert.equal(res.status, 409);
  assert.match(res.text, /That rating was already undone\./);
});

test('only the learner’s own rating can be undone, with a CSRF token, on the day it was given', async () => {
  t.setNow(T0);
  const owner = await registerAs(t.app, 'Undo Owner', 'undoowner@example.com');
  const { cardId } = await front(owner);
  await rateShown(owner, cardId, 3);
  const log = (await front(owner)).undoLog!;
  const other = await registerAs(t.app, 'Undo Other', 'undoother@example.com');
  assert.equal((await undo(other, log)).status, 409, 'another learner has no such rating to undo');
  const noToken = await owner.post('/study/undo').type('form').send({ log, bank: bankId });
  assert.equal(noToken.status, 403, 'no CSRF token');
  assert.equal((await postForm(owner, '/study', '/study/undo', { log: 'nope', bank: bankId })).status, 400);
  assert.equal(await ReviewLog.countDocuments({ _id: log }), 1);
  // After UTC midnight it is still the learner's study day (it starts at 04:00): still offered.
  t.setNow(new Date('2025-03-04T00:05:00.000Z'));
  assert.equal(hidden((await owner.get(`/study/session?bank=${bankId}`)).text, 'log'), log);
  // Once their next study day starts, yesterday's rating is history: it is not offered and cannot be undone.
  t.setNow(new Date('2025-03-04T04:05:00.000Z'));
  const page = await owner.get(`/study/session?bank=${bankId}`);
  assert.equal(hidden(page.text, 'log'), undefined);
  assert.equal((await undo(owner, log)).status, 409);
  assert.equal((await StudyCard.findById(cardId).lean())!.reps, 1);
  assert.equal(await ReviewLog.countDocuments({ _id: log }), 1);
});

test('undoing a rating with a typed answer also removes the answer from the response log', async () => {
  t.setNow(T0);
  const agent = await registerAs(t.app, 'Typed Undo', 'typedundo@example.com');
  const userId = (await mongoose.connection.collection('users').findOne({ email: 'typedundo@example.com' }))!._id;
  const question = (await Question.findOne({ bankId: new mongoose.Types.ObjectId(bankId), type: 'short', retired: false }).lean())!;
  const answer = (question.definition as QuestionDefinition & { type: 'short' }).answers[0]!;
  const card = await StudyCard.create({
    userId,
    questionId: question._id,
    bankId: question.bankId,
    topics: question.topics,
    introducedAt: later(-60),
    ...newCardState(later(-60)),
  });
  await rateShown(agent, String(card._id), 3, { typed_text: answer }, `&text=${encodeURIComponent(answer)}`);
  assert.equal(await LearnerResponse.countDocuments({ userId, source: 'study' }), 1);
  const log = (await front(agent)).undoLog!;
  assert.equal((await undo(agent, log)).status, 303);
  assert.equal(await LearnerResponse.countDocuments({ userId, source: 'study' }), 0);
  assert.equal((await StudyCard.findById(card._id).lean())!.reps, 0);
});

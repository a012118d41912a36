import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { startTestApp, registerAs, postForm, type TestApp } from '../helpers/test-app.ts';
import { Bank } from '../../server/banks/model.ts';
import { StudyCard } from '../../server/study/model.ts';

const T0 = new Date('2025-03-03T09:00:00.000Z');
let t: TestApp;
let bankId: string;

before(async () => {
  t = await startTestApp({ newCardsPerDay: 3 }, { seed: true });
  t.setNow(T0);
  bankId = String((await Bank.findOne({ slug: 'sco-policy-brief' }).lean())!._id);
});
after(() => t.close());

const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
const count = (html: string, bucket: string) => Number(new RegExp(`data-testid="study-${bucket}">(\\d+)<`).exec(html)?.[1]);
const counts = (html: string) => ({ new: count(html, 'new'), learning: count(html, 'learning'), review: count(html, 'review') });
/** The count marked as holding the card on screen. */
const current = (html: string) => /class="study-count study-count-(\w+)" aria-current="true"/.exec(html)?.[1] ?? null;

async function front(agent: request.Agent): Promise<{ cardId: string | undefined; html: string }> {
  const res = await agent.get(`/study/session?bank=${bankId}`);
  assert.equal(res.status, 200);
  return { cardId: /action="\/study\/cards\/([a-f0-9]{24})"/.exec(res.text)?.[1], html: res.text };
}

async function rate(agent: request.Agent, cardId: string, rating: number) {
  const back = await agent.get(`/study/cards/${cardId}?bank=${bankId}`);
  const res = await postForm(agent, '/study', `/study/cards/${cardId}/rate`, {
    rating: String(rating),
    reps: hidden(back.text, 'reps'),
    lastReview: hidden(back.text, 'lastReview'),
    bank: bankId,
  });
  assert.equal(res.status, 303);
}

test('the session counts new, learning and review cards as Anki does, the card on screen in its own count', async () => {
  const agent = await registerAs(t.app, 'Count Learner', 'anki-counts@example.com');
  const first = await front(agent);
  // The new card on screen is one of the three new cards today.
  assert.deepEqual(counts(first.html), { new: 3, learning: 0, review: 0 });
  assert.equal(current(first.html), 'new');
  await rate(agent, first.cardId!, 3); // Good: a learning step, due in 10 minutes

  const second = await front(agent);
  assert.notEqual(second.cardId, first.cardId);
  assert.deepEqual(counts(second.html), { new: 2, learning: 1, review: 0 }, 'the card in its learning step counts as learning');
  assert.equal(current(second.html), 'new');
  await rate(agent, second.cardId!, 4);
  const third = await front(agent);
  assert.deepEqual(counts(third.html), { new: 1, learning: 1, review: 0 });
  await rate(agent, third.cardId!, 4);

  // Today's new cards are done; the learning card comes early (learn-ahead) and is counted as learning, not "0 due, 0 new".
  t.setNow(new Date(T0.getTime() + 2 * 60_000));
  const ahead = await front(agent);
  assert.equal(ahead.cardId, first.cardId);
  assert.deepEqual(counts(ahead.html), { new: 0, learning: 1, review: 0 });
  assert.equal(current(ahead.html), 'learning');
  assert.match(ahead.html, /aria-current="true"><span data-testid="study-learning">1<\/span> learning<span class="visually-hidden"> \(this card\)<\/span>/);

  // A review card due now counts under review.
  await StudyCard.updateOne({ _id: second.cardId }, { $set: { due: new Date(T0.getTime() - 60_000) } });
  const review = await front(agent);
  assert.equal(review.cardId, second.cardId);
  assert.deepEqual(counts(review.html), { new: 0, learning: 1, review: 1 });
  assert.equal(current(review.html), 'review');

  const home = await agent.get('/study');
  assert.match(home.text, /<th scope="col">New<\/th><th scope="col">Learning<\/th><th scope="col">To review<\/th>/);
  t.setNow(T0);
});

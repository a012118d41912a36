import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { startTestApp, registerAs, postForm, type TestApp } from '../helpers/test-app.ts';
import { Bank, Question } from '../../server/banks/model.ts';
import { StudyCard, ReviewLog } from '../../server/study/model.ts';
import { newCardState } from '../../server/study/schedule.ts';
import { BROWSE_PAGE_SIZE } from '../../server/study/browse.ts';

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

const rowIds = (html: string) => [...html.matchAll(/<tr data-card="([a-f0-9]{24})">/g)].map((m) => m[1]!);
const totalOf = (html: string) => Number(/data-testid="browse-total">(\d+) card/.exec(html)?.[1]);

/** A learner with `n` cards of the shipped bank: card i due i days from T0, every third a review card. */
async function learnerWithCards(email: string, n: number) {
  const agent = await registerAs(t.app, 'Browse Student', email);
  const userId = (await mongoose.connection.collection('users').findOne({ email }))!._id;
  const questions = await Question.find({ bankId: new mongoose.Types.ObjectId(bankId), retired: false })
    .sort({ key: 1 })
    .limit(n)
    .lean();
  const cards = await StudyCard.insertMany(
    questions.map((q, i) => ({
      userId,
      questionId: q._id,
      bankId: q.bankId,
      topics: q.topics,
      introducedAt: T0,
      ...newCardState(T0),
      due: new Date(T0.getTime() + i * DAY),
      ...(i % 3 === 0 ? { state: 2, reps: 3, stability: 10, difficulty: 5, last_review: new Date(T0.getTime() - DAY) } : {}),
    })),
  );
  return { agent, userId, questions, cardIds: cards.map((c) => String(c._id)) };
}

test('the card browser filters by text, topic, state and due date, and pages through the results', async () => {
  const { agent, questions, cardIds } = await learnerWithCards('browse@example.com', BROWSE_PAGE_SIZE + 5);
  const all = await agent.get('/study/browse');
  assert.equal(all.status, 200);
  assert.equal(totalOf(all.text), BROWSE_PAGE_SIZE + 5);
  assert.deepEqual(rowIds(all.text), cardIds.slice(0, BROWSE_PAGE_SIZE), 'soonest due first');
  assert.match(all.text, /rel="next"/);
  const page2 = await agent.get('/study/browse?page=2');
  assert.deepEqual(rowIds(page2.text), cardIds.slice(BROWSE_PAGE_SIZE));

  // Text: a word of one prompt, any case.
  const prompt = String((questions[7]!.definition as { prompt: string }).prompt);
  const word = prompt
    .split(/\W+/)
    .filter((w) => w.length > 6)
    .sort((a, b) => b.length - a.length)[0]!;
  const byText = await agent.get(`/study/browse?q=${encodeURIComponent(word.toUpperCase())}`);
  assert.ok(rowIds(byText.text).includes(cardIds[7]!));
  const expected = questions.filter((q) =>
    String((q.definition as { prompt: string }).prompt)
      .toLowerCase()
      .includes(word.toLowerCase()),
  ).length;
  assert.equal(totalOf(byText.text), expected);
  assert.equal(totalOf((await agent.get('/study/browse?q=%28.*%29%5B')).text), 0, 'regex characters are searched literally');

  const topic = questions[0]!.topics[0]!;
  const byTopic = await agent.get(`/study/browse?topic=${topic}`);
  assert.equal(totalOf(byTopic.text), questions.filter((q) => q.topics.includes(topic)).length);

  const review = await agent.get('/study/browse?state=review');
  assert.deepEqual(
    rowIds(review.text),
    cardIds.filter((_, i) => i % 3 === 0),
  );
  const fresh = await agent.get('/study/browse?state=new');
  assert.equal(totalOf(fresh.text), cardIds.filter((_, i) => i % 3 !== 0).length);

  const dueBy = await agent.get('/study/browse?dueBy=2025-03-05');
  assert.deepEqual(rowIds(dueBy.text), cardIds.slice(0, 3), 'due before that study day ends');
  const combined = await agent.get('/study/browse?dueBy=2025-03-10&state=review');
  assert.deepEqual(rowIds(combined.text), [cardIds[0], cardIds[3], cardIds[6]]);

  for (const bad of ['state=lost', 'dueBy=tomorrow', 'page=0', 'page=x', 'topic=Not%20a%20topic!', 'bank=xyz', `q=${'a'.repeat(101)}`]) {
    assert.equal((await agent.get(`/study/browse?${bad}`)).status, 400, bad);
  }
  assert.equal((await agent.get(`/study/browse?bank=${new mongoose.Types.ObjectId()}`)).status, 404);
  assert.equal(
    (await (await registerAs(t.app, 'Empty', 'browse-empty@example.com')).get('/study/browse')).text.includes('No cards match'),
    true,
    'another learner sees none of them',
  );
});

test('suspend, bury and reset from the browser, and the scheduler honours them', async () => {
  const { agent, cardIds } = await learnerWithCards('browse-actions@example.com', 4);
  // Cards 0 (review) is due now; make card 1 due now too.
  await StudyCard.updateOne({ _id: cardIds[1] }, { $set: { due: T0 } });
  const session = async () => /action="\/study\/cards\/([a-f0-9]{24})"/.exec((await agent.get(`/study/session?bank=${bankId}`)).text)?.[1] ?? null;
  const act = (id: string, action: string, back = 'state=review&page=1') => postForm(agent, '/study/browse', `/study/cards/${id}/${action}`, { return: back });
  assert.equal(await session(), cardIds[0]);
  assert.match((await agent.get('/')).text, /data-testid="home-study-due">2</);

  const suspended = await act(cardIds[0]!, 'suspend');
  assert.equal(suspended.status, 303);
  assert.equal(suspended.headers.location, '/study/browse?state=review', 'back to the same filters');
  assert.equal(await session(), cardIds[1], 'a suspended card is not shown');
  assert.match((await agent.get('/')).text, /data-testid="home-study-due">1</);
  assert.deepEqual(rowIds((await agent.get('/study/browse?state=suspended')).text), [cardIds[0]]);

  assert.equal((await act(cardIds[1]!, 'bury')).status, 303);
  assert.equal(await session(), null, 'buried until tomorrow: nothing left today');
  assert.deepEqual(rowIds((await agent.get('/study/browse?state=buried')).text), [cardIds[1]]);
  t.setNow(new Date('2025-03-04T00:00:01.000Z'));
  assert.equal(await session(), null, "still buried after UTC midnight: the learner's day starts at 04:00");
  t.setNow(new Date('2025-03-04T04:00:01.000Z'));
  assert.equal(await session(), cardIds[1], 'back when their next study day starts');
  t.setNow(T0);

  assert.equal((await act(cardIds[0]!, 'unsuspend')).status, 303);
  assert.equal(await session(), cardIds[0]);
  const logsBefore = await ReviewLog.countDocuments({ cardId: cardIds[0] });
  assert.equal((await act(cardIds[0]!, 'reset')).status, 303);
  const reset = (await StudyCard.findById(cardIds[0]).lean())!;
  assert.equal(reset.state, 0);
  assert.equal(reset.reps, 0);
  assert.equal(reset.last_review, null);
  assert.deepEqual(reset.due, T0);
  assert.equal(await ReviewLog.countDocuments({ cardId: cardIds[0] }), logsBefore, 'its history stays');

  // Not another learner's card; not without a CSRF token; not an unknown action; a bad way back is dropped.
  const other = await registerAs(t.app, 'Other Browser', 'browse-other@example.com');
  assert.equal((await postForm(other, '/study/browse', `/study/cards/${cardIds[2]}/suspend`, {})).status, 404);
  assert.equal((await agent.post(`/study/cards/${cardIds[2]}/suspend`).type('form').send({})).status, 403);
  assert.equal((await act(cardIds[2]!, 'delete')).status, 400);
  assert.equal((await act(cardIds[2]!, 'suspend', 'state=nonsense')).headers.location, '/study/browse?');
  assert.equal((await act(cardIds[3]!, 'suspend', '//evil.example/')).headers.location, '/study/browse?');
  assert.equal((await StudyCard.findById(cardIds[2]).lean())!.suspended, true);
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { startTestApp, registerAs, postForm, type TestApp } from '../helpers/test-app.ts';
import { Bank, Question } from '../../server/banks/model.ts';
import { StudyCard } from '../../server/study/model.ts';
import { mongooseCommands } from '../helpers/mongoose-commands.ts';

let t: TestApp;
let bankId: string;
before(async () => {
  t = await startTestApp({ newCardsPerDay: 1000 }, { seed: true });
  bankId = String((await Bank.findOne({ slug: 'sco-policy-brief' }).lean())!._id);
});
after(() => t.close());

const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
const countOf = (html: string, id: string) => Number(new RegExp(`data-testid="${id}">(\\d+)<`).exec(html)?.[1]);

test('a card due now is shown from one aggregation, with new, learning and review counts exact despite retired questions', async () => {
  const agent = await registerAs(t.app, 'Count Student', 'counts@example.com');
  const scope = `bank=${bankId}&topic=energy`;
  // Introduce a card and rate it Easy (due in days), then introduce a second one, due now.
  const first = await agent.get(`/study/session?${scope}`);
  const cardA = /action="\/study\/cards\/([a-f0-9]{24})"/.exec(first.text)![1]!;
  const backA = await agent.get(`/study/cards/${cardA}?${scope}`);
  await postForm(agent, '/study', `/study/cards/${cardA}/rate`, {
    rating: '4',
    reps: hidden(backA.text, 'reps')!,
    lastReview: hidden(backA.text, 'lastReview')!,
    bank: bankId,
    topic: 'energy',
  });
  const second = await agent.get(`/study/session?${scope}`);
  const cardB = /action="\/study\/cards\/([a-f0-9]{24})"/.exec(second.text)![1]!;
  assert.notEqual(cardB, cardA);

  // Retire card A's question, and a question of the topic nobody has a card for.
  const carded = (await StudyCard.find({ _id: { $in: [cardA, cardB] } }).lean()).map((c) => c.questionId);
  await Question.updateOne({ _id: carded.find((id) => String(id) !== String(carded[1]))!, bankId }, { $set: { retired: true } });
  await Question.updateOne({ bankId, topics: 'energy', retired: false, _id: { $nin: carded } }, { $set: { retired: true } });

  let page = '';
  const sent = await mongooseCommands(async () => {
    const res = await agent.get(`/study/session?${scope}`);
    assert.equal(res.status, 200);
    page = res.text;
  });
  assert.match(page, new RegExp(`action="/study/cards/${cardB}"`), 'the due card is shown');
  // attempts.find: the answer-key rule asks whether an open quiz attempt pauses flashcards (one indexed read; none open here).
  assert.deepEqual(sent.sort(), ['attempts.find', 'banks.find', 'questions.countDocuments', 'studycards.aggregate']);
  const live = await Question.countDocuments({ bankId, topics: 'energy', retired: false });
  const liveCarded = await Question.countDocuments({ _id: { $in: carded }, topics: 'energy', retired: false });
  assert.equal(countOf(page, 'study-review'), 0, 'card A is a review card due in days');
  assert.equal(countOf(page, 'study-learning'), 0);
  assert.equal(countOf(page, 'study-new'), 1 + live - liveCarded, 'new = card B on screen + live questions of the topic without a card');
  assert.equal(liveCarded, 1, 'card A’s question no longer counts');
});

test("a bank that is someone else's is not found, even with a card of it due", async () => {
  const agent = await registerAs(t.app, 'Nosy Student', 'nosy@example.com');
  const owner = new mongoose.Types.ObjectId();
  const shipped = (await Bank.findById(bankId).lean())!;
  const privateBank = await Bank.create({ slug: 'private-bank', title: 'Private bank', sourceId: shipped.sourceId, ownerId: owner });
  const question = (await Question.findOne({ bankId }).lean())!;
  const moved = await Question.create({ ...question, _id: new mongoose.Types.ObjectId(), bankId: privateBank._id, key: 'private-1' });
  const me = (await mongoose.connection.db!.collection('users').findOne({ email: 'nosy@example.com' }))!;
  // A card the learner should never have had, due now: the bank check still refuses the page.
  await StudyCard.create({
    userId: me._id,
    questionId: moved._id,
    bankId: privateBank._id,
    topics: moved.topics,
    introducedAt: new Date(),
    due: new Date(Date.now() - 60_000),
    stability: 0,
    difficulty: 0,
    elapsed_days: 0,
    scheduled_days: 0,
    learning_steps: 0,
    reps: 0,
    lapses: 0,
    state: 0,
  });
  const res = await agent.get(`/study/session?bank=${privateBank._id}`);
  assert.equal(res.status, 404);
  assert.doesNotMatch(res.text, new RegExp(String(moved._id)));
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { startTestApp, registerAs, type TestApp } from '../helpers/test-app.ts';
import { Bank, Question } from '../../server/banks/model.ts';
import { StudyCard } from '../../server/study/model.ts';
import { newCardState } from '../../server/study/schedule.ts';

const T0 = new Date('2025-03-03T09:00:00.000Z');
let t: TestApp;
let bankId: string;

before(async () => {
  t = await startTestApp({}, { seed: true });
  t.setNow(T0);
  bankId = String((await Bank.findOne({ slug: 'sco-policy-brief' }).lean())!._id);
});
after(() => t?.close());

test('a typed card names the key that shows its answer from the answer box: Enter, not Space', async () => {
  const agent = await registerAs(t.app, 'Key Student', 'key-student@example.com');
  const userId = (await mongoose.connection.collection('users').findOne({ email: 'key-student@example.com' }))!._id;
  const short = (await Question.findOne({ bankId: new mongoose.Types.ObjectId(bankId), type: 'short', retired: false }).lean())!;
  const before = new Date(T0.getTime() - 3600_000);
  await StudyCard.create({ userId, questionId: short._id, bankId: short.bankId, topics: short.topics, introducedAt: before, ...newCardState(before) });
  const res = await agent.get(`/study/session?bank=${bankId}`);
  assert.equal(res.status, 200);
  assert.match(res.text, /data-study="front"/);
  assert.match(res.text, /type="text"/, 'the session opens on the typed card');
  assert.match(res.text, /data-study-reveal>Show answer <span class="muted">\(Enter\)<\/span>/);
  assert.doesNotMatch(res.text, /\(Space\)/);
});

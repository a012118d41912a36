/**
 * Per-learner practice quotas (PRACTICE_OPEN_SESSIONS, _SESSIONS_PER_DAY, _ANSWERS_PER_DAY): past
 * each, a clear 429 and nothing stored; another learner is not affected; a day later it opens again.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { startTestApp, registerAs, postForm, type TestApp } from '../helpers/test-app.ts';
import { Bank } from '../../server/banks/model.ts';
import { questionsByIds } from '../../server/banks/service.ts';
import { PracticeSession } from '../../server/practice/model.ts';
import { User } from '../../server/accounts/model.ts';
import { LearnerResponse } from '../../server/responses/model.ts';
import type { QuestionDefinition } from '../../server/questions/index.ts';

let t: TestApp;
let bankId: string;
const T0 = new Date('2030-03-01T10:00:00Z');
const DAY = 24 * 60 * 60_000;

before(async () => {
  t = await startTestApp({ practiceQuota: { openSessions: 2, sessionsPerDay: 3, answersPerDay: 2 } }, { seed: true });
  t.setNow(T0);
  bankId = String((await Bank.findOne({ ownerId: null }).lean())!._id);
});
after(() => t.close());

const start = (agent: request.Agent) => postForm(agent, '/practice', '/practice', { bankId, types: 'mcq', length: '3' });
const sessionOf = (res: request.Response) => /^\/practice\/([a-f0-9]{24})$/.exec(res.headers.location ?? '')?.[1];

/** Answers the session's current question (any choice) and returns the response. */
async function answer(agent: request.Agent, sessionId: string): Promise<request.Response> {
  const page = await agent.get(`/practice/${sessionId}`);
  const questionId = /name="questionId" value="([^"]*)"/.exec(page.text)![1]!;
  const position = /name="position" value="([^"]*)"/.exec(page.text)![1]!;
  const def = (await questionsByIds([questionId])).get(questionId)!.definition as QuestionDefinition;
  assert.equal(def.type, 'mcq');
  return postForm(agent, `/practice/${sessionId}`, `/practice/${sessionId}/answers`, { position, questionId, choice: def.type === 'mcq' ? def.answer : '' });
}

test('past the open-sessions quota a new session is refused with a 429 that says why, and nothing is stored', async () => {
  const learner = await registerAs(t.app, 'Busy Learner', 'busy-learner@example.com');
  for (let i = 0; i < 2; i++) assert.ok(sessionOf(await start(learner)));
  const refused = await start(learner);
  assert.equal(refused.status, 429);
  assert.match(refused.text, /2 unfinished practice sessions from the last 24 hours/);
  const user = await User.findOne({ email: 'busy-learner@example.com' }).lean();
  assert.equal(await PracticeSession.countDocuments({ userId: user!._id }), 2, 'the refused session is not stored');
  // Another learner is not affected.
  const other = await registerAs(t.app, 'Other Learner', 'other-learner@example.com');
  assert.ok(sessionOf(await start(other)));
  // A day later the unfinished sessions no longer count as open.
  t.setNow(new Date(T0.getTime() + DAY + 1));
  assert.ok(sessionOf(await start(learner)));
  t.setNow(T0);
});

test('past the answers-per-day quota an answer is refused with a 429 and not stored; the sessions-per-day quota holds too', async () => {
  const learner = await registerAs(t.app, 'Keen Learner', 'keen-learner@example.com');
  const first = sessionOf(await start(learner))!;
  assert.equal((await answer(learner, first)).status, 303);
  assert.equal((await answer(learner, first)).status, 303);
  const before = await LearnerResponse.countDocuments({ source: 'practice' });
  const third = await answer(learner, first);
  assert.equal(third.status, 429);
  assert.match(third.text, /answered 2 practice questions in the last 24 hours/);
  assert.equal(await LearnerResponse.countDocuments({ source: 'practice' }), before, 'the refused answer is not stored');
  const session = await PracticeSession.findById(first).lean();
  assert.equal(session!.answers.length, 2);

  // Sessions per day counts finished sessions too: with each one finished, the fourth start is refused.
  const user = await User.findOne({ email: 'keen-learner@example.com' }).lean();
  const finishAll = () => PracticeSession.updateMany({ userId: user!._id }, { $set: { finishedAt: T0 } });
  for (let i = 0; i < 2; i++) {
    await finishAll();
    assert.ok(sessionOf(await start(learner)));
  }
  await finishAll();
  const fourth = await start(learner);
  assert.equal(fourth.status, 429);
  assert.match(fourth.text, /started 3 practice sessions in the last 24 hours/);
});

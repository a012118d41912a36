import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import mongoose from 'mongoose';
import { startTestApp, loginAs, registerAs, tokenFor, postForm, type TestApp } from '../helpers/test-app.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';
import { Bank } from '../../server/banks/model.ts';
import { questionsByIds } from '../../server/banks/service.ts';
import { PracticeSession } from '../../server/practice/model.ts';
import { LearnerResponse } from '../../server/responses/model.ts';
import type { QuestionDefinition } from '../../server/questions/index.ts';

let t: TestApp;
let bankId: string;
let student: request.Agent;
const demoStudent = DEMO_ACCOUNTS.find((a) => a.role === 'student')!;

before(async () => {
  t = await startTestApp({}, { seed: true });
  bankId = String((await Bank.findOne({ slug: 'sco-policy-brief' }).lean())!._id);
  student = await loginAs(t.app, demoStudent.email, demoStudent.password);
});
after(() => t.close());

const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];

/** Form fields answering an mcq or true/false question right or wrong. */
function answerFields(def: QuestionDefinition, right: boolean): Record<string, string> {
  if (def.type === 'mcq') return { choice: right ? def.answer : def.choices.find((c) => c.id !== def.answer)!.id };
  if (def.type === 'truefalse') return { value: String(right ? def.answer : !def.answer) };
  throw new Error(`unexpected type ${def.type}`);
}

async function startSession(agent: request.Agent, fields: Record<string, unknown>): Promise<string> {
  const res = await postForm(agent, '/practice', '/practice', { bankId, ...fields });
  assert.equal(res.status, 303, res.text.slice(0, 500));
  const m = /^\/practice\/([a-f0-9]{24})$/.exec(res.headers.location!);
  assert.ok(m, res.headers.location);
  return m[1]!;
}

/** Answers the current question of a session; returns its id and the feedback page. */
async function answerCurrent(agent: request.Agent, sessionId: string, right: boolean) {
  const page = await agent.get(`/practice/${sessionId}`);
  assert.equal(page.status, 200);
  const questionId = hidden(page.text, 'questionId')!;
  const position = hidden(page.text, 'position')!;
  const def = (await questionsByIds([questionId])).get(questionId)!.definition;
  // Nothing of the answer's explanation or key reaches the page before the learner answers.
  assert.ok(!page.text.includes(def.explanation.slice(0, 60)), 'explanation hidden before answering');
  assert.doesNotMatch(page.text, /Correct answer/);
  const fields = { position, questionId, ...answerFields(def, right) };
  const res = await postForm(agent, `/practice/${sessionId}`, `/practice/${sessionId}/answers`, fields);
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, `/practice/${sessionId}/feedback/${position}`);
  const feedback = await agent.get(res.headers.location!);
  assert.equal(feedback.status, 200);
  return { questionId, position, def, fields, feedback: feedback.text };
}

test('practice end to end: choose, answer one per page with immediate feedback and source, summary by topic; every answer stored once', async () => {
  const sessionId = await startSession(student, { mode: 'new', types: ['mcq', 'truefalse'], topics: ['members', 'energy'], length: '5' });
  const session = (await PracticeSession.findById(sessionId).lean())!;
  assert.equal(session.questionIds.length, 5);
  const answered: Array<{ questionId: string; right: boolean }> = [];
  for (let i = 0; i < 5; i++) {
    const right = i !== 1 && i !== 3;
    const { questionId, def, feedback, fields } = await answerCurrent(student, sessionId, right);
    assert.ok(['mcq', 'truefalse'].includes(def.type));
    assert.ok(def.topics.some((x) => x === 'members' || x === 'energy'));
    answered.push({ questionId, right });
    assert.match(feedback, right ? /feedback-correct/ : /feedback-incorrect/);
    assert.match(feedback, /Your answer/);
    assert.match(feedback, /Correct answer/);
    assert.ok(feedback.includes(escapeHtml(def.explanation)), 'explanation shown');
    assert.match(feedback, /<mark data-testid="evidence-quote">/);
    assert.ok(feedback.includes(escapeHtml(def.source.quote)), 'the quote is shown');
    const link = /<a href="([^"]+)" class="show-source">Show source<\/a>/.exec(feedback)?.[1];
    assert.ok(link, 'a "Show source" link');
    assert.ok(link.replaceAll('&amp;', '&').startsWith(`/sources/sco-policy-brief?passage=${def.source.passageId}&quote=`));
    assert.ok(link.endsWith(`#${def.source.passageId}`));
    const source = await student.get(link.replaceAll('&amp;', '&'));
    assert.equal(source.status, 200);
    assert.match(source.text, /<mark data-testid="quote">/);
    if (i === 0) {
      // A double submit of the same answer changes nothing and leads to the same feedback.
      const again = await postForm(student, `/practice/${sessionId}`, `/practice/${sessionId}/answers`, { ...fields, ...answerFields(def, !right) });
      assert.equal(again.status, 303);
      assert.equal(again.headers.location, `/practice/${sessionId}/feedback/0`);
    }
  }
  const done = (await PracticeSession.findById(sessionId).lean())!;
  assert.equal(done.answers.length, 5);
  assert.ok(done.finishedAt);
  assert.deepEqual(
    done.answers.map((a) => a.correct),
    answered.map((a) => a.right),
  );
  const stored = await LearnerResponse.find({ sourceRef: new mongoose.Types.ObjectId(sessionId) })
    .sort({ answeredAt: 1 })
    .lean();
  assert.equal(stored.length, 5, 'one stored response per answer, the double submit not counted');
  assert.deepEqual(new Set(stored.map((r) => String(r.questionId))), new Set(answered.map((a) => a.questionId)));
  assert.ok(stored.every((r) => r.source === 'practice' && r.topics.length > 0 && r.passageId && r.questionKey.startsWith('sco-')));

  // Once finished, the session page leads to the summary.
  const next = await student.get(`/practice/${sessionId}`);
  assert.equal(next.status, 302);
  assert.equal(next.headers.location, `/practice/${sessionId}/summary`);
  const summary = await student.get(`/practice/${sessionId}/summary`);
  assert.equal(summary.status, 200);
  assert.match(summary.text, /data-testid="practice-total">3 of 5</);
  assert.match(summary.text, /By topic, weakest first/);
  assert.match(summary.text, /Retry the 2 missed questions/);
  for (const i of [1, 3]) assert.match(summary.text, new RegExp(`href="/practice/${sessionId}/feedback/${i}"`));

  // "Retry these" starts a session of exactly this session's misses.
  const retryRes = await postForm(student, `/practice/${sessionId}/summary`, `/practice/${sessionId}/retry`, {});
  assert.equal(retryRes.status, 303);
  const retryId = /([a-f0-9]{24})$/.exec(retryRes.headers.location!)![1]!;
  const retry = (await PracticeSession.findById(retryId).lean())!;
  assert.deepEqual(new Set(retry.questionIds.map(String)), new Set(answered.filter((a) => !a.right).map((a) => a.questionId)));
});

test('"retry what I missed" holds exactly the questions whose latest answer was wrong', async () => {
  const agent = await registerAs(t.app, 'Retry Student', 'retry@example.com');
  assert.equal((await postForm(agent, '/practice', '/practice', { bankId, mode: 'retry' })).status, 400, 'nothing to retry yet');

  const first = await startSession(agent, { mode: 'new', types: ['truefalse'], length: '5' });
  const results: Array<{ questionId: string; right: boolean }> = [];
  for (const right of [false, true, false, false, true]) results.push({ questionId: (await answerCurrent(agent, first, right)).questionId, right });
  const missed = results.filter((r) => !r.right).map((r) => r.questionId);

  const retryId = await startSession(agent, { mode: 'retry' });
  const retry = (await PracticeSession.findById(retryId).lean())!;
  assert.deepEqual(new Set(retry.questionIds.map(String)), new Set(missed));
  assert.equal(retry.questionIds.length, 3);

  // Now answer the first retried question right and the others wrong: only those stay missed.
  const fixed = (await answerCurrent(agent, retryId, true)).questionId;
  await answerCurrent(agent, retryId, false);
  await answerCurrent(agent, retryId, false);
  const again = (await PracticeSession.findById(await startSession(agent, { mode: 'retry' })).lean())!;
  assert.deepEqual(new Set(again.questionIds.map(String)), new Set(missed.filter((id) => id !== fixed)));
});

test('"retry what I missed" keeps to the chosen length', async () => {
  const agent = await registerAs(t.app, 'Short Retry Student', 'short-retry@example.com');
  const first = await startSession(agent, { mode: 'new', types: ['truefalse'], length: '5' });
  const missed: string[] = [];
  for (let i = 0; i < 5; i++) missed.push((await answerCurrent(agent, first, false)).questionId);
  const retry = (await PracticeSession.findById(await startSession(agent, { mode: 'retry', length: '2' })).lean())!;
  assert.equal(retry.questionIds.length, 2);
  for (const id of retry.questionIds) assert.ok(missed.includes(String(id)));
});

test('"weakest topics" draws from the topics with the lowest mean score', async () => {
  const agent = await registerAs(t.app, 'Weak Student', 'weak@example.com');
  assert.equal((await postForm(agent, '/practice', '/practice', { bankId, mode: 'weakest' })).status, 400, 'not enough answers yet');
  const energy = await startSession(agent, { mode: 'new', topics: ['energy'], types: ['mcq', 'truefalse'], length: '3' });
  for (let i = 0; i < 3; i++) await answerCurrent(agent, energy, false);
  const weakId = await startSession(agent, { mode: 'weakest', length: '5' });
  const weak = (await PracticeSession.findById(weakId).lean())!;
  const defs = await questionsByIds(weak.questionIds.map(String));
  assert.ok(weak.settings!.topics.includes('energy'));
  for (const q of defs.values()) assert.ok(q.definition.topics.some((x) => weak.settings!.topics.includes(x)));
});

test("a student cannot read or answer another student's practice", async () => {
  const owner = await registerAs(t.app, 'Owner', 'owner@example.com');
  const sessionId = await startSession(owner, { mode: 'new', types: ['mcq'], length: '5' });
  const { questionId } = await answerCurrent(owner, sessionId, false);
  const other = await registerAs(t.app, 'Other', 'other@example.com');
  for (const path of [`/practice/${sessionId}`, `/practice/${sessionId}/summary`, `/practice/${sessionId}/feedback/0`]) {
    const res = await other.get(path);
    assert.equal(res.status, 404, path);
    assert.ok(!res.text.includes(questionId));
  }
  const post = await postForm(other, '/practice', `/practice/${sessionId}/answers`, { position: '1', questionId, choice: 'a' });
  assert.equal(post.status, 404);
  assert.equal((await postForm(other, '/practice', `/practice/${sessionId}/retry`, {})).status, 404);
  assert.equal((await PracticeSession.findById(sessionId).lean())!.answers.length, 1);
  // Signed out: to the login page.
  const anon = await (await import('supertest')).default(t.app).get(`/practice/${sessionId}/summary`);
  assert.equal(anon.status, 302);
  assert.match(anon.headers.location!, /^\/login/);
});

test('a refused numeric answer comes back with what the learner typed, and the message', async () => {
  const agent = await registerAs(t.app, 'Typo Student', 'typo@example.com');
  const sessionId = await startSession(agent, { mode: 'new', types: ['numeric'], length: '1' });
  const page = await agent.get(`/practice/${sessionId}`);
  const fields = { position: hidden(page.text, 'position')!, questionId: hidden(page.text, 'questionId')!, value: 'about twelve' };
  const res = await postForm(agent, `/practice/${sessionId}`, `/practice/${sessionId}/answers`, fields);
  assert.equal(res.status, 400);
  assert.match(res.text, /is not a number/);
  assert.match(res.text, /name="value"[^>]*value="about twelve"/);
});

test('an answer sent again (Back, a second tab) says the first answer stands', async () => {
  const agent = await registerAs(t.app, 'Twice Student', 'twice@example.com');
  const sessionId = await startSession(agent, { mode: 'new', types: ['truefalse'], length: '2' });
  const { fields, feedback } = await answerCurrent(agent, sessionId, true);
  assert.doesNotMatch(feedback, /already answered/);
  const again = await postForm(agent, `/practice/${sessionId}/feedback/0`, `/practice/${sessionId}/answers`, fields);
  assert.equal(again.status, 303);
  const page = await agent.get(again.headers.location!);
  assert.match(page.text, /You had already answered this question, so that answer was not recorded/);
});

test('bad input gets a 400, never a 500', async () => {
  const agent = await registerAs(t.app, 'Bad Input', 'bad@example.com');
  const sessionId = await startSession(agent, { mode: 'new', types: ['mcq'], length: '5' });
  const page = await agent.get(`/practice/${sessionId}`);
  const questionId = hidden(page.text, 'questionId')!;
  const unknownId = new mongoose.Types.ObjectId().toString();
  const cases: Array<[string, Record<string, unknown>]> = [
    ['an unknown question id', { position: '0', questionId: unknownId, choice: 'a' }],
    ['a malformed question id', { position: '0', questionId: 'nope', choice: 'a' }],
    ['a forged choice', { position: '0', questionId, choice: 'zz-forged' }],
    ['two choices for a single-choice question', { position: '0', questionId, choice: ['a', 'b'] }],
    ['a position out of range', { position: '99', questionId, choice: 'a' }],
    ['a position that is not a number', { position: 'first', questionId, choice: 'a' }],
    ['a 5,000-character answer', { position: '0', questionId, choice: 'x'.repeat(5000) }],
  ];
  for (const [what, fields] of cases) {
    const res = await postForm(agent, `/practice/${sessionId}`, `/practice/${sessionId}/answers`, fields);
    assert.equal(res.status, 400, what);
  }
  const forged = await postForm(agent, `/practice/${sessionId}`, `/practice/${sessionId}/answers`, { position: '0', questionId, choice: 'zz-forged' });
  assert.match(forged.text, /is not one of this question&#39;s choices/, 'the question is shown again with the message');
  assert.equal((await PracticeSession.findById(sessionId).lean())!.answers.length, 0, 'nothing recorded');

  const setup: Array<[string, Record<string, unknown>]> = [
    ['an unknown topic', { bankId, topics: ['not-a-topic'] }],
    ['an unknown type', { bankId, types: ['essay'] }],
    ['a length of 0', { bankId, length: '0' }],
    ['a length of 1000', { bankId, length: '1000' }],
    ['a malformed bank id', { bankId: 'x' }],
    ['an unknown mode', { bankId, mode: 'everything' }],
  ];
  for (const [what, fields] of setup) {
    const res = await postForm(agent, '/practice', '/practice', fields);
    assert.equal(res.status, 400, what);
    assert.match(res.text, /class="form-message"/, `${what}: says what is wrong`);
  }
  assert.equal((await postForm(agent, '/practice', '/practice', { bankId: new mongoose.Types.ObjectId().toString() })).status, 404, 'unknown bank');
  assert.equal((await agent.get('/practice/not-an-id')).status, 400);
  assert.equal((await agent.get(`/practice/${sessionId}/feedback/abc`)).status, 400);
  assert.equal((await agent.get(`/practice/${sessionId}/feedback/3`)).status, 404, 'feedback before answering');
  const json = await agent
    .post(`/practice/${sessionId}/answers`)
    .set('Accept', 'application/json')
    .set('x-csrf-token', await tokenFor(agent, '/practice'))
    .send({ position: 0, questionId: unknownId });
  assert.equal(json.status, 400);
  assert.ok(json.body.error);
});

function escapeHtml(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&#34;').replaceAll("'", '&#39;');
}

test('a passage of the paper map can be practised: the session holds only questions citing it', async () => {
  const dashboard = await student.get('/progress');
  const form = /<form method="post" action="\/practice" class="pm-practise">([\s\S]*?)<\/form>/.exec(dashboard.text);
  assert.ok(form, 'the dashboard offers to practise a passage');
  const passageId = hidden(form[1]!, 'passageId')!;
  const id = await startSession(student, { passageId, length: hidden(form[1]!, 'length') });
  const session = await PracticeSession.findById(id).lean();
  const questions = await questionsByIds(session!.questionIds.map(String));
  assert.ok(questions.size > 0);
  for (const q of questions.values()) assert.equal(q.definition.source.passageId, passageId);
  const bad = await postForm(student, '/practice', '/practice', { bankId, passageId: 'not a passage' });
  assert.equal(bad.status, 400);
});

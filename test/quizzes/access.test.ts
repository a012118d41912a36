import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { startTestApp, registerAs, tokenFor, type TestApp } from '../helpers/test-app.ts';
import {
  demoInstructor,
  newInstructor,
  createClass,
  joinClass,
  createQuiz,
  startAttempt,
  saveJson,
  submit,
  post,
  questionsOfTypes,
  correctResponse,
  formBody,
  shippedBankId,
} from './helpers.ts';
import { Attempt } from '../../server/quizzes/model.ts';
import { User } from '../../server/accounts/model.ts';
import type { QuestionDefinition } from '../../server/questions/index.ts';

let t: TestApp;
let teacherA: request.Agent;
let teacherB: request.Agent;
let owner: request.Agent;
let classmate: request.Agent;
let outsider: request.Agent;
let quizId: string;
let classA: string;
let attemptId: string;

before(async () => {
  t = await startTestApp({}, { seed: true });
  teacherA = await demoInstructor(t.app);
  teacherB = await newInstructor(t.app, 'Teacher B', 'teacher-b@example.com');
  const a = await createClass(teacherA, 'Class A');
  classA = a.id;
  const b = await createClass(teacherB, 'Class B');
  owner = await registerAs(t.app, 'Owner Student', 'owner@example.com');
  classmate = await registerAs(t.app, 'Classmate', 'classmate@example.com');
  outsider = await registerAs(t.app, 'Outsider', 'outsider@example.com');
  await joinClass(owner, a.code);
  await joinClass(classmate, a.code);
  await joinClass(outsider, b.code);
  const qs = await questionsOfTypes(['mcq', 'short', 'matching']);
  quizId = await createQuiz(teacherA, { title: 'Private quiz', questionIds: qs.map((q) => q.id), attemptsAllowed: 2, classIds: [classA] });
  attemptId = await startAttempt(owner, quizId);
});
after(() => t.close());

async function probe(agent: request.Agent) {
  const token = await tokenFor(agent, '/quizzes/assigned');
  return {
    quiz: (await agent.get(`/quizzes/${quizId}`)).status,
    start: (
      await agent
        .post(`/quizzes/${quizId}/attempts`)
        .type('form')
        .send(formBody({ _csrf: token }))
    ).status,
    attempt: (await agent.get(`/attempts/${attemptId}`)).status,
    slot: (await agent.get(`/attempts/${attemptId}/slots/1`)).status,
    summary: (await agent.get(`/attempts/${attemptId}/summary`)).status,
    save: (await saveJson(agent, token, attemptId, 1, { type: 'mcq', choice: null })).status,
    submit: (await submit(agent, token, attemptId)).status,
    review: (await agent.get(`/attempts/${attemptId}/review`)).status,
  };
}

const denied = (r: Record<string, number>, except: string[] = []) => {
  for (const [k, v] of Object.entries(r)) if (!except.includes(k)) assert.ok(v === 403 || v === 404, `${k} answered ${v}`);
};

test('a student of another class gets 404 on the quiz, the attempt and its review', async () => {
  denied(await probe(outsider));
  assert.doesNotMatch((await outsider.get('/quizzes/assigned')).text, /Private quiz/);
});

test("another student of the same class cannot see or touch someone else's attempt", async () => {
  const r = await probe(classmate);
  assert.equal(r.quiz, 200, 'the quiz itself is theirs too');
  assert.equal(r.start, 303, 'and they may start their own attempt');
  denied(r, ['quiz', 'start']);
  const a = await Attempt.findById(attemptId).lean();
  assert.equal(a!.status, 'in-progress');
  assert.equal(a!.slots[0]!.response, null, 'nothing was saved into it');
});

test('another instructor gets 404 on the quiz, its results and attempts; the owner sees the attempt', async () => {
  denied(await probe(teacherB));
  assert.equal((await teacherB.get(`/quizzes/${quizId}/edit`)).status, 404);
  assert.equal((await post(teacherB, '/quizzes', `/quizzes/${quizId}`, { title: 'Mine now' })).status, 404);
  assert.doesNotMatch((await teacherB.get('/quizzes')).text, /Private quiz/);
  assert.doesNotMatch((await teacherB.get('/classes')).text, /Class A/);
  const assignToOthers = await post(teacherB, '/quizzes/new', '/quizzes', {
    title: 'Into A',
    bankIds: [await shippedBankId()],
    mode: 'pick',
    questionIds: [(await questionsOfTypes(['mcq']))[0]!.id],
    attemptsAllowed: 1,
    gradingMethod: 'highest',
    feedbackTiming: 'immediately',
    reviewShows: 'score',
    classIds: [classA],
  });
  assert.equal(assignToOthers.status, 400);
  assert.match(assignToOthers.text, /only to classes you teach/);
  const results = await teacherA.get(`/quizzes/${quizId}`);
  assert.equal(results.status, 200);
  assert.match(results.text, /Owner Student/);
  assert.equal((await teacherA.get(`/attempts/${attemptId}/review`)).status, 200);
  assert.equal((await teacherA.get(`/attempts/${attemptId}/slots/1`)).status, 404, 'instructors review; they do not answer');
});

test('bad input is a 400 or 404, never a 500', async () => {
  const token = await tokenFor(owner, `/attempts/${attemptId}/slots/1`);
  const forged = await saveJson(owner, token, attemptId, 1, { type: 'mcq', choice: 'zz-not-a-choice' });
  assert.equal(forged.status, 400);
  assert.match(forged.body.error, /not one of this question's choices/);
  assert.equal((await saveJson(owner, token, attemptId, 1, { type: 'short', text: 'x' })).status, 400, 'wrong type');
  assert.equal((await saveJson(owner, token, attemptId, 99, { choice: null })).status, 404);
  assert.equal((await saveJson(owner, token, attemptId, 0, { choice: null })).status, 400);
  assert.equal((await owner.post(`/attempts/${attemptId}/slots/abc`).set('x-csrf-token', token).set('Accept', 'application/json').send({})).status, 400);
  assert.equal((await owner.get('/attempts/nonsense/review')).status, 400);
  assert.equal((await owner.get('/attempts/0123456789abcdef01234567/review')).status, 404);
  assert.equal((await owner.get('/quizzes/0123456789abcdef01234567')).status, 404);
  const longText = await saveJson(owner, token, attemptId, 2, { type: 'short', text: 'x'.repeat(5000) });
  assert.equal(longText.status, 400);
  const formForged = await owner
    .post(`/attempts/${attemptId}/slots/1`)
    .type('form')
    .send(formBody({ _csrf: token, choice: 'zz-not-a-choice', go: 'next' }));
  assert.equal(formForged.status, 400);
  assert.match(formForged.text, /could not be saved/);
  const noToken = await owner.post(`/attempts/${attemptId}/slots/1`).set('Accept', 'application/json').send({ type: 'mcq', choice: null });
  assert.equal(noToken.status, 403);
});

test('without JavaScript: save and next, the navigator, the summary and submit', async () => {
  const a = await Attempt.findById(attemptId).lean();
  const mcq = a!.slots[0]!.definition as QuestionDefinition & { type: 'mcq' };
  const token = await tokenFor(owner, `/attempts/${attemptId}/slots/1`);
  const next = await owner
    .post(`/attempts/${attemptId}/slots/1`)
    .type('form')
    .send(formBody({ _csrf: token, choice: mcq.answer, go: 'next' }));
  assert.equal(next.status, 303);
  assert.equal(next.headers.location, `/attempts/${attemptId}/slots/2`);
  const page2 = await owner.get(next.headers.location!);
  assert.match(page2.text, /Question 2 of 3/);
  assert.match(page2.text, /Save and previous/);
  const jump = await owner
    .post(`/attempts/${attemptId}/slots/2`)
    .type('form')
    .send(formBody({ _csrf: token, text: 'a guess', go: '3' }));
  assert.equal(jump.headers.location, `/attempts/${attemptId}/slots/3`);
  const resume = await owner.get(`/attempts/${attemptId}`);
  assert.equal(resume.headers.location, `/attempts/${attemptId}/slots/3`, 'resuming goes to the first unanswered question');
  const back = await owner.get(`/attempts/${attemptId}/slots/1`);
  assert.match(back.text, new RegExp(`value="${mcq.answer}" checked`), 'the saved answer is shown again');
  const fin = await owner
    .post(`/attempts/${attemptId}/slots/3`)
    .type('form')
    .send(formBody({ _csrf: token, go: 'summary' }));
  assert.equal(fin.headers.location, `/attempts/${attemptId}/summary`);
  const summary = await owner.get(fin.headers.location!);
  assert.match(summary.text, /2 of 3 questions answered/);
  const done = await owner
    .post(`/attempts/${attemptId}/submit`)
    .type('form')
    .send(formBody({ _csrf: token }));
  assert.equal(done.headers.location, `/attempts/${attemptId}/review`);
  const review = await owner.get(`/attempts/${attemptId}/review`);
  assert.match(review.text, /data-testid="review-score">33\.3%/);
  assert.equal((await owner.get(`/attempts/${attemptId}/slots/1`)).headers.location, `/attempts/${attemptId}/review`, 'a submitted attempt cannot be reopened');
  const late = await saveJson(owner, token, attemptId, 1, correctResponse(mcq));
  assert.equal(late.status, 409);
});

test('a student removed from the class keeps their review but cannot start again', async () => {
  const userId = String((await User.findOne({ email: 'owner@example.com' }).lean())!._id);
  assert.equal((await post(teacherA, `/classes/${classA}`, `/classes/${classA}/students/${userId}/remove`)).status, 303);
  assert.equal((await owner.get(`/quizzes/${quizId}`)).status, 404);
  assert.equal((await post(owner, '/quizzes/assigned', `/quizzes/${quizId}/attempts`)).status, 404);
  assert.equal((await owner.get(`/attempts/${attemptId}/review`)).status, 200);
});

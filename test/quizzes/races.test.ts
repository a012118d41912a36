import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { startTestApp, registerAs, loginAs, tokenFor, type TestApp } from '../helpers/test-app.ts';
import { demoInstructor, createClass, joinClass, createQuiz, startAttempt, saveJson, submit, questionsOfTypes, correctResponse, formBody } from './helpers.ts';
import { Attempt } from '../../server/quizzes/model.ts';
import type { QuestionDefinition } from '../../server/questions/index.ts';

let t: TestApp;
let code: string;
let classId: string;
let questionIds: string[];
let n = 0;
let quizId: string;

before(async () => {
  t = await startTestApp({}, { seed: true });
  const teacher = await demoInstructor(t.app);
  ({ id: classId, code } = await createClass(teacher, 'Race class'));
  questionIds = (await questionsOfTypes(['mcq', 'multi', 'truefalse', 'short', 'numeric', 'cloze', 'matching', 'ordering'])).map((q) => q.id);
  const quiz = await createQuiz(teacher, { title: 'Race quiz', questionIds, attemptsAllowed: 1, classIds: [classId] });
  quizId = quiz;
});
after(() => t.close());

async function student(): Promise<{ agent: request.Agent; email: string }> {
  n++;
  const email = `racer-${n}@example.com`;
  const agent = await registerAs(t.app, `Racer ${n}`, email, 'racing password 1');
  await joinClass(agent, code);
  return { agent, email };
}

const defsOf = async (attemptId: string) => (await Attempt.findById(attemptId).lean())!.slots.map((s) => s.definition as QuestionDefinition);

test('two concurrent starts make one attempt, even with one attempt allowed', async () => {
  const { agent } = await student();
  const token = await tokenFor(agent, `/quizzes/${quizId}`);
  const results = await Promise.all(
    Array.from({ length: 4 }, () =>
      agent
        .post(`/quizzes/${quizId}/attempts`)
        .type('form')
        .send(formBody({ _csrf: token })),
    ),
  );
  const targets = new Set(results.map((r) => r.headers.location));
  assert.deepEqual(
    results.map((r) => r.status),
    [303, 303, 303, 303],
  );
  assert.equal(targets.size, 1, `all land on the same attempt: ${[...targets].join(', ')}`);
  assert.equal(await Attempt.countDocuments({ quizId }), 1, 'one attempt in the database');
});

test('concurrent saves of different answers from two tabs lose none', async () => {
  const { agent, email } = await student();
  const attemptId = await startAttempt(agent, quizId);
  const defs = await defsOf(attemptId);
  // Tab two is a second session of the same student (and tab one saves in parallel too).
  const tab2 = await loginAs(t.app, email, 'racing password 1');
  const [t1, t2] = [await tokenFor(agent, `/attempts/${attemptId}/slots/1`), await tokenFor(tab2, `/attempts/${attemptId}/slots/1`)];
  const saves = await Promise.all(defs.map((d, i) => saveJson(i % 2 ? tab2 : agent, i % 2 ? t2 : t1, attemptId, i + 1, correctResponse(d))));
  assert.deepEqual(
    saves.map((s) => s.status),
    defs.map(() => 200),
  );
  assert.ok(saves.every((s) => s.body.saved === true && typeof s.body.savedAt === 'string'));
  const a = await Attempt.findById(attemptId).lean();
  a!.slots.forEach((s, i) => assert.deepEqual(s.response, correctResponse(defs[i]!), `slot ${i + 1} kept`));
  await submit(agent, t1, attemptId);
  assert.equal((await Attempt.findById(attemptId).lean())!.score, 1);
});

test('two concurrent submits grade once; the second just shows the result', async () => {
  const { agent } = await student();
  const attemptId = await startAttempt(agent, quizId);
  const defs = await defsOf(attemptId);
  const token = await tokenFor(agent, `/attempts/${attemptId}/slots/1`);
  await saveJson(agent, token, attemptId, 1, correctResponse(defs[0]!));
  const results = await Promise.all(Array.from({ length: 5 }, () => submit(agent, token, attemptId)));
  assert.deepEqual(
    results.map((r) => r.status),
    [200, 200, 200, 200, 200],
  );
  assert.equal(results.filter((r) => r.body.alreadySubmitted === false).length, 1, 'exactly one submit graded');
  const a = await Attempt.findById(attemptId).lean();
  assert.equal(a!.status, 'submitted');
  assert.ok(Math.abs(a!.score! - 1 / defs.length) < 1e-9);
  assert.equal(a!.marks.length, defs.length);
});

test('a save racing a submit is either refused or graded, never silently lost', async () => {
  for (let round = 0; round < 3; round++) {
    const { agent } = await student();
    const attemptId = await startAttempt(agent, quizId);
    const defs = await defsOf(attemptId);
    const token = await tokenFor(agent, `/attempts/${attemptId}/slots/1`);
    const [save] = await Promise.all([saveJson(agent, token, attemptId, 2, correctResponse(defs[1]!)), submit(agent, token, attemptId)]);
    const a = await Attempt.findById(attemptId).lean();
    assert.equal(a!.status, 'submitted');
    if (save.status === 200) assert.equal(a!.marks[1], 1, 'an accepted save is in the grade');
    else assert.equal(save.status, 409);
  }
});

test('an attempt stored without a revision field (made before revisions existed) is submitted, not spun on', async () => {
  const { agent } = await student();
  const attemptId = await startAttempt(agent, quizId);
  const defs = await defsOf(attemptId);
  const token = await tokenFor(agent, `/attempts/${attemptId}/slots/1`);
  await saveJson(agent, token, attemptId, 1, correctResponse(defs[0]!));
  await Attempt.collection.updateOne({ _id: (await Attempt.findById(attemptId).lean())!._id }, { $unset: { revision: '' } });
  assert.equal((await Attempt.collection.findOne({ _id: (await Attempt.findById(attemptId).lean())!._id }))!.revision, undefined);
  const res = await submit(agent, token, attemptId);
  assert.equal(res.status, 200);
  const a = await Attempt.findById(attemptId).lean();
  assert.equal(a!.status, 'submitted');
  assert.ok(Math.abs(a!.score! - 1 / defs.length) < 1e-9);
});

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
} from './helpers.ts';
import { Attempt, PreviewAttempt, Quiz } from '../../server/quizzes/model.ts';
import type { QuestionDefinition } from '../../server/questions/index.ts';

let t: TestApp;
let teacher: request.Agent;
let student: request.Agent;
let rival: request.Agent;
let classId: string;
let questionIds: string[];

before(async () => {
  t = await startTestApp({}, { seed: true });
  t.setNow(new Date('2030-03-02T10:00:00Z'));
  teacher = await demoInstructor(t.app);
  let code: string;
  ({ id: classId, code } = await createClass(teacher, 'Lifecycle class'));
  student = await registerAs(t.app, 'Life Student', 'life-student@example.com');
  await joinClass(student, code);
  rival = await newInstructor(t.app, 'Life Rival', 'life-rival@example.com');
  questionIds = (await questionsOfTypes(['mcq', 'truefalse'])).map((q) => q.id);
});
after(() => t.close());

test('duplicating a quiz copies its questions and settings into a new quiz of the caller, assigned to no class', async () => {
  const quizId = await createQuiz(teacher, {
    title: 'Original',
    questionIds,
    classIds: [classId],
    timeLimitMinutes: 12,
    attemptsAllowed: 3,
    reviewShows: 'answers',
  });
  const res = await post(teacher, `/quizzes/${quizId}`, `/quizzes/${quizId}/duplicate`);
  assert.equal(res.status, 303);
  const copyId = /^\/quizzes\/([a-f0-9]{24})\/edit$/.exec(res.headers.location!)![1]!;
  assert.notEqual(copyId, quizId);
  const [orig, copy] = await Promise.all([Quiz.findById(quizId).lean(), Quiz.findById(copyId).lean()]);
  assert.equal(copy!.title, 'Copy of Original');
  assert.deepEqual(copy!.selection!.questionIds.map(String), orig!.selection!.questionIds.map(String));
  assert.equal(copy!.settings!.timeLimitMinutes, 12);
  assert.equal(copy!.settings!.attemptsAllowed, 3);
  assert.equal(copy!.settings!.reviewShows, 'answers');
  assert.deepEqual(copy!.classIds, []);
  assert.doesNotMatch((await student.get('/quizzes/assigned')).text, /Copy of Original/);
  assert.equal((await teacher.get(`/quizzes/${copyId}/edit`)).status, 200);
});

test('a quiz nobody attempted can be deleted (previews go with it); one with attempts cannot', async () => {
  const quizId = await createQuiz(teacher, { title: 'Short-lived', questionIds, classIds: [classId] });
  await post(teacher, `/quizzes/${quizId}`, `/quizzes/${quizId}/preview`);
  assert.equal(await PreviewAttempt.countDocuments({ quizId }), 1);
  const owner = await teacher.get(`/quizzes/${quizId}`);
  assert.match(owner.text, /action="\/quizzes\/[a-f0-9]{24}\/delete"/);
  const res = await post(teacher, `/quizzes/${quizId}`, `/quizzes/${quizId}/delete`);
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, '/quizzes');
  assert.equal(await Quiz.countDocuments({ _id: quizId }), 0);
  assert.equal(await PreviewAttempt.countDocuments({ quizId }), 0);
  assert.equal((await teacher.get(`/quizzes/${quizId}`)).status, 404);

  const kept = await createQuiz(teacher, { title: 'Attempted', questionIds, classIds: [classId] });
  await startAttempt(student, kept);
  const refused = await post(teacher, `/quizzes/${kept}`, `/quizzes/${kept}/delete`);
  assert.equal(refused.status, 303);
  assert.match((await teacher.get(`/quizzes/${kept}`)).text, /cannot be deleted; archive it instead/);
  assert.equal(await Quiz.countDocuments({ _id: kept }), 1);
  const json = await teacher
    .post(`/quizzes/${kept}/delete`)
    .set('x-csrf-token', await tokenFor(teacher, `/quizzes/${kept}`))
    .set('Accept', 'application/json')
    .send({});
  assert.equal(json.status, 409);
});

test('archiving hides a quiz from its students (list, page, class, start, review) but keeps it in the results and gradebook; restoring brings it back', async () => {
  const quizId = await createQuiz(teacher, { title: 'Archivable', questionIds, classIds: [classId], attemptsAllowed: 2 });
  const first = await startAttempt(student, quizId);
  const token = await tokenFor(student, `/attempts/${first}/slots/1`);
  const def = (await Attempt.findById(first).lean())!.slots[0]!.definition as QuestionDefinition;
  assert.equal((await saveJson(student, token, first, 1, correctResponse(def))).status, 200);
  assert.equal((await submit(student, token, first)).status, 200);
  const second = await startAttempt(student, quizId);
  assert.equal((await saveJson(student, token, second, 1, correctResponse(def))).status, 200);

  assert.match((await teacher.get(`/quizzes/${quizId}`)).text, /action="\/quizzes\/[a-f0-9]{24}\/archive"/);
  const res = await post(teacher, `/quizzes/${quizId}`, `/quizzes/${quizId}/archive`);
  assert.equal(res.status, 303);
  const owner = await teacher.get(`/quizzes/${quizId}`);
  assert.match(owner.text, /1 attempt in progress was submitted/);
  assert.match(owner.text, /data-testid="archived-note"/);
  assert.match(owner.text, /Attempt 2<\/a>: 50%.*submitted when the quiz was archived/);
  const a2 = await Attempt.findById(second).lean();
  assert.equal(a2!.status, 'submitted');
  assert.equal(a2!.submittedBy, 'archived');
  assert.equal((await saveJson(student, token, second, 2, { type: 'truefalse', value: true })).status, 409);

  assert.doesNotMatch((await student.get('/quizzes/assigned')).text, /Archivable/);
  assert.equal((await student.get(`/quizzes/${quizId}`)).status, 404);
  assert.doesNotMatch((await student.get(`/classes/${classId}`)).text, /Archivable/);
  assert.equal((await post(student, '/quizzes/assigned', `/quizzes/${quizId}/attempts`)).status, 404);
  assert.equal((await student.get(`/attempts/${first}/review`)).status, 404);

  const gradebook = await teacher.get(`/classes/${classId}/gradebook`);
  assert.match(gradebook.text, /Archivable<\/a>\s*<span class="gb-meta" data-testid="gb-archived">archived/);
  assert.match((await teacher.get('/quizzes')).text, /data-testid="archived-quizzes"[\s\S]*Archivable/);
  assert.match((await teacher.get(`/attempts/${first}/review`)).text, /Student: <strong>Life Student/);

  assert.equal((await post(teacher, `/quizzes/${quizId}`, `/quizzes/${quizId}/restore`)).status, 303);
  assert.match((await student.get('/quizzes/assigned')).text, /Archivable/);
  assert.equal((await student.get(`/attempts/${first}/review`)).status, 200);
  assert.doesNotMatch((await teacher.get(`/quizzes/${quizId}`)).text, /data-testid="archived-note"/);
});

test('only the quiz owner may duplicate, delete, archive or restore it', async () => {
  const quizId = await createQuiz(teacher, { title: 'Guarded', questionIds, classIds: [classId] });
  for (const action of ['duplicate', 'delete', 'archive', 'restore']) {
    assert.equal((await post(student, '/quizzes/assigned', `/quizzes/${quizId}/${action}`)).status, 403, `student ${action}`);
    assert.equal((await post(rival, '/quizzes', `/quizzes/${quizId}/${action}`)).status, 404, `rival ${action}`);
    assert.equal((await post(rival, '/quizzes', `/quizzes/xyz/${action}`)).status, 400, `bad id ${action}`);
  }
  const q = await Quiz.findById(quizId).lean();
  assert.equal(q!.archivedAt, null);
  assert.equal(await Quiz.countDocuments({ title: 'Copy of Guarded' }), 0);
  const noToken = await teacher.post(`/quizzes/${quizId}/delete`).type('form').send({});
  assert.equal(noToken.status, 403, 'CSRF');
  assert.equal(await Quiz.countDocuments({ _id: quizId }), 1);
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { startTestApp, registerAs, tokenFor, postForm, addTopics, type TestApp } from '../helpers/test-app.ts';
import {
  demoInstructor,
  newInstructor,
  createClass,
  joinClass,
  createQuiz,
  saveJson,
  submit,
  post,
  questionsOfTypes,
  correctResponse,
  wrongResponse,
  privateCopyOfShipped,
} from './helpers.ts';
import { shippedSourceId } from '../../server/banks/index.ts';
import { Attempt, PreviewAttempt } from '../../server/quizzes/model.ts';
import { GRACE_MS } from '../../server/quizzes/attempt-state.ts';
import type { QuestionDefinition } from '../../server/questions/index.ts';

let t: TestApp;
let teacher: request.Agent;
let student: request.Agent;
let classId: string;
const T0 = new Date('2030-02-04T10:00:00Z');
const MIN = 60_000;

before(async () => {
  t = await startTestApp({}, { seed: true });
  t.setNow(T0);
  teacher = await demoInstructor(t.app);
  let code: string;
  ({ id: classId, code } = await createClass(teacher, 'Preview class'));
  student = await registerAs(t.app, 'Preview Student', 'preview-student@example.com');
  await joinClass(student, code);
});
after(() => t.close());

async function startPreview(agent: request.Agent, quizId: string): Promise<request.Response> {
  return post(agent, `/quizzes/${quizId}`, `/quizzes/${quizId}/preview`);
}

const previewId = (res: request.Response) => /^\/attempts\/([a-f0-9]{24})$/.exec(res.headers.location ?? '')?.[1];

test('an instructor previews a quiz as a student: questions, timer and the review the settings allow; no attempt, result, statistic or gradebook cell comes of it', async () => {
  // A review that hides keys needs a bank the students may not practise: a private copy.
  const bankId = await privateCopyOfShipped(teacher);
  const [mcq, tf] = await questionsOfTypes(['mcq', 'truefalse'], bankId);
  const quizId = await createQuiz(teacher, {
    title: 'Previewed quiz',
    bankIds: [bankId],
    questionIds: [mcq!.id, tf!.id],
    classIds: [classId],
    timeLimitMinutes: 15,
    reviewShows: 'correctness',
  });
  const gradebook = async () => /<table class="data gradebook"[\s\S]*?<\/table>/.exec((await teacher.get(`/classes/${classId}/gradebook`)).text)?.[0];
  const gradebookBefore = await gradebook();
  assert.ok(gradebookBefore);

  const res = await startPreview(teacher, quizId);
  assert.equal(res.status, 303);
  const id = previewId(res);
  assert.ok(id, `went to ${res.headers.location}`);
  const page = await teacher.get(`/attempts/${id}/slots/1`);
  assert.equal(page.status, 200);
  assert.match(page.text, /data-testid="preview-banner"/);
  assert.match(page.text, /Question 1 of 2/);
  assert.match(page.text, /data-deadline="2030-02-04T10:15:00.000Z"/, 'the 15-minute timer');

  const token = await tokenFor(teacher, `/attempts/${id}/slots/1`);
  const p = await PreviewAttempt.findById(id).lean();
  const defs = p!.slots.map((s) => s.definition as QuestionDefinition);
  assert.equal((await saveJson(teacher, token, id!, 1, correctResponse(defs[0]!))).status, 200);
  assert.equal((await saveJson(teacher, token, id!, 2, wrongResponse(defs[1]!))).status, 200);
  assert.equal((await submit(teacher, token, id!)).status, 200);

  const review = await teacher.get(`/attempts/${id}/review`);
  assert.equal(review.status, 200);
  assert.match(review.text, /data-testid="preview-banner"/);
  assert.match(review.text, /data-testid="review-score">50%/);
  assert.match(review.text, /Right/);
  // reviewShows 'correctness': the student's review, and so the preview, has no answer key.
  assert.doesNotMatch(review.text, /feedback-key/);

  assert.equal(await Attempt.countDocuments({ quizId }), 0, 'no attempt is recorded');
  const owner = await teacher.get(`/quizzes/${quizId}`);
  assert.doesNotMatch(owner.text, /Attempt 1/);
  const stats = await teacher.get(`/quizzes/${quizId}/statistics`);
  assert.match(stats.text, /data-testid="first-attempts">0</);
  assert.equal(await gradebook(), gradebookBefore);

  // A second preview starts afresh and discards the first.
  const again = previewId(await startPreview(teacher, quizId));
  assert.notEqual(again, id);
  assert.equal(await PreviewAttempt.countDocuments({ quizId }), 1);
});

test('a preview keeps the time limit: an answer just inside the grace is saved, one just past it is refused', async () => {
  const [mcq] = await questionsOfTypes(['mcq']);
  const quizId = await createQuiz(teacher, { title: 'Timed preview', questionIds: [mcq!.id], timeLimitMinutes: 10 });
  t.setNow(T0);
  const id = previewId(await startPreview(teacher, quizId))!;
  const token = await tokenFor(teacher, `/attempts/${id}/slots/1`);
  const def = (await PreviewAttempt.findById(id).lean())!.slots[0]!.definition as QuestionDefinition;
  t.setNow(new Date(T0.getTime() + 10 * MIN + GRACE_MS));
  assert.equal((await saveJson(teacher, token, id, 1, correctResponse(def))).status, 200);
  t.setNow(new Date(T0.getTime() + 10 * MIN + GRACE_MS + 1));
  assert.equal((await saveJson(teacher, token, id, 1, wrongResponse(def))).status, 409);
  const p = await PreviewAttempt.findById(id).lean();
  assert.equal(p!.status, 'submitted');
  assert.equal(p!.score, 1);
  t.setNow(T0);
});

test('a preview shows the review as the timing setting holds it back from students', async () => {
  const [mcq] = await questionsOfTypes(['mcq']);
  const quizId = await createQuiz(teacher, { title: 'Later review', questionIds: [mcq!.id], feedbackTiming: 'after-due', dueAt: '2030-03-01T09:00' });
  const id = previewId(await startPreview(teacher, quizId))!;
  const token = await tokenFor(teacher, `/attempts/${id}/summary`);
  assert.equal((await submit(teacher, token, id)).status, 200);
  const review = await teacher.get(`/attempts/${id}/review`);
  assert.match(review.text, /data-testid="review-waiting">Results are shown after the due date/);
  assert.doesNotMatch(review.text, /review-score/);
});

test('only the quiz owner may preview it, and only they may open the preview', async () => {
  const [mcq] = await questionsOfTypes(['mcq']);
  const quizId = await createQuiz(teacher, { title: 'Private preview', questionIds: [mcq!.id], classIds: [classId] });
  assert.equal((await post(student, '/quizzes/assigned', `/quizzes/${quizId}/preview`)).status, 403);
  const rival = await newInstructor(t.app, 'Rival', 'preview-rival@example.com');
  assert.equal((await post(rival, '/quizzes', `/quizzes/${quizId}/preview`)).status, 404);
  assert.equal((await post(rival, '/quizzes', `/quizzes/not-an-id/preview`)).status, 400);
  const id = previewId(await startPreview(teacher, quizId))!;
  assert.equal((await student.get(`/attempts/${id}/slots/1`)).status, 404);
  assert.equal((await rival.get(`/attempts/${id}/review`)).status, 404);
  const token = await tokenFor(student, '/quizzes/assigned');
  assert.equal((await saveJson(student, token, id, 1, { type: 'mcq', choice: 'a' })).status, 404);
  assert.equal(await PreviewAttempt.countDocuments({ quizId, status: 'submitted' }), 0);
});

test('the bank editor previews a question as learners see it and grades an answer to it without recording anything', async () => {
  const bank = await postForm(teacher, '/banks', '/banks', { title: 'Preview bank', description: 'x', sourceId: (await shippedSourceId())! });
  const bankId = /\/banks\/([a-f0-9]{24})$/.exec(bank.headers.location!)![1]!;
  await addTopics(teacher, bankId, ['Dates events']);
  const created = await postForm(teacher, `/banks/${bankId}/questions/new`, `/banks/${bankId}/questions`, {
    type: 'mcq',
    prompt: 'According to the paper, what happened in August 2007?',
    topics: ['dates-events'],
    difficulty: 'easy',
    passageId: 'intro-1',
    quote: 'In August 2007, the Shanghai Cooperation Organisation (SCO) captured world attention through two actions.',
    explanation: 'The paper opens with the events of August 2007.',
    choices: 'June 2001\n*August 2007\nMid-2005',
  });
  assert.equal(created.status, 302, created.text.slice(0, 400));
  const edit = created.headers.location!;
  const preview = edit.replace(/\/edit$/, '/preview');
  assert.match((await teacher.get(edit)).text, new RegExp(`href="${preview}"`));
  const page = await teacher.get(preview);
  assert.equal(page.status, 200);
  assert.match(page.text, /what happened in August 2007\?/);
  assert.match(page.text, /type="radio"/);
  assert.doesNotMatch(page.text, /feedback-key|The paper opens with/, 'no key or explanation before answering');
  const choice = /name="choice" value="([^"]+)"/g;
  const ids = [...page.text.matchAll(choice)].map((m) => m[1]!);
  assert.equal(ids.length, 3);
  const graded = await postForm(teacher, preview, preview, { choice: ids[0] });
  assert.equal(graded.status, 200);
  assert.match(graded.text, /feedback-incorrect/);
  assert.match(graded.text, /August 2007/);
  assert.match(graded.text, /The paper opens with the events of August 2007/);
  const bad = await postForm(teacher, preview, preview, { choice: 'no-such-choice' });
  assert.equal(bad.status, 400);

  assert.equal((await student.get(preview)).status, 403);
  const rival = await newInstructor(t.app, 'Rival 2', 'preview-rival2@example.com');
  assert.equal((await rival.get(preview)).status, 403, 'not their bank, as for its edit page');
});

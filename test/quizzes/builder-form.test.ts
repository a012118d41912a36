import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { newInstructor, post, shippedBankId } from './helpers.ts';
import { findQuestions, type StoredQuestion } from '../../server/banks/service.ts';
import { Quiz } from '../../server/quizzes/model.ts';

let t: TestApp;
let teacher: request.Agent;
let bankId: string;
let questions: StoredQuestion[];

before(async () => {
  t = await startTestApp({}, { seed: true });
  teacher = await newInstructor(t.app, 'Bea Builder', 'bea@example.com');
  bankId = await shippedBankId();
  questions = await findQuestions(bankId);
});
after(() => t.close());

const SETTINGS = { attemptsAllowed: 1, gradingMethod: 'highest', feedbackTiming: 'immediately', reviewShows: 'explanations' };
const listed = (html: string) => [...html.matchAll(/id="pq-([a-f0-9]{24})"/g)].map((m) => m[1]!);
const errorsOf = (html: string) => [...html.matchAll(/class="field-error"[^>]*>([^<]*)</g)].map((m) => m[1]!);

test('the topic filter lists its topic and keeps the title, mode and rules already typed', async () => {
  const topic = questions[0]!.definition.topics[0]!;
  const res = await post(teacher, '/quizzes/new', '/quizzes', {
    refresh: '1',
    title: 'Half-typed quiz',
    bankIds: [bankId],
    filterTopics: [topic],
    mode: 'rules',
    rule0_count: 3,
    ...SETTINGS,
    timeLimitMinutes: '25',
  });
  assert.equal(res.status, 200);
  assert.match(res.text, /name="title"[^>]*value="Half-typed quiz"/);
  assert.match(res.text, /id="mode-rules" name="mode" value="rules" checked/);
  assert.match(res.text, /name="rule0_count" value="3"/);
  assert.match(res.text, /name="timeLimitMinutes" value="25"/);
  assert.match(res.text, new RegExp(`id="ft-${topic}" name="filterTopics" value="${topic}" checked`));
  const expected = questions.filter((q) => q.definition.topics.includes(topic)).map((q) => q.id);
  assert.deepEqual(listed(res.text).sort(), expected.sort());
  assert.equal(await Quiz.countDocuments({ title: 'Half-typed quiz' }), 0, 'refreshing the list saves nothing');
});

test('the pick list is searched by text and filtered by type on the server; ticked questions outside the filter stay ticked', async () => {
  const tf = questions.filter((q) => q.definition.type === 'truefalse');
  const word = tf[0]!.definition.prompt
    .split(/\s+/)
    .find((w) => w.length > 6)!
    .toLowerCase();
  const byType = await teacher.get(`/quizzes/new?type=truefalse`);
  assert.deepEqual(listed(byType.text).sort(), tf.map((q) => q.id).sort());
  assert.match(byType.text, /<option value="truefalse" selected>/);
  const both = await teacher.get(`/quizzes/new?type=truefalse&q=${encodeURIComponent(word.toUpperCase())}`);
  const expected = tf.filter((q) => `${q.key} ${q.definition.prompt}`.toLowerCase().includes(word)).map((q) => q.id);
  assert.ok(expected.length >= 1 && expected.length < tf.length, 'the word narrows the list');
  assert.deepEqual(listed(both.text).sort(), expected.sort());
  assert.match(both.text, /name="filterText" maxlength="100" value="/);

  const mcq = questions.find((q) => q.definition.type === 'mcq')!;
  const refreshed = await post(teacher, '/quizzes/new', '/quizzes', {
    refresh: '1',
    title: 'Kept ticks',
    bankIds: [bankId],
    mode: 'pick',
    questionIds: [mcq.id],
    filterType: 'truefalse',
    ...SETTINGS,
  });
  assert.equal(refreshed.status, 200);
  assert.ok(!listed(refreshed.text).includes(mcq.id));
  assert.match(refreshed.text, new RegExp(`<input type="hidden" name="questionIds" value="${mcq.id}">`));
  assert.match(refreshed.text, /1 ticked question this filter does not list stays in the quiz/);
  const created = await post(teacher, '/quizzes/new', '/quizzes', {
    title: 'Kept ticks',
    bankIds: [bankId],
    mode: 'pick',
    questionIds: [mcq.id, tf[0]!.id],
    filterType: 'truefalse',
    ...SETTINGS,
  });
  assert.equal(created.status, 303);
  const quiz = (await Quiz.findOne({ title: 'Kept ticks' }).lean())!;
  assert.deepEqual(quiz.selection!.questionIds.map(String).sort(), [mcq.id, tf[0]!.id].sort());
  // Bad filter values are ignored, not an error.
  assert.equal((await teacher.get('/quizzes/new?type=essay&q=' + 'x'.repeat(300))).status, 200);
});

test('every error of the builder comes in one round', async () => {
  const res = await post(teacher, '/quizzes/new', '/quizzes', {
    title: '  ',
    bankIds: [bankId],
    mode: 'pick',
    timeLimitMinutes: 'soon',
    opensAt: '2030-01-08T10:00',
    closesAt: '2030-01-07T10:00',
    ...SETTINGS,
  });
  assert.equal(res.status, 400);
  const errors = errorsOf(res.text);
  for (const m of [
    'Give the quiz a title.',
    'A time limit from 1 to 600 minutes',
    'Tick at least one question.',
    'The closing time must come after the opening time.',
  ]) {
    assert.ok(
      errors.some((e) => e.includes(m)),
      `${m} in ${JSON.stringify(errors)}`,
    );
  }
  const rules = await post(teacher, '/quizzes/new', '/quizzes', {
    title: '',
    bankIds: [bankId],
    mode: 'rules',
    rule0_count: 200,
    rule0_topics: ['analogies'],
    passMark: '150',
    ...SETTINGS,
  });
  assert.equal(rules.status, 400);
  const ruleErrors = errorsOf(rules.text);
  for (const m of ['Give the quiz a title.', 'too few for this rule', 'A pass mark from 0 to 100']) {
    assert.ok(
      ruleErrors.some((e) => e.includes(m)),
      `${m} in ${JSON.stringify(ruleErrors)}`,
    );
  }
  const noBank = await post(teacher, '/quizzes/new', '/quizzes', { title: '', mode: 'pick', ...SETTINGS });
  assert.equal(noBank.status, 400);
  assert.ok(errorsOf(noBank.text).some((e) => e.includes('Choose at least one question bank.')));
  assert.ok(errorsOf(noBank.text).some((e) => e.includes('Give the quiz a title.')));
});

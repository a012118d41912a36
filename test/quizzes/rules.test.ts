import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { startTestApp, registerAs, tokenFor, type TestApp } from '../helpers/test-app.ts';
import {
  demoInstructor,
  createClass,
  joinClass,
  createQuiz,
  startAttempt,
  saveJson,
  submit,
  post,
  questionsOfTypes,
  correctResponse,
  wrongResponse,
  shippedBankId,
} from './helpers.ts';
import { Attempt } from '../../server/quizzes/model.ts';
import { Question } from '../../server/banks/model.ts';
import { findQuestions } from '../../server/banks/service.ts';
import type { QuestionDefinition } from '../../server/questions/index.ts';

let t: TestApp;
let teacher: request.Agent;
let classId: string;
let code: string;
let students = 0;
const T0 = new Date('2030-01-07T10:00:00Z');
const plus = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;

before(async () => {
  t = await startTestApp({}, { seed: true });
  t.setNow(T0);
  teacher = await demoInstructor(t.app);
  ({ id: classId, code } = await createClass(teacher, 'Rules class'));
});
after(() => t.close());

async function newStudent(): Promise<request.Agent> {
  students++;
  const s = await registerAs(t.app, `Student ${students}`, `rules-${students}@example.com`);
  await joinClass(s, code);
  return s;
}

/** Three questions (mcq, truefalse, mcq) that tests answer right or wrong. */
async function threeQuestions() {
  const all = await findQuestions(await shippedBankId());
  const mcqs = all.filter((q) => q.definition.type === 'mcq');
  const [tf] = await questionsOfTypes(['truefalse']);
  return [mcqs[0]!, tf!, mcqs[1]!];
}

/** Answers the attempt's slots: `right` of them correctly (in slot order), the rest wrongly. */
async function answer(agent: request.Agent, attemptId: string, right: number) {
  const token = await tokenFor(agent, `/attempts/${attemptId}/slots/1`);
  const a = await Attempt.findById(attemptId).lean();
  for (let i = 0; i < a!.slots.length; i++) {
    const def = a!.slots[i]!.definition as QuestionDefinition;
    const res = await saveJson(agent, token, attemptId, i + 1, i < right ? correctResponse(def) : wrongResponse(def));
    assert.equal(res.status, 200, res.text);
  }
  return token;
}

test('the builder lists the shipped bank; students may not build; bad quizzes are refused with messages', async () => {
  const page = await teacher.get('/quizzes/new');
  assert.equal(page.status, 200);
  assert.match(page.text, /sco-001/);
  const student = await newStudent();
  assert.equal((await student.get('/quizzes/new')).status, 403);
  assert.equal((await post(student, '/quizzes/assigned', '/quizzes', { title: 'x' })).status, 403);

  const none = await post(teacher, '/quizzes/new', '/quizzes', {
    title: 'Empty',
    bankIds: [await shippedBankId()],
    mode: 'pick',
    attemptsAllowed: 1,
    gradingMethod: 'highest',
    feedbackTiming: 'immediately',
    reviewShows: 'score',
  });
  assert.equal(none.status, 400);
  assert.match(none.text, /Tick at least one question/);
  const tooMany = await post(teacher, '/quizzes/new', '/quizzes', {
    title: 'Greedy',
    bankIds: [await shippedBankId()],
    mode: 'rules',
    rule0_count: 200,
    rule0_topics: ['analogies'],
    attemptsAllowed: 1,
    gradingMethod: 'highest',
    feedbackTiming: 'immediately',
    reviewShows: 'score',
  });
  assert.equal(tooMany.status, 400);
  assert.match(tooMany.text, /too few for this rule/);
  const dates = await post(teacher, '/quizzes/new', '/quizzes', {
    title: 'Backwards',
    bankIds: [await shippedBankId()],
    mode: 'pick',
    questionIds: [(await threeQuestions())[0]!.id],
    opensAt: '2030-01-08T10:00',
    closesAt: '2030-01-07T10:00',
    attemptsAllowed: 1,
    gradingMethod: 'highest',
    feedbackTiming: 'immediately',
    reviewShows: 'score',
  });
  assert.equal(dates.status, 400);
  assert.match(dates.text, /closing time must come after the opening time/);
});

test('rules draw per student: the counts come from the named topics', async () => {
  const quizId = await createQuiz(teacher, {
    title: 'Drawn',
    mode: 'rules',
    rule0_count: 4,
    rule0_topics: ['dates-events', 'members'],
    rule1_count: 2,
    rule1_topics: ['energy'],
    classIds: [classId],
  });
  const draws: string[][] = [];
  for (let i = 0; i < 3; i++) {
    const s = await newStudent();
    const attemptId = await startAttempt(s, quizId);
    const a = await Attempt.findById(attemptId).lean();
    assert.equal(a!.slots.length, 6);
    const topics = a!.slots.map((x) => (x.definition as QuestionDefinition).topics);
    assert.ok(topics.slice(0, 4).every((ts) => ts.includes('dates-events') || ts.includes('members')));
    assert.ok(topics.slice(4).every((ts) => ts.includes('energy')));
    draws.push(a!.slots.map((x) => x.key));
  }
  assert.ok(new Set(draws.map((d) => d.join())).size > 1, 'students get their own draws');
});

test('the attempt limit: a third attempt is refused when two are allowed', async () => {
  const quizId = await createQuiz(teacher, {
    title: 'Two tries',
    questionIds: (await threeQuestions()).map((q) => q.id),
    attemptsAllowed: 2,
    classIds: [classId],
  });
  const s = await newStudent();
  for (let i = 0; i < 2; i++) {
    const id = await startAttempt(s, quizId);
    const token = await tokenFor(s, `/quizzes/${quizId}`);
    assert.equal((await submit(s, token, id)).status, 200);
  }
  const third = await post(s, `/quizzes/${quizId}`, `/quizzes/${quizId}/attempts`);
  assert.equal(third.status, 303);
  assert.equal(third.headers.location, `/quizzes/${quizId}`, 'sent back to the quiz page');
  const page = await s.get(`/quizzes/${quizId}`);
  assert.match(page.text, /You have used all 2 attempts/);
  const token = await tokenFor(s, `/quizzes/${quizId}`);
  const json = await s.post(`/quizzes/${quizId}/attempts`).set('x-csrf-token', token).set('Accept', 'application/json').send({});
  assert.equal(json.status, 409);
  assert.equal(await Attempt.countDocuments({ quizId }), 2);
});

test('a quiz is refused before it opens and after it closes', async () => {
  const quizId = await createQuiz(teacher, {
    title: 'Windowed',
    questionIds: [(await threeQuestions())[0]!.id],
    opensAt: '2030-01-07T12:00',
    closesAt: '2030-01-07T14:00',
    classIds: [classId],
  });
  const s = await newStudent();
  const early = await s.get('/quizzes/assigned');
  assert.match(early.text, /Not open yet/);
  assert.equal((await post(s, `/quizzes/${quizId}`, `/quizzes/${quizId}/attempts`)).headers.location, `/quizzes/${quizId}`);
  assert.match((await s.get(`/quizzes/${quizId}`)).text, /This quiz is not open yet/);
  t.setNow(new Date('2030-01-07T14:00:00Z'));
  try {
    assert.equal((await post(s, `/quizzes/${quizId}`, `/quizzes/${quizId}/attempts`)).headers.location, `/quizzes/${quizId}`);
    assert.match((await s.get(`/quizzes/${quizId}`)).text, /This quiz has closed/);
    assert.match((await s.get('/quizzes/assigned')).text, />Closed</);
    assert.equal(await Attempt.countDocuments({ quizId }), 0);
    t.setNow(new Date('2030-01-07T13:00:00Z'));
    await startAttempt(s, quizId);
  } finally {
    t.setNow(T0);
  }
});

test('the time limit is kept by the server: answers after the deadline and grace are refused; the attempt is submitted with what was saved', async () => {
  const quizId = await createQuiz(teacher, {
    title: 'Timed',
    questionIds: (await threeQuestions()).map((q) => q.id),
    timeLimitMinutes: 10,
    classIds: [classId],
  });
  const s = await newStudent();
  try {
    const attemptId = await startAttempt(s, quizId);
    const a = await Attempt.findById(attemptId).lean();
    assert.deepEqual(a!.deadline, plus(10 * MIN));
    const defs = a!.slots.map((x) => x.definition as QuestionDefinition);
    const token = await tokenFor(s, `/attempts/${attemptId}/slots/1`);
    t.setNow(plus(5 * MIN));
    assert.equal((await saveJson(s, token, attemptId, 1, correctResponse(defs[0]!))).status, 200);
    t.setNow(plus(10 * MIN + 4_000));
    assert.equal((await saveJson(s, token, attemptId, 2, correctResponse(defs[1]!))).status, 200, 'within the grace');
    t.setNow(plus(10 * MIN + 6_000));
    const late = await saveJson(s, token, attemptId, 3, correctResponse(defs[2]!));
    assert.equal(late.status, 409);
    assert.match(late.body.error, /Time is up/);
    const done = await Attempt.findById(attemptId).lean();
    assert.equal(done!.status, 'submitted');
    assert.equal(done!.submittedBy, 'deadline');
    assert.ok(Math.abs(done!.score! - 2 / 3) < 1e-9, 'graded with the two answers saved in time');
    assert.equal(done!.slots[2]!.response, null);
    const page = await s.get(`/attempts/${attemptId}/slots/1`);
    assert.equal(page.status, 303);
    assert.equal(page.headers.location, `/attempts/${attemptId}/review`);
  } finally {
    t.setNow(T0);
  }
});

test('an attempt left open past its deadline is submitted when the list page is next viewed', async () => {
  const quizId = await createQuiz(teacher, {
    title: 'Abandoned',
    questionIds: (await threeQuestions()).map((q) => q.id),
    timeLimitMinutes: 5,
    classIds: [classId],
  });
  const s = await newStudent();
  try {
    const attemptId = await startAttempt(s, quizId);
    await answer(s, attemptId, 1);
    t.setNow(plus(60 * MIN));
    const list = await s.get('/quizzes/assigned');
    const row = new RegExp(`data-quiz="${quizId}"[\\s\\S]*?</tr>`).exec(list.text)![0];
    assert.match(row, />Submitted</);
    assert.match(row, /33\.3%/);
    const a = await Attempt.findById(attemptId).lean();
    assert.equal(a!.status, 'submitted');
    assert.deepEqual(a!.submittedAt, plus(5 * MIN), 'submitted as of its deadline');
  } finally {
    t.setNow(T0);
  }
});

test('grading methods: highest, last, first and average of three attempts', async () => {
  const qs = await threeQuestions();
  const fields = { title: 'Graded', questionIds: qs.map((q) => q.id), attemptsAllowed: 3, classIds: [classId] };
  const quizId = await createQuiz(teacher, fields);
  const s = await newStudent();
  const name = `Student ${students}`;
  for (const right of [1, 3, 0]) {
    const id = await startAttempt(s, quizId);
    const token = await answer(s, id, right);
    assert.equal((await submit(s, token, id)).status, 200);
  }
  const expected = { highest: '100%', last: '0%', first: '33.3%', average: '44.4%' } as const;
  for (const [method, grade] of Object.entries(expected)) {
    const saved = await post(teacher, `/quizzes/${quizId}/edit`, `/quizzes/${quizId}`, {
      ...fields,
      bankIds: [await shippedBankId()],
      mode: 'pick',
      gradingMethod: method,
      feedbackTiming: 'immediately',
      reviewShows: 'explanations',
    });
    assert.equal(saved.status, 303);
    const results = await teacher.get(`/quizzes/${quizId}`);
    const row = new RegExp(`>${name}</th>[\\s\\S]*?</tr>`).exec(results.text)![0];
    const cell = /data-testid="grade">([^<(]*)/.exec(row)![1]!.trim();
    assert.equal(cell, grade, method);
    const mine = await s.get(`/quizzes/${quizId}`);
    assert.equal(/data-testid="grade">([^<]*)/.exec(mine.text)![1], grade, `the student sees the same ${method} grade`);
  }
});

test('freezing: editing a question mid-attempt does not change the attempt, which grades against its own version', async () => {
  const [q] = await threeQuestions();
  const quizId = await createQuiz(teacher, { title: 'Frozen', questionIds: [q!.id], attemptsAllowed: 2, classIds: [classId] });
  const s = await newStudent();
  const attemptId = await startAttempt(s, quizId);
  const old = q!.definition as Extract<QuestionDefinition, { type: 'mcq' }>;
  const other = old.choices.find((c) => c.id !== old.answer)!.id;
  const edited = { ...old, prompt: 'EDITED PROMPT after the attempt began?', answer: other };
  await Question.updateOne({ _id: q!.id }, { $set: { definition: edited }, $inc: { version: 1 } });

  const page = await s.get(`/attempts/${attemptId}/slots/1`);
  assert.ok(page.text.includes(old.prompt.replace(/'/g, '&#39;').replace(/"/g, '&#34;')) || page.text.includes(old.prompt), 'the old prompt is shown');
  assert.ok(!page.text.includes('EDITED PROMPT'));
  const token = await tokenFor(s, `/attempts/${attemptId}/slots/1`);
  assert.equal((await saveJson(s, token, attemptId, 1, { type: 'mcq', choice: old.answer })).status, 200);
  await submit(s, token, attemptId);
  const a = await Attempt.findById(attemptId).lean();
  assert.equal(a!.score, 1, 'graded by the frozen key');
  assert.equal(a!.slots[0]!.version, q!.version);

  const second = await startAttempt(s, quizId);
  const b = await Attempt.findById(second).lean();
  assert.equal(b!.slots[0]!.version, q!.version + 1, 'a new attempt gets the new version');
  assert.ok((await s.get(`/attempts/${second}/slots/1`)).text.includes('EDITED PROMPT'));
  await Question.updateOne({ _id: q!.id }, { $set: { definition: old, version: q!.version } });
});

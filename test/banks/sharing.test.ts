/**
 * Students study what their instructor shares: a bank shared with a class is in its students'
 * Practise and Flashcards; a bank not shared stays private on every practice and flashcard route
 * that takes a bank; and the answer-key rule holds both ways (studentsMayPractise).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { startTestApp, registerAs, postForm, addTopics, type TestApp } from '../helpers/test-app.ts';
import { createClass, demoInstructor, joinClass, newInstructor, post } from '../quizzes/helpers.ts';
import { Bank, Question } from '../../server/banks/model.ts';
import { StudyCard } from '../../server/study/model.ts';
import { studentsMayPractise } from '../../server/banks/service.ts';

let t: TestApp;
let teacher: request.Agent;
let rival: request.Agent;
let inA: request.Agent;
let inB: request.Agent;
let outsider: request.Agent;
let classA: string;
let classB: string;
let bankId: string;

const tf = (prompt: string) => ({
  type: 'truefalse',
  prompt,
  topics: ['founding'],
  difficulty: 'easy',
  truefalse: 'true',
  passageId: 'background-1',
  quote: 'Shanghai Five',
  explanation: 'The paper says so.',
});

before(async () => {
  t = await startTestApp({}, { seed: true });
  teacher = await demoInstructor(t.app);
  rival = await newInstructor(t.app, 'Rival Sharer', 'rival-share@example.test');
  const a = await createClass(teacher, 'Sharing A');
  const b = await createClass(teacher, 'Sharing B');
  classA = a.id;
  classB = b.id;
  inA = await registerAs(t.app, 'Student In A', 'in-a@example.test');
  inB = await registerAs(t.app, 'Student In B', 'in-b@example.test');
  outsider = await registerAs(t.app, 'Student Outside', 'outside@example.test');
  assert.equal((await joinClass(inA, a.code)).status, 303);
  assert.equal((await joinClass(inB, b.code)).status, 303);
  const created = await postForm(teacher, '/banks', '/banks', { title: 'Course reader bank', sourceId: 'sco-policy-brief' });
  bankId = /([a-f0-9]{24})$/.exec(created.headers.location!)![1]!;
  await addTopics(teacher, bankId, ['Founding']);
  for (const p of ['First claim about the founding.', 'Second claim about the founding.']) {
    assert.equal((await postForm(teacher, `/banks/${bankId}/questions/new`, `/banks/${bankId}/questions`, tf(p))).status, 302);
  }
});
after(() => t.close());

/** Every practice and flashcard route that takes this bank answers 404 to this learner. */
async function assertPrivate(agent: request.Agent, who: string) {
  assert.equal((await postForm(agent, '/practice', '/practice', { bankId })).status, 404, `${who}: POST /practice`);
  assert.equal((await agent.get(`/study/session?bank=${bankId}`)).status, 404, `${who}: /study/session`);
  assert.equal((await agent.get(`/study/session?bank=${bankId}&topic=founding`)).status, 404, `${who}: /study/session with a topic`);
  assert.doesNotMatch((await agent.get(`/practice?bank=${bankId}`)).text, /Course reader bank/, `${who}: /practice offers it`);
  assert.doesNotMatch((await agent.get(`/study?bank=${bankId}`)).text, /Course reader bank/, `${who}: /study offers it`);
  assert.doesNotMatch((await agent.get('/banks')).text, /Course reader bank/, `${who}: /banks lists it`);
}

test('the rule itself: shipped banks are open to all, an instructor’s bank to the classes it is shared with', () => {
  assert.equal(studentsMayPractise({ ownerId: null, sharedWithClassIds: [] }), true);
  const owned = { ownerId: '0'.repeat(24) as never, sharedWithClassIds: [] as never[] };
  assert.equal(studentsMayPractise(owned), false);
  const shared = { ownerId: '0'.repeat(24) as never, sharedWithClassIds: ['a'.repeat(24)] as never[] };
  assert.equal(studentsMayPractise(shared), true);
  assert.equal(studentsMayPractise(shared, ['a'.repeat(24)]), true);
  assert.equal(studentsMayPractise(shared, ['b'.repeat(24)]), false);
});

test('a bank not shared is private: 404 on every practice and flashcard route for students and other instructors', async () => {
  for (const [who, agent] of [
    ['student of A', inA],
    ['student of B', inB],
    ['outsider', outsider],
    ['other instructor', rival],
  ] as const)
    await assertPrivate(agent, who);
  // Its owner may practise it.
  assert.equal((await postForm(teacher, '/practice', '/practice', { bankId })).status, 303);
});

test('only the bank’s owner shares it, only with classes they teach, and with the CSRF token', async () => {
  const page = `/banks/${bankId}/sharing`;
  assert.equal((await inA.get(page)).status, 403);
  assert.equal((await rival.get(page)).status, 403);
  assert.equal((await postForm(rival, '/banks', page, { classIds: [classA] })).status, 403);
  assert.equal((await teacher.post(page).type('form').send({ classIds: classA })).status, 403, 'no CSRF token');
  const rivalClass = await createClass(rival, 'Rival class');
  const notTaught = await post(teacher, page, page, { classIds: [rivalClass.id] });
  assert.equal(notTaught.status, 400);
  assert.match(notTaught.text, /only with classes you teach/);
  assert.equal((await post(teacher, page, page, { classIds: ['not-an-id'] })).status, 400);
  assert.deepEqual((await Bank.findById(bankId).lean())!.sharedWithClassIds, []);
  const form = await teacher.get(page);
  assert.equal(form.status, 200);
  assert.match(form.text, /Sharing A/);
  assert.doesNotMatch(form.text, /Rival class/);
});

test('shared with class A: its students practise and study it (with a bank chooser); class B and others still get 404', async () => {
  const page = `/banks/${bankId}/sharing`;
  const shared = await post(teacher, page, page, { classIds: [classA] });
  assert.equal(shared.status, 303);
  assert.match((await teacher.get(page)).text, /id="share-[a-f0-9]+" name="classIds" value="[a-f0-9]+" checked/);

  const setup = (await inA.get('/practice')).text;
  assert.match(setup, /class="bank-chooser"/, 'two banks: a chooser');
  assert.match(setup, /Course reader bank/);
  const chosen = (await inA.get(`/practice?bank=${bankId}`)).text;
  assert.match(chosen, /<label for="topic-founding">Founding<\/label>/);
  const start = await postForm(inA, '/practice', '/practice', { bankId, topics: ['founding'], length: '5' });
  assert.equal(start.status, 303);
  const sessionId = /\/practice\/([a-f0-9]{24})/.exec(start.headers.location!)![1]!;
  const q = (await inA.get(`/practice/${sessionId}`)).text;
  const questionId = /name="questionId" value="([a-f0-9]{24})"/.exec(q)![1]!;
  assert.equal((await postForm(inA, `/practice/${sessionId}`, `/practice/${sessionId}/answers`, { position: '0', questionId, value: 'true' })).status, 303);
  assert.equal((await inA.get(`/practice/${sessionId}/feedback/0`)).status, 200);
  assert.equal((await inA.get(`/practice/${sessionId}/summary`)).status, 200);

  assert.match((await inA.get('/study')).text, /Course reader bank/);
  const front = await inA.get(`/study/session?bank=${bankId}`);
  assert.equal(front.status, 200);
  const card = await StudyCard.findOne({ bankId }).lean();
  assert.ok(card, 'a card was introduced');
  assert.equal((await inA.get(`/study/cards/${card._id}?bank=${bankId}`)).status, 200);

  for (const [who, agent] of [
    ['student of B', inB],
    ['outsider', outsider],
    ['other instructor', rival],
  ] as const)
    await assertPrivate(agent, who);

  // Unshared again: the student's session and card are closed to them, the bank gone from their pages.
  assert.equal((await post(teacher, page, page, {})).status, 303);
  await assertPrivate(inA, 'student of A after the unshare');
  assert.equal((await inA.get(`/practice/${sessionId}`)).status, 404);
  assert.equal((await inA.get(`/practice/${sessionId}/feedback/0`)).status, 404);
  assert.equal((await inA.get(`/practice/${sessionId}/summary`)).status, 404);
  const late = await postForm(inA, '/practice', `/practice/${sessionId}/answers`, { position: '1', questionId });
  assert.equal(late.status, 404, (/role="alert">([^<]*)/.exec(late.text) ?? [])[1]);
  assert.equal((await postForm(inA, '/practice', `/practice/${sessionId}/retry`, {})).status, 404);
  assert.equal((await inA.get(`/study/cards/${card._id}?bank=${bankId}`)).status, 404);
  const rate = await postForm(inA, '/study', `/study/cards/${card._id}/rate`, { rating: '3', reps: String(card.reps), lastReview: '', bank: bankId });
  assert.equal(rate.status, 404);
  assert.equal((await StudyCard.findById(card._id).lean())!.reps, card.reps, 'the refused rating changed nothing');
});

test('the answer-key rule holds both ways: no key-hiding quiz from a bank its students may practise', async () => {
  const page = `/banks/${bankId}/sharing`;
  const question = await Question.findOne({ bankId }).lean();
  const quiz = (title: string, classIds: string[], bankIds = [bankId], questionIds = [String(question!._id)]) =>
    post(teacher, '/quizzes/new', '/quizzes', {
      title,
      bankIds,
      mode: 'pick',
      questionIds,
      attemptsAllowed: 1,
      gradingMethod: 'highest',
      feedbackTiming: 'immediately',
      reviewShows: 'score',
      classIds,
    });
  // Not shared with B: a quiz for B may keep its keys.
  assert.equal((await quiz('Secret test for B', [classB])).status, 303);
  // Sharing with B now would show B the keys: refused, naming the quiz; nothing changes.
  const clash = await post(teacher, page, page, { classIds: [classB] });
  assert.equal(clash.status, 400);
  assert.match(clash.text, /Secret test for B/);
  assert.deepEqual((await Bank.findById(bankId).lean())!.sharedWithClassIds, []);
  // Shared with A: a quiz for A hiding the keys is refused, beside the review setting.
  assert.equal((await post(teacher, page, page, { classIds: [classA] })).status, 303);
  const refused = await quiz('Secret test for A', [classA]);
  assert.equal(refused.status, 400);
  assert.match(refused.text, /Students may practise &#34;Course reader bank&#34;/);
  // The shipped bank is open to every student: it never feeds a key-hiding quiz.
  const shipped = await Bank.findOne({ ownerId: null }).lean();
  const shippedQ = await Question.findOne({ bankId: shipped!._id, retired: false }).lean();
  const fromShipped = await quiz('Secret shipped test', [classB], [String(shipped!._id)], [String(shippedQ!._id)]);
  assert.equal(fromShipped.status, 400);
  assert.match(fromShipped.text, /Students may practise/);
});

test('the rule follows students, not just classes: one student in two classes keeps a quiz of either from hiding keys', async () => {
  const created = await postForm(teacher, '/banks', '/banks', { title: 'Tutorial bank', sourceId: 'sco-policy-brief' });
  const tutorialBank = /([a-f0-9]{24})$/.exec(created.headers.location!)![1]!;
  await addTopics(teacher, tutorialBank, ['Founding']);
  assert.equal((await postForm(teacher, `/banks/${tutorialBank}/questions/new`, `/banks/${tutorialBank}/questions`, tf('A tutorial claim.'))).status, 302);
  const question = await Question.findOne({ bankId: tutorialBank }).lean();
  const lecture = await createClass(teacher, 'Lecture group');
  const tutorial = await createClass(teacher, 'Tutorial group');
  const both = await registerAs(t.app, 'Student In Both', 'in-both@example.test');
  assert.equal((await joinClass(both, lecture.code)).status, 303);
  assert.equal((await joinClass(both, tutorial.code)).status, 303);
  const quiz = (title: string) =>
    post(teacher, '/quizzes/new', '/quizzes', {
      title,
      bankIds: [tutorialBank],
      mode: 'pick',
      questionIds: [String(question!._id)],
      attemptsAllowed: 1,
      gradingMethod: 'highest',
      feedbackTiming: 'immediately',
      reviewShows: 'correctness',
      classIds: [tutorial.id],
    });
  const page = `/banks/${tutorialBank}/sharing`;
  // Shared with the lecture group: a key-hiding quiz for the tutorial group is refused (a student is in both).
  assert.equal((await post(teacher, page, page, { classIds: [lecture.id] })).status, 303);
  const refused = await quiz('Tutorial test');
  assert.equal(refused.status, 400);
  assert.match(refused.text, /Students may practise &#34;Tutorial bank&#34;/);
  // The other way round: the quiz first, then sharing with the lecture group is refused.
  assert.equal((await post(teacher, page, page, {})).status, 303);
  assert.equal((await quiz('Tutorial test')).status, 303);
  const clash = await post(teacher, page, page, { classIds: [lecture.id] });
  assert.equal(clash.status, 400);
  assert.match(clash.text, /Tutorial test/);
  assert.deepEqual((await Bank.findById(tutorialBank).lean())!.sharedWithClassIds, []);
});

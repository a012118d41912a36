/**
 * Banks are built on sources: a bank cites one or more sources, its questions cite passages of
 * those sources, and feedback, the paper map, mastery per passage, "practise this passage" and
 * item statistics work for any of them, reading passages through the sources feature.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { startTestApp, registerAs, postForm, addTopics, type TestApp } from '../helpers/test-app.ts';
import { correctResponse, createClass, createQuiz, demoInstructor, joinClass, post, saveJson, startAttempt, submit, tokenFor } from '../quizzes/helpers.ts';
import type { QuestionDefinition } from '../../server/questions/definition.ts';
import { Bank, Question } from '../../server/banks/model.ts';
import { upsertSource } from '../../server/sources/service.ts';
import { giveBanksSourceLists } from '../../server/banks/migrations.ts';

let t: TestApp;
let teacher: request.Agent;
let learner: request.Agent;
let bankId: string;
let classId: string;
const SECOND = 'harbour-notes';

// A second document, stored as the seed stores a source (sections from its headings).
const NOTES = [
  'Tides',
  '',
  'The harbour silts up every spring unless the channel is dredged.',
  '',
  'The pilots guide every ship through the narrows at dawn.',
  '',
].join('\n');

before(async () => {
  t = await startTestApp({}, { seed: true });
  await upsertSource({
    id: SECOND,
    title: 'Harbour notes',
    description: 'A short second document.',
    raw: NOTES,
    headings: [{ title: 'Tides', slug: 'tides' }],
  });
  teacher = await demoInstructor(t.app);
  learner = await registerAs(t.app, 'Harbour Learner', 'harbour-learner@example.test');
  const cls = await createClass(teacher, 'Harbour class');
  classId = cls.id;
  assert.equal((await joinClass(learner, cls.code)).status, 303);
  const created = await postForm(teacher, '/banks', '/banks', { title: 'Two-source bank', sourceId: 'sco-policy-brief' });
  bankId = /([a-f0-9]{24})$/.exec(created.headers.location!)![1]!;
  await addTopics(teacher, bankId, ['Harbours']);
  assert.equal((await post(teacher, `/banks/${bankId}/sharing`, `/banks/${bankId}/sharing`, { classIds: [cls.id] })).status, 303);
});
after(() => t.close());

const tf = (passageId: string, quote: string) => ({
  type: 'truefalse',
  prompt: 'The harbour silts up every spring.',
  topics: ['harbours'],
  difficulty: 'easy',
  truefalse: 'true',
  passageId,
  quote,
  explanation: 'The notes say so.',
});

test('an instructor adds a second source; the question form offers its passages; questions cite them, checked against that source', async () => {
  const added = await post(teacher, `/banks/${bankId}`, `/banks/${bankId}/sources`, { sourceIds: [SECOND] });
  assert.equal(added.status, 303);
  assert.deepEqual((await Bank.findById(bankId).lean())!.sourceIds, ['sco-policy-brief', SECOND]);
  const form = (await teacher.get(`/banks/${bankId}/questions/new`)).text;
  assert.match(form, /<optgroup label="Harbour notes">/);
  assert.match(form, new RegExp(`<option value="${SECOND}#tides-1">tides-1: The harbour silts up`));

  const ok = await postForm(teacher, `/banks/${bankId}/questions/new`, `/banks/${bankId}/questions`, tf(`${SECOND}#tides-1`, 'silts up every spring'));
  assert.equal(ok.status, 302, ok.text.slice(0, 300));
  const stored = await Question.findOne({ bankId }).lean();
  assert.equal(stored!.sourceId, SECOND);
  assert.deepEqual(stored!.definition.source, { sourceId: SECOND, passageId: 'tides-1', quote: 'silts up every spring' });
  // The edit form selects that passage again.
  assert.match((await teacher.get(`/banks/${bankId}/questions/${stored!._id}/edit`)).text, new RegExp(`<option value="${SECOND}#tides-1" selected>`));

  const wrongQuote = await postForm(teacher, `/banks/${bankId}/questions/new`, `/banks/${bankId}/questions`, tf(`${SECOND}#tides-1`, 'Shanghai Five'));
  assert.equal(wrongQuote.status, 400);
  assert.match(wrongQuote.text, /word for word/);
  const notOurs = await postForm(teacher, `/banks/${bankId}/questions/new`, `/banks/${bankId}/questions`, tf('elsewhere#tides-1', 'silts up'));
  assert.equal(notOurs.status, 400);

  // A source still cited cannot be taken off; a source that does not exist cannot be added.
  const drop = await post(teacher, `/banks/${bankId}`, `/banks/${bankId}/sources`, {});
  assert.equal(drop.status, 400);
  assert.match(drop.text, /1 question cites a source you took off/);
  assert.equal((await post(teacher, `/banks/${bankId}`, `/banks/${bankId}/sources`, { sourceIds: [SECOND, 'no-such-source'] })).status, 400);
  assert.deepEqual((await Bank.findById(bankId).lean())!.sourceIds, ['sco-policy-brief', SECOND]);
});

test('a learner practises it: feedback cites the second source; the paper map shades its passage; "practise this passage" draws from it', async () => {
  const start = await postForm(learner, '/practice', '/practice', { bankId, length: '5' });
  assert.equal(start.status, 303);
  const sessionId = /\/practice\/([a-f0-9]{24})/.exec(start.headers.location!)![1]!;
  const page = (await learner.get(`/practice/${sessionId}`)).text;
  const questionId = /name="questionId" value="([a-f0-9]{24})"/.exec(page)![1]!;
  assert.equal((await postForm(learner, `/practice/${sessionId}`, `/practice/${sessionId}/answers`, { position: '0', questionId, value: 'true' })).status, 303);
  const feedback = (await learner.get(`/practice/${sessionId}/feedback/0`)).text;
  assert.match(feedback, new RegExp(`href="/sources/${SECOND}\\?passage=tides-1`));
  assert.match(feedback, /The harbour <mark>silts up every spring<\/mark>|silts up every spring/);

  const progress = (await learner.get('/progress')).text;
  assert.match(progress, /Harbour notes/);
  assert.match(progress, /data-passage="tides-1"/);
  assert.match(progress, new RegExp(`name="sourceId" value="${SECOND}"`));
  const passage = await postForm(learner, '/progress', '/practice', { bankId, passageId: 'tides-1', sourceId: SECOND, length: '1' });
  assert.equal(passage.status, 303);
  // The same passage id in the first source has no question of this bank: nothing to practise there.
  const other = await postForm(learner, '/progress', '/practice', { bankId, passageId: 'tides-1', length: '1' });
  assert.equal(other.status, 400);
  const foreign = await postForm(learner, '/progress', '/practice', { bankId, passageId: 'tides-1', sourceId: 'elsewhere', length: '1' });
  assert.equal(foreign.status, 400);
});

test('item statistics and the class map show the passage of the second source', async () => {
  const q = await Question.findOne({ bankId, sourceId: SECOND }).lean();
  const quizId = await createQuiz(teacher, { title: 'Harbour quiz', bankIds: [bankId], questionIds: [String(q!._id)], classIds: [classId] });
  const attemptId = await startAttempt(learner, quizId);
  const token = await tokenFor(learner, `/attempts/${attemptId}/slots/1`);
  assert.equal((await saveJson(learner, token, attemptId, 1, correctResponse(q!.definition as QuestionDefinition))).status, 200);
  assert.equal((await submit(learner, token, attemptId)).status, 200);
  const stats = (await teacher.get(`/quizzes/${quizId}/statistics`)).text;
  assert.match(stats, new RegExp(`href="/sources/${SECOND}\\?passage=tides-1`));
  assert.match(stats, /The harbour silts up every spring/);
  const map = (await teacher.get(`/classes/${classId}/paper-map`)).text;
  assert.match(map, /Harbour notes/);
  assert.match(map, /data-passage="tides-1"[^>]*>\s*<a[^>]*>\s*<span class="pm-label" data-testid="pm-label">100% known/);
});

test('the start-up migration gives a bank stored with one source its list; a re-run changes nothing', async () => {
  const old = await Bank.collection.insertOne({
    slug: 'one-source-bank',
    title: 'Old',
    description: '',
    sourceId: 'sco-policy-brief',
    topics: [],
    ownerId: null,
    createdAt: new Date(),
    updatedAt: new Date(),
  });
  assert.ok((await giveBanksSourceLists()) >= 1);
  assert.deepEqual((await Bank.findById(old.insertedId).lean())!.sourceIds, ['sco-policy-brief']);
  assert.equal(await giveBanksSourceLists(), 0);
  await Bank.deleteOne({ _id: old.insertedId });
});

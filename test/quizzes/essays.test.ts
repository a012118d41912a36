import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { startTestApp, registerAs, tokenFor, postForm, type TestApp } from '../helpers/test-app.ts';
import { demoInstructor, newInstructor, createClass, joinClass, createQuiz, startAttempt, saveJson, submit } from './helpers.ts';
import { privateBank, addQuestion, mcqFields } from './marking-helpers.ts';
import { Attempt } from '../../server/quizzes/model.ts';
import { Question } from '../../server/banks/model.ts';

let t: TestApp;
let teacher: request.Agent;
let other: request.Agent;
let ann: request.Agent;
let ben: request.Agent;
let classId: string;
let bankId: string;
let quizId: string;
let essayId: string;
let annAttempt: string;
let benAttempt: string;
const MODEL = 'It grew out of the Shanghai Five and its border talks.';

before(async () => {
  t = await startTestApp({}, { seed: true });
  teacher = await demoInstructor(t.app);
  other = await newInstructor(t.app, 'Other Teacher', 'other-essays@example.com');
  const cls = await createClass(teacher, 'Essay class');
  classId = cls.id;
  ann = await registerAs(t.app, 'Ann Essay', 'ann-essay@example.com');
  ben = await registerAs(t.app, 'Ben Essay', 'ben-essay@example.com');
  for (const s of [ann, ben]) await joinClass(s, cls.code);
  bankId = await privateBank(teacher, 'Essay bank');
  const mcq = await addQuestion(teacher, bankId, mcqFields('What happened in August 2007, according to the paper?'));
  essayId = await addQuestion(teacher, bankId, {
    type: 'essay',
    prompt: 'Why did the SCO capture attention in 2007?',
    maxMark: '20',
    wordLimit: '8',
    rubric: 'Names both actions (10 each).',
    modelAnswer: MODEL,
  });
  // Marks shown, answers (the model answer) not: the answer-key rule applies to essays too.
  quizId = await createQuiz(teacher, { title: 'Essay quiz', bankIds: [bankId], questionIds: [mcq, essayId], classIds: [classId], reviewShows: 'correctness' });
});
after(() => t.close());

test('the question form makes an essay with its mark, word limit, rubric and model answer', async () => {
  const q = await Question.findById(essayId).lean();
  assert.deepEqual(
    { ...q!.definition, id: undefined, source: undefined, topics: undefined, explanation: undefined, difficulty: undefined },
    {
      type: 'essay',
      prompt: 'Why did the SCO capture attention in 2007?',
      maxMark: 20,
      wordLimit: 8,
      rubric: 'Names both actions (10 each).',
      modelAnswer: MODEL,
      id: undefined,
      source: undefined,
      topics: undefined,
      explanation: undefined,
      difficulty: undefined,
    },
  );
});

test('GIFT {} imports as an essay question through the import page', async () => {
  const page = `/banks/${bankId}/import`;
  const res = await postForm(teacher, page, page, {
    format: 'gift',
    text: '::gift-essay:: Discuss the SCO in 2007. {####Any two points.}',
    commit: '1',
    defaultTopic: 'dates-events',
    defaultPassageId: 'intro-1',
    defaultQuote: 'In August 2007',
  });
  assert.equal(res.status, 302, res.text.slice(0, 400));
  const q = await Question.findOne({ bankId, key: 'gift-essay' }).lean();
  assert.ok(q, 'imported');
  assert.equal(q.definition.type, 'essay');
  assert.equal(q.definition.explanation, 'Any two points.');
});

test('an essay is written in a textarea, its word limit enforced by the server with a clear message', async () => {
  annAttempt = await startAttempt(ann, quizId);
  const token = await tokenFor(ann, `/attempts/${annAttempt}/slots/1`);
  const page = await ann.get(`/attempts/${annAttempt}/slots/2`);
  assert.match(page.text, /<textarea id="[^"]+-essay" class="question-essay" name="text"/);
  assert.match(page.text, /at most 8 words/);
  assert.doesNotMatch(page.text, /Names both actions|Shanghai Five and its border/, 'neither rubric nor model answer before the review');
  const mcq = await Attempt.findById(annAttempt).lean();
  assert.equal(
    (await saveJson(ann, token, annAttempt, 1, { choice: mcq!.slots[0]!.definition.type === 'mcq' ? mcq!.slots[0]!.definition.answer : '' })).status,
    200,
  );
  const long = await saveJson(ann, token, annAttempt, 2, { text: 'one two three four five six seven eight nine ten' });
  assert.equal(long.status, 400);
  assert.match(long.body.error, /10 words; the limit is 8\. Shorten it by 2/);
  // The form path says it too, beside the question, and keeps nothing.
  const form = await ann.post(`/attempts/${annAttempt}/slots/2`).type('form').send({ _csrf: token, text: 'a b c d e f g h i' });
  assert.equal(form.status, 400);
  assert.match(form.text, /9 words; the limit is 8/);
  assert.equal((await Attempt.findById(annAttempt).lean())!.slots[1]!.response, null);
  const ok = await saveJson(ann, token, annAttempt, 2, { text: 'A summit and\na joint military exercise.' });
  assert.equal(ok.status, 200);
  assert.equal((await submit(ann, token, annAttempt)).status, 200);
});

test('an attempt with an answered essay is "needs grading": no score anywhere until it is marked', async () => {
  const a = (await Attempt.findById(annAttempt).lean())!;
  assert.equal(a.status, 'submitted');
  assert.equal(a.needsGrading, true);
  assert.equal(a.score, null);
  assert.deepEqual(a.marks, [1, null]);
  const review = await ann.get(`/attempts/${annAttempt}/review`);
  assert.match(review.text, /data-testid="needs-grading"/);
  assert.doesNotMatch(review.text, /data-testid="review-score"/);
  assert.match(review.text, /Waiting to be marked by your instructor/);
  assert.doesNotMatch(review.text, new RegExp(MODEL), 'the review hides answers, the model answer included');
  assert.match((await ann.get(`/quizzes/${quizId}`)).text, /Waiting for your instructor to mark the essays/);
  assert.match((await ann.get('/quizzes/assigned')).text, /Waiting for marking/);
  // Ben leaves the essay blank: nothing to mark, so it scores 0 at once and the attempt is graded.
  benAttempt = await startAttempt(ben, quizId);
  const token = await tokenFor(ben, `/attempts/${benAttempt}/slots/1`);
  assert.equal((await submit(ben, token, benAttempt)).status, 200);
  const b = (await Attempt.findById(benAttempt).lean())!;
  assert.equal(b.needsGrading, false);
  assert.equal(b.score, 0);
  // The gradebook says "Needs grading" (not 0%), statistics leave the attempt out and say so.
  const book = await teacher.get(`/classes/${classId}/gradebook`);
  assert.match(book.text, /class="gb-needs-grading[^"]*"/);
  assert.match(book.text, /Needs grading/);
  const stats = await teacher.get(`/quizzes/${quizId}/statistics`);
  assert.match(stats.text, /data-testid="first-attempts">1</);
  assert.match(stats.text, /1 more first attempt waits for essays to be marked/);
  const owner = await teacher.get(`/quizzes/${quizId}`);
  assert.match(owner.text, /Attempt 1<\/a>: needs grading/);
  assert.match(owner.text, /Mark essays \(1 attempt needs grading\)/);
});

test('only the quiz owner reaches the grading screen and saves marks; saving needs the CSRF token', async () => {
  const screen = `/quizzes/${quizId}/essays/${essayId}`;
  assert.equal((await other.get(`/quizzes/${quizId}/essays`)).status, 404);
  assert.equal((await other.get(screen)).status, 404);
  assert.equal((await ann.get(screen)).status, 403);
  const otherToken = await tokenFor(other, '/quizzes/new');
  const forged = await other
    .post(screen)
    .type('form')
    .send({ _csrf: otherToken, attempt: annAttempt, [`mark_${annAttempt}`]: '20' });
  assert.equal(forged.status, 404);
  const noToken = await teacher
    .post(screen)
    .type('form')
    .send({ attempt: annAttempt, [`mark_${annAttempt}`]: '20' });
  assert.equal(noToken.status, 403);
  assert.equal((await Attempt.findById(annAttempt).lean())!.needsGrading, true, 'nothing marked');
});

test('the grading screen lists each answer with the rubric and model answer; a bad mark is refused beside its field, nothing saved', async () => {
  const screen = `/quizzes/${quizId}/essays/${essayId}`;
  const list = await teacher.get(`/quizzes/${quizId}/essays`);
  assert.match(list.text, /0 of 1/);
  const page = await teacher.get(screen);
  assert.equal(page.status, 200);
  assert.match(page.text, /Names both actions/);
  assert.match(page.text, new RegExp(MODEL));
  assert.match(page.text, /A summit and\na joint military exercise\./);
  assert.match(page.text, /Ann Essay, attempt 1/);
  assert.doesNotMatch(page.text, /Ben Essay/, 'a blank essay has nothing to mark');
  const bad = await postForm(teacher, screen, screen, { attempt: annAttempt, [`mark_${annAttempt}`]: '21', [`comment_${annAttempt}`]: 'Good.' });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /A mark is a number from 0 to 20/);
  assert.match(bad.text, /value="21"/, 'what was typed is kept');
  for (const mark of ['-1', 'ten', '3.25']) {
    const res = await postForm(teacher, screen, screen, { attempt: annAttempt, [`mark_${annAttempt}`]: mark });
    assert.equal(res.status, 400, mark);
  }
  assert.equal((await Attempt.findById(annAttempt).lean())!.slots[1]!.handMark, null);
});

test('once marked, the attempt is graded: score, review comment, gradebook and statistics include the essay', async () => {
  const screen = `/quizzes/${quizId}/essays/${essayId}`;
  const res = await postForm(teacher, screen, screen, {
    attempt: annAttempt,
    [`mark_${annAttempt}`]: '15',
    [`comment_${annAttempt}`]: 'Both actions, briefly.',
  });
  assert.equal(res.status, 303);
  const a = (await Attempt.findById(annAttempt).lean())!;
  assert.equal(a.needsGrading, false);
  assert.deepEqual(a.marks, [1, 0.75]);
  assert.equal(a.score, 0.875);
  assert.equal(a.slots[1]!.handMark!.mark, 15);
  assert.equal(a.slots[1]!.handMark!.comment, 'Both actions, briefly.');
  // Saving the same again changes nothing (and writes nothing).
  const again = await postForm(teacher, screen, screen, {
    attempt: annAttempt,
    [`mark_${annAttempt}`]: '15',
    [`comment_${annAttempt}`]: 'Both actions, briefly.',
  });
  assert.equal(again.status, 303);
  assert.equal((await Attempt.findById(annAttempt).lean())!.revision, a.revision);
  const review = await ann.get(`/attempts/${annAttempt}/review`);
  assert.match(review.text, /data-testid="review-score">87.5%/);
  assert.match(review.text, /Marked 15 out of 20\./);
  assert.match(review.text, /Both actions, briefly\./);
  assert.doesNotMatch(review.text, new RegExp(MODEL));
  const book = await teacher.get(`/classes/${classId}/gradebook`);
  assert.doesNotMatch(book.text, /Needs grading<\/span>/);
  assert.match(book.text, /87.5%/);
  const stats = await teacher.get(`/quizzes/${quizId}/statistics`);
  assert.match(stats.text, /data-testid="first-attempts">2</);
  assert.doesNotMatch(stats.text, /waits for essays/);
});

test('practice does not offer essays (it marks each answer at once), and flashcards leave them out', async () => {
  const form = await postForm(ann, '/practice', '/practice', { bankId, types: ['essay'] });
  assert.equal(form.status, 400);
  const { findQuestions } = await import('../../server/banks/service.ts');
  const { liveQuestionIds, countLiveQuestions } = await import('../../server/banks/reads.ts');
  assert.equal(
    (await findQuestions(bankId, { selfMarkedOnly: true })).some((q) => q.definition.type === 'essay'),
    false,
  );
  const live = (await liveQuestionIds(bankId)).map(String);
  assert.equal(live.includes(essayId), false);
  assert.equal(await countLiveQuestions(bankId), live.length);
});

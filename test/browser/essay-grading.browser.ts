import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startBrowserEnv, step, type BrowserEnv } from './harness.ts';
import { seriousViolations } from './axe.ts';
import { seedDatabase } from '../../seed/seed-database.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';
import { Attempt } from '../../server/quizzes/model.ts';
import { registerAs } from '../helpers/test-app.ts';
import { demoInstructor, createClass, joinClass, createQuiz } from '../quizzes/helpers.ts';
import { privateBank, addQuestion, mcqFields } from '../quizzes/marking-helpers.ts';

const instructor = DEMO_ACCOUNTS.find((a) => a.role === 'instructor')!;
const STUDENT = { name: 'Essa Writer', email: 'essa-writer@example.com', password: 'correct horse battery' };
let env: BrowserEnv;
let quizId: string;
let essayId: string;

before(async () => {
  env = await startBrowserEnv();
  await seedDatabase({ demo: true, progress: () => {} });
  // The course is set up over HTTP; the journeys below are the student's essay and its marking.
  const teacher = await demoInstructor(env.t.app);
  const cls = await createClass(teacher, 'Essay browser class');
  const student = await registerAs(env.t.app, STUDENT.name, STUDENT.email, STUDENT.password);
  await joinClass(student, cls.code);
  const bankId = await privateBank(teacher, 'Essay browser bank');
  const mcq = await addQuestion(teacher, bankId, mcqFields('What happened in August 2007, according to the paper?'));
  essayId = await addQuestion(teacher, bankId, {
    type: 'essay',
    prompt: 'Why did the SCO capture attention in 2007?',
    maxMark: '10',
    wordLimit: '12',
    rubric: 'Both actions named (5 each).',
    modelAnswer: 'A summit in Bishkek and a joint military exercise.',
  });
  quizId = await createQuiz(teacher, { title: 'Essay browser quiz', bankIds: [bankId], questionIds: [essayId, mcq], classIds: [cls.id] });
});
after(() => env?.close());

async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${env.baseUrl}/`);
}

test('a student writes an essay (word count, limit refused, autosaved); the instructor marks it on the grading screen and the student sees the mark', async () => {
  const student = await env.newPage();
  await step(student, 'the essay is a textarea with a live word count; over the limit it is refused with a clear message', async () => {
    await logIn(student, STUDENT.email, STUDENT.password);
    await student.goto(`/quizzes/${quizId}`);
    await student.getByRole('button', { name: /Start/ }).click();
    await student.getByText('Question 1 of 2').waitFor();
    await student.waitForLoadState('load');
    const box = student.getByLabel(/Your essay/);
    await box.fill('one two three four five six seven eight nine ten eleven twelve thirteen');
    await student.getByText('13 words of at most 12: too long to save').waitFor();
    await box.blur();
    await student
      .getByTestId('autosave-status')
      .getByText(/13 words; the limit is 12/)
      .waitFor();
    assert.equal((await Attempt.findOne({ quizId }).lean())!.slots[0]!.response, null);
  });
  await step(student, 'a shorter essay is autosaved while typing, then the attempt is submitted and waits for marking', async () => {
    await student.getByLabel(/Your essay/).fill('A summit and a joint military exercise.');
    await student
      .getByTestId('autosave-status')
      .getByText(/^Saved at/)
      .waitFor();
    assert.equal((await Attempt.findOne({ quizId }).lean())!.slots[0]!.response?.text, 'A summit and a joint military exercise.');
    await student.getByRole('button', { name: 'Save and next' }).click();
    await student.getByText('Question 2 of 2').waitFor();
    await student.locator('.question-choice input').nth(1).check();
    await student.getByRole('button', { name: 'Save and finish…' }).click();
    await student.getByRole('button', { name: 'Submit all and finish' }).click();
    await student.getByTestId('needs-grading').waitFor();
    assert.equal(await student.getByTestId('review-score').count(), 0);
  });

  const teacher = await env.newPage();
  await step(teacher, 'the instructor finds the essay to mark from the quiz page', async () => {
    await logIn(teacher, instructor.email, instructor.password);
    await teacher.goto(`/quizzes/${quizId}`);
    await teacher.getByRole('link', { name: 'Mark essays (1 attempt needs grading)' }).click();
    await teacher.getByRole('link', { name: 'Why did the SCO capture attention in 2007?' }).click();
    await teacher.getByRole('heading', { name: 'Mark: Why did the SCO capture attention in 2007?' }).waitFor();
    await teacher.getByText('Both actions named (5 each).').waitFor();
    await teacher.getByText('A summit and a joint military exercise.', { exact: true }).waitFor();
    assert.match((await teacher.getByTestId('marked-count').textContent())!, /0 of 1 answers marked/);
    assert.deepEqual(await seriousViolations(teacher), [], 'essay grading screen');
  });
  await step(teacher, 'a mark over the maximum is refused beside its field; a good mark and comment are saved', async () => {
    await teacher.getByLabel(`Mark for ${STUDENT.name} (0 to 10)`).fill('11');
    await teacher.getByLabel(/Comment for Essa Writer/).fill('Both named; say where the summit was.');
    await teacher.getByRole('button', { name: 'Save marks' }).click();
    await teacher.getByText('A mark is a number from 0 to 10 (halves allowed).').waitFor();
    assert.equal(await teacher.getByLabel(/Comment for Essa Writer/).inputValue(), 'Both named; say where the summit was.', 'the comment typed is kept');
    await teacher.getByLabel(`Mark for ${STUDENT.name} (0 to 10)`).fill('8.5');
    await teacher.getByRole('button', { name: 'Save marks' }).click();
    await teacher.getByText('Saved 1 mark. Every answer to this essay is marked.').waitFor();
    assert.match((await teacher.getByTestId('marked-count').textContent())!, /1 of 1 answers marked/);
    assert.equal(await teacher.getByLabel(`Mark for ${STUDENT.name} (0 to 10)`).inputValue(), '8.5');
  });
  await step(student, 'the student sees the score, the mark and the comment', async () => {
    await student.reload();
    assert.equal(await student.getByTestId('needs-grading').count(), 0);
    assert.match((await student.getByTestId('review-score').textContent())!, /^92.5%$/);
    await student.getByText('Marked 8.5 out of 10.').waitFor();
    await student.getByText('Both named; say where the summit was.').waitFor();
  });
});

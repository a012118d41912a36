import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startBrowserEnv, step, type BrowserEnv } from './harness.ts';
import { seriousViolations } from './axe.ts';
import { seedDatabase } from '../../seed/seed-database.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';
import { Attempt } from '../../server/quizzes/model.ts';

const instructor = DEMO_ACCOUNTS.find((a) => a.role === 'instructor')!;
let env: BrowserEnv;

before(async () => {
  env = await startBrowserEnv();
  await seedDatabase({ demo: true, progress: () => {} });
});
after(() => env?.close());

async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${env.baseUrl}/`);
}

test('instructor sets a timed quiz; a student joins, closes the page mid-way, resumes, submits and sees the review; the instructor sees the result', async () => {
  const teacher = await env.newPage();
  let code = '';
  let quizUrl = '';
  await step(teacher, 'instructor creates a class', async () => {
    await logIn(teacher, instructor.email, instructor.password);
    await teacher.getByRole('link', { name: 'Classes' }).first().click();
    await teacher.getByLabel('New class name').fill('Browser class');
    await teacher.getByRole('button', { name: 'Create class' }).click();
    code = (await teacher.getByTestId('join-code').textContent())!.trim();
    assert.match(code, /^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    assert.deepEqual(await seriousViolations(teacher), [], 'class page');
  });
  await step(teacher, 'instructor builds a timed quiz of three questions', async () => {
    await teacher.goto('/quizzes/new');
    assert.deepEqual(await seriousViolations(teacher), [], 'quiz builder');
    await teacher.getByLabel('Quiz title').fill('Timed browser quiz');
    const mcqs = teacher.locator('.pick-item:has(.badge:text-is("mcq")) input[type="checkbox"]');
    for (let i = 0; i < 3; i++) await mcqs.nth(i).check();
    await teacher.getByLabel('Time limit in minutes (blank: none)').fill('20');
    for (const phase of ['immediately', 'open', 'closed'])
      for (const flag of ['feedback', 'source']) await teacher.locator(`#f-review_${phase}_${flag}`).uncheck();
    await teacher.getByLabel('Browser class').check();
    await teacher.getByRole('button', { name: 'Create quiz' }).click();
    await teacher.getByRole('heading', { name: 'Timed browser quiz' }).waitFor();
    quizUrl = new URL(teacher.url()).pathname;
    assert.match(quizUrl, /^\/quizzes\/[a-f0-9]{24}$/);
  });

  const context = await env.browser.newContext({ baseURL: env.baseUrl });
  let page = await context.newPage();
  await step(page, 'student registers and joins with the code', async () => {
    await page.goto('/register');
    await page.getByLabel('Your name').fill('Quiz Taker');
    await page.getByLabel('Email').fill('taker@example.com');
    await page.getByLabel(/^Password/).fill('taker browser password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${env.baseUrl}/`);
    await page.getByRole('link', { name: 'Classes' }).first().click();
    await page.getByLabel('Join a class: the code your instructor gave you').fill(code.toLowerCase());
    await page.getByRole('button', { name: 'Join class' }).click();
    await page.getByText('You joined Browser class.').waitFor();
  });
  await step(page, 'student starts the quiz and answers the first question (autosaved)', async () => {
    await page.goto('/quizzes/assigned');
    await page.getByRole('link', { name: 'Timed browser quiz' }).click();
    await page.getByRole('button', { name: 'Start the quiz' }).click();
    await page.getByText('Question 1 of 3').waitFor();
    await page.waitForLoadState('load');
    assert.match((await page.getByTestId('timer-value').textContent())!, /^(19|20):\d\d$/);
    await page.locator('.question-choice input').first().check();
    await page
      .getByTestId('autosave-status')
      .getByText(/^Saved at/)
      .waitFor();
    assert.deepEqual(await seriousViolations(page), [], 'question page');
  });
  await step(page, 'the timer can be hidden and does not chatter', async () => {
    const toggle = page.getByRole('button', { name: 'Hide timer' });
    await toggle.click();
    assert.equal(await page.getByRole('button', { name: 'Show timer' }).getAttribute('aria-pressed'), 'true');
    assert.equal(await page.getByTestId('timer-value').isVisible(), false);
    assert.equal(await page.getByTestId('timer-announce').getAttribute('aria-live'), 'polite');
    assert.equal(await page.getByTestId('timer-announce').textContent(), '', 'nothing announced at 20 minutes');
    assert.equal(
      await page.locator('[aria-live] [data-testid="timer-value"], [data-testid="timer-value"][aria-live]').count(),
      0,
      'the countdown itself is not live',
    );
    await page.getByRole('button', { name: 'Show timer' }).click();
  });
  await step(page, 'student closes the page mid-way and resumes where they were', async () => {
    await page.close();
    page = await context.newPage();
    await page.goto('/quizzes/assigned');
    await page.getByTestId('state').getByText('In progress').waitFor();
    await page.getByRole('link', { name: 'Timed browser quiz' }).click();
    await page.getByRole('button', { name: 'Continue your attempt' }).click();
    await page.getByText('Question 2 of 3').waitFor();
    await page.getByRole('button', { name: /^1\s*, answered$/ }).waitFor();
  });
  await step(page, 'five minutes before the end, the timer says so once', async () => {
    const attempt = await Attempt.findOne({}).sort({ _id: -1 }).lean();
    env.t.setNow(new Date(attempt!.deadline!.getTime() - 5 * 60_000 - 1500));
    await page.reload();
    await page.waitForLoadState('load');
    await page.getByTestId('timer-announce').getByText('5 minutes left.').waitFor({ state: 'attached' });
  });
  await step(page, 'student answers the rest and submits', async () => {
    await page.locator('.question-choice input').first().check();
    await page.getByRole('button', { name: 'Save and next' }).click();
    await page.getByText('Question 3 of 3').waitFor();
    await page.locator('.question-choice input').nth(1).check();
    await page.getByRole('button', { name: 'Save and finish…' }).click();
    await page.getByText('3 of 3 questions answered.').waitFor();
    await page.getByRole('button', { name: 'Submit all and finish' }).click();
    await page.getByRole('heading', { name: /^Review: Timed browser quiz/ }).waitFor();
  });
  await step(
    page,
    'the review shows what the settings allow: score, right or wrong and the right answers (the bank is open to practice, so its keys may show), no source',
    async () => {
      assert.match((await page.getByTestId('review-score').textContent())!, /%$/);
      assert.equal(await page.locator('.review-item').count(), 3);
      assert.ok((await page.getByText('Correct answer').count()) > 0, 'the right answers are shown');
      assert.equal(await page.getByRole('link', { name: 'Show source' }).count(), 0);
      assert.deepEqual(await seriousViolations(page), [], 'review page');
    },
  );
  await step(teacher, 'the instructor sees the result', async () => {
    await teacher.goto(quizUrl);
    const row = teacher.getByRole('row', { name: /Quiz Taker/ });
    await row.waitFor();
    assert.match((await row.getByTestId('grade').textContent())!, /\d%/);
    await row.getByRole('link', { name: 'Attempt 1' }).click();
    await teacher.getByText('Student: Quiz Taker').waitFor();
  });
  env.t.setNow(new Date());
  await context.close();
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startBrowserEnv, step, type BrowserEnv } from './harness.ts';
import { seriousViolations } from './axe.ts';
import { seedDatabase } from '../../seed/seed-database.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';
import { Attempt, PreviewAttempt } from '../../server/quizzes/model.ts';

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

test('an instructor previews a timed quiz as a student would: the timer, the questions, the review the settings allow; nothing is recorded', async () => {
  const page = await env.newPage();
  await step(page, 'instructor builds a timed quiz of two questions', async () => {
    await logIn(page, instructor.email, instructor.password);
    await page.goto('/quizzes/new');
    await page.getByLabel('Quiz title').fill('Previewed browser quiz');
    const mcqs = page.locator('.pick-item:has(.badge:text-is("mcq")) input[type="checkbox"]');
    for (let i = 0; i < 2; i++) await mcqs.nth(i).check();
    await page.getByLabel('Time limit in minutes (blank: none)').fill('30');
    for (const phase of ['immediately', 'open', 'closed'])
      for (const flag of ['feedback', 'source']) await page.locator(`#f-review_${phase}_${flag}`).uncheck();
    await page.getByRole('button', { name: 'Create quiz' }).click();
    await page.getByRole('heading', { name: 'Previewed browser quiz' }).waitFor();
  });
  await step(page, 'the preview shows the questions with the timer and a preview banner', async () => {
    await page.getByRole('button', { name: 'Preview as a student' }).click();
    await page.getByText('Question 1 of 2').waitFor();
    await page.waitForLoadState('load');
    await page.getByTestId('preview-banner').waitFor();
    assert.match((await page.getByTestId('timer-value').textContent())!, /^(29|30):\d\d$/);
    assert.deepEqual(await seriousViolations(page), [], 'preview question page');
  });
  await step(page, 'answers are autosaved and the preview is submitted like an attempt', async () => {
    await page.locator('.question-choice input').first().check();
    await page
      .getByTestId('autosave-status')
      .getByText(/^Saved at/)
      .waitFor();
    await page.getByRole('button', { name: 'Save and next' }).click();
    await page.getByText('Question 2 of 2').waitFor();
    await page.locator('.question-choice input').nth(1).check();
    await page.getByRole('button', { name: 'Save and finish…' }).click();
    await page.getByText('2 of 2 questions answered.').waitFor();
    await page.getByRole('button', { name: 'Submit all and finish' }).click();
    await page.getByRole('heading', { name: /^Review: Previewed browser quiz/ }).waitFor();
  });
  await step(page, 'the review is the one students get (score, right or wrong and the right answers, no source), and nothing was recorded', async () => {
    await page.getByTestId('preview-banner').waitFor();
    assert.match((await page.getByTestId('review-score').textContent())!, /%$/);
    assert.equal(await page.locator('.review-item').count(), 2);
    assert.ok((await page.getByText('Correct answer').count()) > 0, 'the right answers are shown');
    assert.equal(await Attempt.countDocuments({}), 0);
    assert.equal(await PreviewAttempt.countDocuments({ status: 'submitted' }), 1);
    await page.getByTestId('preview-banner').getByRole('link', { name: 'Back to the quiz' }).click();
    await page.getByRole('heading', { name: 'Previewed browser quiz' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Attempt 1' }).count(), 0);
  });
});

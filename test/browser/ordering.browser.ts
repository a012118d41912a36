import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startBrowserEnv, step, type BrowserEnv } from './harness.ts';
import { seriousViolations } from './axe.ts';
import { seedDatabase } from '../../seed/seed-database.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';
import { Attempt } from '../../server/quizzes/model.ts';

const instructor = DEMO_ACCOUNTS.find((a) => a.role === 'instructor')!;
const student = DEMO_ACCOUNTS.find((a) => a.role === 'student')!;
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

/** The texts of the ordering list's items, top to bottom. */
async function order(page: Page): Promise<string[]> {
  return page.locator('ol[data-ordering] > li .question-item-text').allTextContents();
}

/** The saved order of the latest attempt's first slot, as positions of the items on screen. */
async function savedOrder(): Promise<string[]> {
  const attempt = (await Attempt.findOne({}).sort({ _id: -1 }).lean()) as unknown as { slots: Array<{ response?: { order?: string[] } }> };
  return attempt.slots[0]?.response?.order ?? [];
}

test('an ordering question in a graded quiz is arranged by keyboard and by drag, and autosaves without an error', async () => {
  const teacher = await env.newPage();
  let code = '';
  await step(teacher, 'instructor sets a quiz of one ordering question', async () => {
    await logIn(teacher, instructor.email, instructor.password);
    await teacher.goto('/classes');
    await teacher.getByLabel('New class name').fill('Ordering class');
    await teacher.getByRole('button', { name: 'Create class' }).click();
    code = (await teacher.getByTestId('join-code').textContent())!.trim();
    await teacher.goto('/quizzes/new');
    await teacher.getByLabel('Quiz title').fill('Ordering quiz');
    await teacher.locator('.pick-item:has(.badge:text-is("ordering")) input[type="checkbox"]').first().check();
    await teacher.getByLabel('Ordering class').check();
    await teacher.getByRole('button', { name: 'Create quiz' }).click();
    await teacher.getByRole('heading', { name: 'Ordering quiz' }).waitFor();
  });

  const page = await env.newPage();
  await step(page, 'student joins and starts the quiz', async () => {
    await logIn(page, student.email, student.password);
    await page.goto('/classes');
    await page.getByLabel('Join a class: the code your instructor gave you').fill(code);
    await page.getByRole('button', { name: 'Join class' }).click();
    await page.getByText('You joined Ordering class.').waitFor();
    await page.goto('/quizzes/assigned');
    await page.getByRole('link', { name: 'Ordering quiz' }).click();
    await page.getByRole('button', { name: 'Start the quiz' }).click();
    await page.getByText('Question 1 of 1').waitFor();
    await page.locator('ol.ordering-enhanced').waitFor();
  });

  let before: string[] = [];
  await step(page, 'each item is one row: its text and its own controls, the selects hidden', async () => {
    before = await order(page);
    assert.ok(before.length >= 3, 'an ordering question of three or more items');
    assert.equal(await page.locator('ol[data-ordering] select:visible').count(), 0);
    assert.equal(await page.getByRole('button', { name: /^Move (up|down): / }).count(), before.length * 2);
    assert.deepEqual(await seriousViolations(page), [], 'ordering question');
  });

  await step(page, 'by keyboard: the first item moves down, is announced, and the full order autosaves', async () => {
    const down = page.getByRole('button', { name: `Move down: ${before[0]}` });
    await down.focus();
    await page.keyboard.press('Enter');
    const expected = [before[1], before[0], ...before.slice(2)];
    assert.deepEqual(await order(page), expected);
    assert.equal(await page.getByTestId('ordering-announce').textContent(), `${before[0]}: position 2 of ${before.length}.`);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), `Move down: ${before[0]}`, 'focus stays on the moved item');
    await page
      .getByTestId('autosave-status')
      .getByText(/^Saved at/)
      .waitFor();
    assert.doesNotMatch((await page.getByTestId('autosave-status').textContent())!, /position/);
    // Every select holds a distinct position after the move: a swap never shares one.
    const positions = await page.locator('ol[data-ordering] select').evaluateAll((ss) => (ss as HTMLSelectElement[]).map((s) => s.value));
    assert.deepEqual(
      positions,
      positions.map((_, i) => String(i + 1)),
    );
    assert.equal((await savedOrder()).length, before.length);
  });

  await step(page, 'by drag: the last item dragged to the top', async () => {
    const now = await order(page);
    const last = page.locator('ol[data-ordering] > li').last();
    const first = page.locator('ol[data-ordering] > li').first();
    const from = (await last.locator('.ordering-handle').boundingBox())!;
    const to = (await first.boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + 20, to.y + 2, { steps: 8 });
    await page.mouse.up();
    const expected = [now[now.length - 1], ...now.slice(0, -1)];
    assert.deepEqual(await order(page), expected);
    await page.getByTestId('ordering-announce').getByText(`${expected[0]}: position 1 of ${now.length}.`).waitFor();
    await page
      .getByTestId('autosave-status')
      .getByText(/^Saved at/)
      .waitFor();
  });

  await step(page, 'the saved order comes back on reload', async () => {
    const expected = await order(page);
    await page.reload();
    await page.locator('ol.ordering-enhanced').waitFor();
    assert.deepEqual(await order(page), expected);
  });
});

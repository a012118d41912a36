import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startBrowserEnv, step, type BrowserEnv } from './harness.ts';
import { seriousViolations } from './axe.ts';
import { seedDatabase } from '../../seed/seed-database.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';

const instructor = DEMO_ACCOUNTS.find((a) => a.role === 'instructor')!;
let env: BrowserEnv;

before(async () => {
  env = await startBrowserEnv();
  await seedDatabase({ demo: true, progress: () => {} });
});
after(() => env?.close());

async function logIn(page: Page): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(instructor.email);
  await page.getByLabel('Password').fill(instructor.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${env.baseUrl}/`);
}

test('the quiz builder shows only the chosen mode, filters its pick list as one types, and keeps what was typed across the topic filter', async () => {
  const page = await env.newPage();
  await logIn(page);
  await page.goto('/quizzes/new');
  const items = page.locator('.pick-item');
  const total = await items.count();
  await step(page, 'only the hand-pick section shows until rules are chosen', async () => {
    assert.equal(await page.locator('fieldset.pick').isVisible(), true);
    assert.equal(await page.locator('fieldset.rules').isVisible(), false);
    await page.getByLabel(/^Draw by rules/).check();
    assert.equal(await page.locator('fieldset.rules').isVisible(), true);
    assert.equal(await page.locator('fieldset.pick').isVisible(), false);
    await page.getByLabel(/^Hand-pick questions/).check();
  });
  await step(page, 'typing and choosing a type filter the list at once; ticks stay', async () => {
    await items.first().locator('input').check();
    await page.getByLabel('Question type').selectOption('truefalse');
    const tf = await page.locator('.pick-item[data-type="truefalse"]').count();
    assert.ok(tf > 0 && tf < total);
    assert.equal(await page.locator('.pick-item:visible').count(), tf);
    assert.equal(await page.locator('[data-pick-count]').textContent(), `${tf} of ${total} shown`);
    const firstText = (await page.locator('.pick-item[data-type="truefalse"]').first().getAttribute('data-text'))!;
    const word = firstText.split(/\s+/).find((w) => w.length > 6)!;
    await page.getByLabel(/^Search the questions/).fill(word.toUpperCase());
    const visible = await page.locator('.pick-item:visible').count();
    assert.ok(visible >= 1 && visible <= tf);
    await page.getByLabel(/^Search the questions/).press('Enter');
    assert.equal(new URL(page.url()).pathname, '/quizzes/new', 'Enter filters, it does not post');
    await page.getByLabel('Question type').selectOption('');
    await page.getByLabel(/^Search the questions/).fill('');
    assert.equal(await page.locator('.pick-item:visible').count(), total);
    assert.equal(await items.first().locator('input').isChecked(), true);
  });
  await step(page, 'the topic filter keeps the title and mode', async () => {
    await page.getByLabel('Quiz title').fill('Typed before filtering');
    await page.getByLabel(/^Draw by rules/).check();
    await page.getByText('Only list questions on these topics').click();
    await page.locator('input[name="filterTopics"]').first().check();
    await page.getByRole('button', { name: "Show these banks' questions" }).click();
    await page.waitForLoadState('load');
    assert.equal(await page.getByLabel('Quiz title').inputValue(), 'Typed before filtering');
    assert.equal(await page.getByLabel(/^Draw by rules/).isChecked(), true);
    assert.ok((await items.count()) < total);
    assert.deepEqual(await seriousViolations(page), [], 'builder after a refresh');
  });
});

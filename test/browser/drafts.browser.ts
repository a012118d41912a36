/**
 * Drafting in Chromium: an instructor uploads a document, makes a bank on it, drafts questions
 * (watching the run's progress), accepts the top ten, edits one in the question form, rejects one,
 * and shares the bank with a class; a student of the class practises the accepted questions.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startBrowserEnv, step, type BrowserEnv } from './harness.ts';
import { describeViolations, seriousViolations } from './axe.ts';
import { seedDatabase } from '../../seed/seed-database.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';
import { Class } from '../../server/classes/model.ts';
import { Question } from '../../server/banks/model.ts';
import { DraftRecord } from '../../server/drafts/model.ts';

const instructor = DEMO_ACCOUNTS.find((a) => a.role === 'instructor')!;
const DOCUMENT = path.join(import.meta.dirname, '../drafts/fixtures/river-compact.txt');
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
  await page.keyboard.press('Enter');
  await page.waitForURL(`${env.baseUrl}/`);
}

/** The flash message after a redirect. */
const flashed = (page: Page, text: RegExp) => page.locator('.flash').filter({ hasText: text }).waitFor();

test('an instructor drafts questions from an uploaded document, accepts ten, edits one, rejects one; a student practises them', async () => {
  const teacher = await env.newPage();
  await logIn(teacher, instructor.email, instructor.password);
  let sourceId = '';
  let bankId = '';

  await step(teacher, 'upload a document and make a class and a bank on it', async () => {
    await teacher.goto('/classes');
    await teacher.getByLabel('New class name').fill('River seminar');
    await teacher.keyboard.press('Enter');
    await teacher.waitForURL(/\/classes\/[a-f0-9]{24}$/);
    await teacher.goto('/sources/new');
    await teacher.getByLabel('Title').fill('River compact');
    await teacher.locator('#file').setInputFiles(DOCUMENT);
    await teacher.getByRole('button', { name: 'Preview' }).click();
    await teacher.getByRole('button', { name: 'Save the source' }).click();
    await teacher.waitForURL(/\/sources\/[a-f0-9-]{36}$/);
    sourceId = /\/sources\/([a-f0-9-]{36})$/.exec(teacher.url())![1]!;
    await teacher.goto('/banks');
    await teacher.getByLabel('Title').fill('River questions');
    await teacher.getByLabel('Source document').selectOption({ label: 'River compact' });
    await teacher.getByRole('button', { name: 'Create bank' }).click();
    await teacher.waitForURL(/\/banks\/[a-f0-9]{24}$/);
    bankId = /([a-f0-9]{24})$/.exec(teacher.url())![1]!;
  });

  await step(teacher, 'draft questions from the source page and watch the run finish', async () => {
    await teacher.goto(`/sources/${sourceId}`);
    await teacher.getByRole('link', { name: 'Draft questions from this source' }).click();
    await teacher.getByRole('button', { name: 'Draft questions' }).click();
    // The page polls the run's status and reloads when the drafts are stored.
    await teacher.locator('#draft-run-done').waitFor({ timeout: 60_000 });
    assert.ok((await teacher.getByTestId('draft').count()) >= 12);
    await teacher.locator('.draft-passage blockquote').first().waitFor();
    assert.equal(describeViolations('the drafts queue', await seriousViolations(teacher)), '');
  });

  await step(teacher, 'accept the top ten into the bank', async () => {
    await teacher.getByLabel('How many, from the top of the queue').fill('10');
    await teacher.getByRole('button', { name: 'Accept the top N' }).click();
    await flashed(teacher, /Accepted 10 drafts/);
    assert.equal(await Question.countDocuments({ bankId, retired: false }), 10);
  });

  await step(teacher, 'edit one draft in the question form and save it', async () => {
    await teacher
      .getByRole('link', { name: /^Edit:/ })
      .first()
      .click();
    await teacher.waitForURL(/\/drafts\/[a-f0-9]{24}\/edit\?bank=/);
    assert.equal(describeViolations('a draft in the question form', await seriousViolations(teacher)), '');
    const prompt = teacher.getByLabel('Prompt');
    await prompt.fill(`${await prompt.inputValue()} (checked)`);
    if (!(await teacher.locator('input[name="topics"]:checked').count())) await teacher.locator('input[name="topics"]').first().check();
    await teacher.getByRole('button', { name: 'Add question' }).click();
    await flashed(teacher, /The edited draft is question/);
    assert.equal(await Question.countDocuments({ bankId, retired: false, 'definition.prompt': /\(checked\)$/ }), 1);
  });

  await step(teacher, 'reject one draft', async () => {
    const before = await teacher.getByTestId('draft').count();
    await teacher
      .getByRole('button', { name: /^Reject:/ })
      .first()
      .click();
    await flashed(teacher, /Draft rejected/);
    assert.equal(await teacher.getByTestId('draft').count(), before - 1);
    assert.equal(await DraftRecord.countDocuments({ sourceId, status: 'rejected' }), 1);
    assert.equal(await Question.countDocuments({ bankId, retired: false }), 11);
  });

  await step(teacher, 'share the bank with the class', async () => {
    await teacher.goto(`/banks/${bankId}/sharing`);
    await teacher.getByLabel('River seminar').check();
    await teacher.getByRole('button', { name: 'Save sharing' }).click();
    await teacher.getByText(/Shared with 1 class/).waitFor();
  });

  const accepted = new Set((await Question.find({ bankId, retired: false }).lean()).map((q) => q.definition.prompt));
  const student = await env.newPage();
  await step(student, 'a new student joins the class', async () => {
    await student.goto('/register');
    await student.getByLabel('Your name').fill('River Student');
    await student.getByLabel('Email').fill('river-student@example.test');
    await student.getByLabel('Password (at least 10 characters)').fill('correct horse battery');
    await student.getByRole('button', { name: 'Create account' }).click();
    await student.waitForURL(`${env.baseUrl}/`);
    const cls = await Class.findOne({ name: 'River seminar' }).lean();
    await student.goto('/classes');
    await student.getByLabel('Join a class: the code your instructor gave you').fill(cls!.joinCode);
    await student.keyboard.press('Enter');
    await student.waitForURL(`${env.baseUrl}/classes/${String(cls!._id)}`);
  });

  await step(student, 'practise the accepted questions, each with its passage in the feedback', async () => {
    await student.goto('/practice');
    await student.locator('#f-bank').selectOption({ label: 'River questions (11 questions)' });
    await student.getByRole('button', { name: 'Choose this bank' }).click();
    await student.getByTestId('practice-bank').filter({ hasText: 'River questions' }).waitFor();
    await student.getByRole('button', { name: 'Start practising' }).click();
    await student.waitForURL(/\/practice\/[a-f0-9]{24}$/);
    // Every accepted question (the ordering one among them): a session of a small bank runs through it all.
    let answered = 0;
    for (let i = 0; i < 11; i++) {
      const text = await student.locator('.practice-question').innerText();
      assert.ok(
        [...accepted].some((p) => text.includes(p)),
        `not an accepted question: ${text.slice(0, 300)}`,
      );
      // Any answer will do: the journey is about reaching the feedback with its source.
      for (const input of await student
        .locator('.practice-question input[type="text"], .practice-question input[type="number"], .practice-question input:not([type])')
        .all())
        await input.fill('1995');
      const radios = student.locator('.practice-question input[type="radio"]');
      if (await radios.count()) await radios.first().check();
      for (const select of await student.locator('.practice-question select:visible').all()) await select.selectOption({ index: 1 });
      // An ordering draft is arranged with its drag-and-drop list (its selects are hidden then).
      const moveDown = student.locator('.practice-question button[data-move="down"]');
      if (await moveDown.count()) await moveDown.first().click();
      await student.getByRole('button', { name: 'Check my answer' }).click();
      await student.waitForURL(/\/feedback\/\d+$/);
      await student.locator('mark').first().waitFor();
      answered += 1;
      await student.locator('#next-question').click();
      if (/\/summary$/.test(student.url())) break;
    }
    assert.ok(answered >= 10, `${answered} questions answered`);
  });
});

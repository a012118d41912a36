/**
 * A course from a document, in Chromium: an instructor uploads a document, makes a bank on it,
 * edits its topics, writes three questions citing its passages and shares it with a class; a
 * student of that class practises it, studies it as flashcards and sees its map; the instructor
 * uploads a changed version and the questions citing the changed passage are flagged.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startBrowserEnv, step, type BrowserEnv } from './harness.ts';
import { seedDatabase } from '../../seed/seed-database.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';
import { Class } from '../../server/classes/model.ts';
import { Bank, Question } from '../../server/banks/model.ts';

const instructor = DEMO_ACCOUNTS.find((a) => a.role === 'instructor')!;
let env: BrowserEnv;

let dir: string;

before(async () => {
  env = await startBrowserEnv();
  await seedDatabase({ demo: true, progress: () => {} });
  dir = mkdtempSync(path.join(tmpdir(), 'lectern-course-'));
});
after(async () => {
  await env?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A Markdown document of two sections, written to the temp folder for the file input. */
function notesFile(name: string, background: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, `# Seminar notes\n\n## Founding\n\nThe Shanghai Cooperation Organisation was founded in 2001.\n\n## Background\n\n${background}\n`);
  return file;
}

async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${env.baseUrl}/`);
}

const QUESTIONS = [
  { prompt: 'The SCO grew out of the Shanghai Five.', quote: 'Shanghai Five', passage: 'background-1' },
  { prompt: 'The Shanghai Five began as a border process.', quote: 'Shanghai Five', passage: 'background-1' },
  { prompt: 'The SCO was founded in 2001.', quote: 'Shanghai Cooperation Organisation', passage: 'founding-1' },
];

test('an instructor turns a source into a shared bank; a student of the class practises it, studies it and sees its map', async () => {
  const teacher = await env.newPage();
  await logIn(teacher, instructor.email, instructor.password);
  let bankId = '';

  let sourceUrl = '';
  await step(teacher, 'upload the document', async () => {
    await teacher.goto('/sources/new');
    await teacher.getByLabel('Title').fill('Seminar notes');
    await teacher.getByLabel(/Upload a file/).setInputFiles(notesFile('notes.md', 'The Shanghai Five began as a border process among five states.'));
    await teacher.getByRole('button', { name: 'Preview' }).click();
    await teacher.getByRole('button', { name: 'Save the source' }).click();
    await teacher.waitForURL(/\/sources\/[a-z0-9-]+$/);
    sourceUrl = new URL(teacher.url()).pathname;
    assert.match(await teacher.locator('#background-1').innerText(), /border process/);
  });

  await step(teacher, 'make a class and a bank on the uploaded document', async () => {
    await teacher.goto('/classes');
    await teacher.getByLabel('New class name').fill('Harbour seminar');
    await teacher.keyboard.press('Enter');
    await teacher.waitForURL(/\/classes\/[a-f0-9]{24}$/);
    await teacher.goto('/banks');
    await teacher.getByLabel('Title').fill('Seminar questions');
    await teacher.locator('#f-sourceId').selectOption({ label: 'Seminar notes' });
    await teacher.getByRole('button', { name: 'Create bank' }).click();
    await teacher.waitForURL(/\/banks\/[a-f0-9]{24}$/);
    bankId = /([a-f0-9]{24})$/.exec(teacher.url())![1]!;
  });

  await step(teacher, 'edit the bank’s topics: add two, rename one, move it up', async () => {
    await teacher.getByRole('link', { name: /^Topics/ }).click();
    await teacher.waitForURL(/\/topics$/);
    for (const name of ['Origins', 'Members']) {
      await teacher.getByLabel('Topic name').fill(name);
      await teacher.getByRole('button', { name: 'Add topic' }).click();
      await teacher.locator(`tr[data-topic="${name.toLowerCase()}"]`).waitFor();
    }
    await teacher.getByLabel('Name of Members').fill('Member states');
    await teacher.locator('tr[data-topic="members"]').getByRole('button', { name: 'Rename' }).click();
    await teacher.getByRole('button', { name: 'Move Member states up' }).click();
    await teacher.locator('tr[data-topic="members"]').waitFor();
    const names = await teacher.locator('#topic-list input[name="name"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    // After the first topics, one per section of the document the bank was made on.
    assert.deepEqual(names.slice(-2), ['Member states', 'Origins']);
    assert.equal(names.length, (await Bank.findById(bankId).lean())!.topics!.length);
  });

  await step(teacher, 'write three questions citing passages of the source', async () => {
    for (const q of QUESTIONS) {
      await teacher.goto(`/banks/${bankId}/questions/new?type=truefalse`);
      await teacher.getByLabel('Prompt').fill(q.prompt);
      await teacher.getByLabel('Origins').check();
      await teacher.getByLabel('True', { exact: true }).check();
      await teacher.locator('#f-passageId').selectOption(q.passage);
      await teacher.getByLabel('Quote').fill(q.quote);
      await teacher.getByLabel('Explanation').fill('The source says so.');
      await teacher.getByRole('button', { name: 'Add question' }).click();
      await teacher.waitForURL(/\/questions\/[a-f0-9]{24}\/edit$/);
    }
    assert.equal(await Question.countDocuments({ bankId, retired: false }), 3);
  });

  await step(teacher, 'share the bank with the class', async () => {
    await teacher.goto(`/banks/${bankId}`);
    await teacher.getByRole('link', { name: /^Sharing/ }).click();
    await teacher.getByLabel('Harbour seminar').check();
    await teacher.getByRole('button', { name: 'Save sharing' }).click();
    await teacher.getByText(/Shared with 1 class/).waitFor();
    assert.equal((await Bank.findById(bankId).lean())!.sharedWithClassIds!.length, 1);
  });

  const student = await env.newPage();
  await step(student, 'a new student joins the class', async () => {
    await student.goto('/register');
    await student.getByLabel('Your name').fill('Seminar Student');
    await student.getByLabel('Email').fill('seminar-student@example.test');
    await student.getByLabel('Password (at least 10 characters)').fill('correct horse battery');
    await student.getByRole('button', { name: 'Create account' }).click();
    await student.waitForURL(`${env.baseUrl}/`);
    const cls = await Class.findOne({ name: 'Harbour seminar' }).lean();
    await student.goto('/classes');
    await student.getByLabel('Join a class: the code your instructor gave you').fill(cls!.joinCode);
    await student.keyboard.press('Enter');
    await student.waitForURL(`${env.baseUrl}/classes/${String(cls!._id)}`);
  });

  await step(student, 'practise the shared bank, chosen from the bank chooser, by its own topic', async () => {
    await student.goto('/practice');
    await student.locator('#f-bank').selectOption({ label: 'Seminar questions (3 questions)' });
    await student.getByRole('button', { name: 'Choose this bank' }).click();
    await student.getByTestId('practice-bank').filter({ hasText: 'Seminar questions' }).waitFor();
    await student.getByLabel('Origins').check();
    await student.getByRole('button', { name: 'Start practising' }).click();
    await student.waitForURL(/\/practice\/[a-f0-9]{24}$/);
    await student.getByLabel('True', { exact: true }).check();
    await student.getByRole('button', { name: 'Check my answer' }).click();
    await student.waitForURL(/\/feedback\/0$/);
    assert.match(await student.content(), /The source says so\./);
  });

  await step(student, 'study it as flashcards', async () => {
    await student.goto(`/study?bank=${bankId}`);
    await student.getByRole('button', { name: 'Start studying' }).click();
    await student.locator('[data-study="front"]').waitFor();
    assert.ok(student.url().includes(`bank=${bankId}`), student.url());
    const front = await student.locator('[data-study="front"]').innerText();
    assert.ok(
      QUESTIONS.some((q) => front.includes(q.prompt)),
      front.slice(0, 200),
    );
  });

  await step(student, 'see its map on the progress page', async () => {
    await student.goto('/progress');
    await student.locator('[data-passage="background-1"]').first().waitFor();
    assert.match(await student.content(), /Member states|Origins/);
  });

  await step(teacher, 'upload a changed version: the questions citing the changed passage are flagged', async () => {
    await teacher.goto(sourceUrl);
    await teacher
      .getByLabel(/Upload a new version/)
      .setInputFiles(notesFile('notes-v2.md', 'The Shanghai Five began in 1996 as a border process among five states.'));
    await teacher.getByRole('button', { name: 'Upload the new version' }).click();
    await teacher.waitForURL(/#changes$/);
    await teacher.locator('tr[data-passage="background-1"]').waitFor();
    await teacher.goto(`/banks/${bankId}`);
    await teacher.locator('[data-source-changed="changed"]').first().waitFor();
    // Two of the three questions cite the changed passage; the one citing the founding is not flagged.
    assert.equal(await teacher.locator('[data-source-changed]').count(), 2);
  });
});

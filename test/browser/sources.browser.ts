/**
 * A document becomes a source, in Chromium: an instructor uploads a PDF (the page shows the
 * upload's progress, then the preview), saves it, reads it by section, writes a question citing
 * one passage (tagged with the topic the bank took from that section), and uploads a new version that changes that passage: the source page lists the
 * change old beside new and the bank flags the question "Source changed". A file Lectern cannot
 * read is refused beside the upload field.
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
import { Source } from '../../server/sources/model.ts';
import { makePdf } from '../sources/extract/make-files.ts';

const instructor = DEMO_ACCOUNTS.find((a) => a.role === 'instructor')!;
let env: BrowserEnv;
let dir: string;

before(async () => {
  env = await startBrowserEnv();
  await seedDatabase({ demo: true, progress: () => {} });
  dir = mkdtempSync(path.join(tmpdir(), 'lectern-upload-'));
});
after(async () => {
  await env?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function logIn(page: Page): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(instructor.email);
  await page.getByLabel('Password').fill(instructor.password);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${env.baseUrl}/`);
}

/** Writes a PDF of two sections (a heading in a larger font, then a paragraph) into the temp folder. */
async function pdfFile(name: string, costs: string): Promise<string> {
  const bytes = await makePdf([
    [
      { text: 'Tidal power', size: 18 },
      { text: 'The moon lifts the sea twice a day.', gap: 8 },
    ],
    [
      { text: 'Costs', size: 18 },
      { text: costs, gap: 8 },
    ],
  ]);
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

test('an instructor uploads a PDF, saves it, cites it, and uploads a changed version that flags the citing question', async () => {
  const page = await env.newPage();
  await logIn(page);
  let sourceUrl = '';

  await step(page, 'upload the PDF and read the preview', async () => {
    await page.goto('/sources/new');
    await page.getByLabel(/Upload a file/).setInputFiles(await pdfFile('tides.pdf', 'Barrages are dear to build.'));
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.locator('#preview-summary').waitFor();
    assert.match(await page.locator('#preview-summary').innerText(), /2 passages in 2 sections, from 2 pages/);
    assert.deepEqual(await page.locator('#preview-sections li').allInnerTexts(), ['Tidal power (1 passage)', 'Costs (1 passage)']);
    assert.equal(await Source.countDocuments({ title: 'Tides notes' }), 0, 'nothing stored before saving');
  });

  await step(page, 'save it and read it by section', async () => {
    await page.getByLabel('Title').fill('Tides notes');
    await page.getByRole('button', { name: 'Save the source' }).click();
    await page.waitForURL(/\/sources\/[a-z0-9-]+$/);
    sourceUrl = new URL(page.url()).pathname;
    await page.getByRole('heading', { level: 1, name: 'Tides notes' }).waitFor();
    await page.getByRole('navigation', { name: 'Sections of the document' }).getByRole('link', { name: 'Costs' }).click();
    assert.match(await page.locator('#costs-1').innerText(), /Barrages are dear to build\./);
  });

  let bankId = '';
  await step(page, 'make a bank on it with a question citing the Costs passage', async () => {
    await page.goto('/banks');
    await page.getByLabel('Title').fill('Tides questions');
    await page.locator('#f-sourceId').selectOption({ label: 'Tides notes' });
    await page.getByRole('button', { name: 'Create bank' }).click();
    await page.waitForURL(/\/banks\/[a-f0-9]{24}$/);
    bankId = /([a-f0-9]{24})$/.exec(page.url())![1]!;
    await page.goto(`/banks/${bankId}/questions/new?type=truefalse`);
    await page.getByLabel('Prompt').fill('Barrages are cheap to build.');
    await page.getByLabel('Costs', { exact: true }).check();
    await page.getByLabel('False', { exact: true }).check();
    await page.locator('#f-passageId').selectOption('costs-1');
    await page.getByLabel('Quote').fill('Barrages are dear to build');
    await page.getByLabel('Explanation').fill('The notes say they are dear.');
    await page.getByRole('button', { name: 'Add question' }).click();
    await page.waitForURL(/\/questions\/[a-f0-9]{24}\/edit$/);
    await page.goto(`/banks/${bankId}`);
    assert.equal(await page.locator('[data-source-changed]').count(), 0);
  });

  await step(page, 'a file that is not a PDF is refused beside the upload field', async () => {
    const fake = path.join(dir, 'fake.pdf');
    writeFileSync(fake, 'not a pdf at all');
    await page.goto(sourceUrl);
    await page.getByLabel(/Upload a new version/).setInputFiles(fake);
    await page.getByRole('button', { name: 'Upload the new version' }).click();
    await page.locator('#file-error').waitFor();
    assert.match(await page.locator('#file-error').innerText(), /PDF/i);
    assert.match(await page.locator('#changes-h').innerText(), /Version 1/);
  });

  await step(page, 'upload a new version that changes the Costs passage', async () => {
    await page.goto(sourceUrl);
    await page.getByLabel(/Upload a new version/).setInputFiles(await pdfFile('tides-v2.pdf', 'Barrages are dear to build and slow to pay back.'));
    await page.getByRole('button', { name: 'Upload the new version' }).click();
    await page.waitForURL(/#changes$/);
    assert.match(await page.locator('#changes-h').innerText(), /Version 2/);
    const row = page.locator('tr[data-passage="costs-1"]');
    assert.match(await row.innerText(), /changed[\s\S]*Barrages are dear to build\.[\s\S]*slow to pay back/);
    assert.equal(await page.locator('tr[data-passage="tidal-power-1"]').count(), 0, 'the unchanged passage is not listed');
  });

  await step(page, 'the bank flags the citing question', async () => {
    await page.goto(`/banks/${bankId}`);
    await page.locator('[data-source-changed="changed"]').waitFor();
    assert.equal(await page.locator('[data-source-changed]').count(), 1);
  });
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserEnv, step, type BrowserEnv } from './harness.ts';
import { seriousViolations, describeViolations } from './axe.ts';
import { seedDatabase } from '../../seed/seed-database.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';
import { Bank } from '../../server/banks/model.ts';
import { findQuestions } from '../../server/banks/service.ts';
import { User } from '../../server/accounts/model.ts';
import { Quiz } from '../../server/quizzes/model.ts';
import type { Page } from 'playwright-core';

let env: BrowserEnv;
before(async () => {
  env = await startBrowserEnv();
  await seedDatabase({ demo: true, progress: () => undefined });
});
after(() => env?.close());

async function checkPages(paths: string[], page: Page) {
  const problems: string[] = [];
  for (const path of paths) {
    await step(page, `axe ${path}`, async () => {
      const res = await page.goto(path);
      assert.ok(res && res.status() < 400, `${path} answered ${res?.status()}`);
      const violations = await seriousViolations(page);
      if (violations.length) problems.push(describeViolations(path, violations));
    });
  }
  assert.equal(problems.join('\n'), '', 'no serious or critical accessibility violations');
}

/** Checks the page as it is now (after clicks), not a fresh load. */
async function checkCurrent(page: Page, what: string) {
  const violations = await seriousViolations(page);
  assert.equal(describeViolations(what, violations), '', `${what}: no serious or critical accessibility violations`);
}

type Scheme = 'light' | 'dark';

/** A fresh page in the given colour scheme (prefers-color-scheme). */
async function schemePage(scheme: Scheme): Promise<Page> {
  const page = await env.newPage();
  await page.emulateMedia({ colorScheme: scheme });
  await page.goto('/login');
  // The dark stylesheet really applies: the page's paper is dark only in dark mode.
  const paper = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  assert.equal(paper, scheme === 'dark' ? 'rgb(13, 17, 23)' : 'rgb(255, 255, 255)', `${scheme} paper`);
  return page;
}

async function signIn(role: 'student' | 'instructor', scheme: Scheme): Promise<Page> {
  const page = await schemePage(scheme);
  const account = DEMO_ACCOUNTS.find((d) => d.role === role)!;
  await page.goto('/login');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${env.baseUrl}/`);
  return page;
}

// Every page is checked in light and in dark mode.
for (const scheme of ['light', 'dark'] as const) {
  test(`public pages have no serious or critical axe violations (${scheme})`, async () => {
    const page = await schemePage(scheme);
    await checkPages(['/', '/login', '/register'], page);
  });

  test(`a signed-in student's pages have no serious or critical axe violations (${scheme})`, async () => {
    const page = await signIn('student', scheme);
    const bank = await Bank.findOne({ slug: 'sco-policy-brief' }).lean();
    await checkPages(
      [
        '/',
        '/account',
        '/sources/sco-policy-brief?passage=intro-1&quote=captured',
        '/progress',
        '/practice',
        '/study',
        '/quizzes/assigned',
        '/classes',
        '/banks',
      ],
      page,
    );
    await step(page, 'axe practice question and feedback', async () => {
      await page.goto('/practice');
      await page.getByLabel('Multiple choice', { exact: true }).check();
      await page.getByRole('button', { name: 'Start practising' }).click();
      await page.getByRole('button', { name: 'Check my answer' }).waitFor();
      await checkCurrent(page, 'practice question');
      await page.getByRole('button', { name: 'Check my answer' }).click();
      await page.getByRole('link', { name: 'Show source' }).waitFor();
      await checkCurrent(page, 'practice feedback');
    });
    await step(page, 'axe flashcard front and back', async () => {
      await page.goto(`/study/session?bank=${bank!._id}`);
      await page.getByRole('button', { name: /Show answer/ }).waitFor();
      await checkCurrent(page, 'flashcard front');
      await page.getByRole('button', { name: /Show answer/ }).click();
      await page.getByRole('button', { name: /^Good/ }).waitFor();
      await checkCurrent(page, 'flashcard back');
    });
  });

  test(`an instructor's pages have no serious or critical axe violations (${scheme})`, async () => {
    const page = await signIn('instructor', scheme);
    await step(page, 'create a class and a quiz', async () => {
      await page.goto('/classes');
      await page.getByLabel('New class name').fill(`Axe class ${scheme}`);
      await page.getByRole('button', { name: /Create/i }).click();
      await page.waitForURL(/\/classes\/[a-f0-9]{24}$/);
    });
    const classUrl = new URL(page.url()).pathname;
    await step(page, 'copy the shipped bank', async () => {
      await page.goto('/banks');
      await page
        .getByRole('button', { name: /Copy into my banks/ })
        .first()
        .click();
      await page.waitForURL(/\/banks\/[a-f0-9]{24}$/);
    });
    const bankUrl = new URL(page.url()).pathname;
    const ownBank = await Bank.findById(bankUrl.split('/').pop()).lean();
    const [question] = await findQuestions(String(ownBank!._id));
    const instructor = await User.findOne({ email: DEMO_ACCOUNTS[0]!.email }).lean();
    const quiz = await Quiz.create({
      title: `Axe quiz ${scheme}`,
      ownerId: instructor!._id,
      bankIds: [ownBank!._id],
      selection: { mode: 'pick', questionIds: [question!.id] },
    });
    await checkPages(
      [
        classUrl,
        `${classUrl}/gradebook`,
        `${classUrl}/paper-map`,
        '/quizzes/new',
        `/quizzes/${quiz._id}`,
        `/quizzes/${quiz._id}/statistics`,
        '/banks',
        bankUrl,
        `${bankUrl}/questions/${question!.id}/edit`,
        `${bankUrl}/import`,
        `${bankUrl}/topics`,
        `${bankUrl}/sharing`,
      ],
      page,
    );
  });
}

test('every page can be used by keyboard: Tab reaches the main links with a visible focus', async () => {
  const page = await env.newPage();
  await page.goto('/login');
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement?.textContent?.trim());
  assert.equal(first, 'Skip to content');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    return { tag: el.tagName, outline: getComputedStyle(el).outlineStyle };
  });
  assert.notEqual(outline.outline, 'none', `focused ${outline.tag} shows an outline`);
});

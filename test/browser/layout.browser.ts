import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startBrowserEnv, step, type BrowserEnv } from './harness.ts';
import { seedDatabase } from '../../seed/seed-database.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';

const instructor = DEMO_ACCOUNTS.find((a) => a.role === 'instructor')!;
const student = DEMO_ACCOUNTS.find((a) => a.role === 'student')!;
const PHONE = 390;
let env: BrowserEnv;

before(async () => {
  env = await startBrowserEnv();
  await seedDatabase({ demo: true, progress: () => {} });
});
after(() => env?.close());

async function phonePage(browser: Browser): Promise<Page> {
  // Not isMobile: a mobile viewport zooms out to fit a wide page, so innerWidth would grow with it.
  const context = await browser.newContext({
    baseURL: env.baseUrl,
    viewport: { width: PHONE, height: 844 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  return context.newPage();
}

async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${env.baseUrl}/`);
}

/** Opens each path and collects those whose document is wider than the viewport. */
async function tooWide(page: Page, paths: string[]): Promise<string[]> {
  const wide: string[] = [];
  for (const p of paths) {
    const res = await page.goto(p);
    assert.equal(res?.status(), 200, `${p} opens`);
    const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    if (scroll > inner || scroll > PHONE) wide.push(`${p}: ${scroll} px wide at ${inner} px`);
  }
  return wide;
}

/** The header's section links as [text, href, current?]. */
async function headerLinks(page: Page): Promise<Array<[string, string, boolean]>> {
  return page
    .locator('.site-header nav ul a')
    .evaluateAll((as) =>
      as.map((a) => [a.textContent!.trim(), a.getAttribute('href')!, a.getAttribute('aria-current') === 'page'] as [string, string, boolean]),
    );
}

test('a student: the header has the student sections with the current one marked, and no page is wider than a 390 px phone', async () => {
  const page = await phonePage(env.browser);
  await step(page, 'student header', async () => {
    await logIn(page, student.email, student.password);
    assert.deepEqual(
      (await headerLinks(page)).map(([text, href]) => [text, href]),
      [
        ['Practise', '/practice'],
        ['Flashcards', '/study'],
        ['Quizzes', '/quizzes/assigned'],
        ['Classes', '/classes'],
        ['Progress', '/progress'],
        ['Account', '/account'],
      ],
    );
    assert.equal((await headerLinks(page)).filter(([, , current]) => current).length, 0, 'nothing marked on the home page');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Flashcards' }).click();
    await page.waitForURL(`${env.baseUrl}/study`);
    assert.deepEqual(
      (await headerLinks(page)).filter(([, , c]) => c).map(([t]) => t),
      ['Flashcards'],
    );
    await page.goto('/quizzes/assigned');
    assert.deepEqual(
      (await headerLinks(page)).filter(([, , c]) => c).map(([t]) => t),
      ['Quizzes'],
    );
  });
  await step(page, 'student pages at 390 px', async () => {
    const wide = await tooWide(page, [
      '/',
      '/practice',
      '/study',
      '/quizzes/assigned',
      '/classes',
      '/progress',
      '/account',
      '/banks',
      '/sources/sco-policy-brief',
    ]);
    assert.deepEqual(wide, []);
  });
  await page.context().close();
});

test('an instructor: the header has the instructor sections, and no page is wider than a 390 px phone', async () => {
  const page = await phonePage(env.browser);
  let bankPath = '';
  let classPath = '';
  await step(page, 'instructor header', async () => {
    await logIn(page, instructor.email, instructor.password);
    assert.deepEqual(
      (await headerLinks(page)).map(([text, href]) => [text, href]),
      [
        ['Banks', '/banks'],
        ['Classes', '/classes'],
        ['Quizzes', '/quizzes'],
        ['Account', '/account'],
      ],
    );
    await page.goto('/quizzes/new');
    assert.deepEqual(
      (await headerLinks(page)).filter(([, , c]) => c).map(([t]) => t),
      ['Quizzes'],
      'a page inside a section marks it',
    );
  });
  await step(page, 'instructor makes a bank and a class to look at', async () => {
    await page.goto('/banks');
    await page.getByLabel('Title').fill('Phone bank with a Verylongunbrokenwordthatwouldwidenthepageonaphonescreen');
    await page.getByRole('button', { name: 'Create bank' }).click();
    await page.waitForURL(/\/banks\/[a-f0-9]{24}$/);
    bankPath = new URL(page.url()).pathname;
    await page.goto('/classes');
    await page.getByLabel('New class name').fill('Phone class');
    await page.getByRole('button', { name: 'Create class' }).click();
    await page.getByTestId('join-code').waitFor();
    classPath = new URL(page.url()).pathname;
    assert.match(classPath, /^\/classes\/[a-f0-9]{24}$/);
  });
  await step(page, 'the join code has a Copy button that copies it and says so', async () => {
    const code = (await page.getByTestId('join-code').textContent())!.trim();
    await page.getByRole('button', { name: 'Copy join code' }).click();
    await page.getByRole('status').getByText('Copied.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code);
  });
  await step(page, 'instructor pages at 390 px', async () => {
    const wide = await tooWide(page, [
      '/',
      '/banks',
      bankPath,
      `${bankPath}/import`,
      `${bankPath}/questions/new`,
      `${bankPath}/topics`,
      `${bankPath}/sharing`,
      '/quizzes',
      '/quizzes/new',
      '/classes',
      classPath,
      `${classPath}/gradebook`,
      `${classPath}/paper-map`,
      '/account',
      '/study',
      '/practice',
    ]);
    assert.deepEqual(wide, []);
  });
  await page.context().close();
});

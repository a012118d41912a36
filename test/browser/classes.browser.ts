/**
 * A class's life in Chromium: an instructor creates one with a Unicode name and copies its join
 * code with the Copy button; a student joins with the code typed loosely; the instructor archives
 * the class (confirming the dialog) and both see it move to "Archived classes"; unarchived, it
 * comes back. On a 390 px phone the class pages fit the screen.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startBrowserEnv, step, type BrowserEnv } from './harness.ts';
import { seedDatabase } from '../../seed/seed-database.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';

const instructor = DEMO_ACCOUNTS.find((a) => a.role === 'instructor')!;
const student = DEMO_ACCOUNTS.find((a) => a.role === 'student')!;
const NAME = 'Séminaire d’été: Eurasian security';
let env: BrowserEnv;

before(async () => {
  env = await startBrowserEnv();
  await seedDatabase({ demo: true, progress: () => {} });
});
after(async () => {
  await env?.close();
});

async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${env.baseUrl}/`);
}

/** Whether the page is no wider than its viewport (nothing to scroll sideways). */
async function fitsTheScreen(page: Page): Promise<{ scroll: number; inner: number }> {
  return page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
}

test('an instructor creates a class and copies its code; a student joins; archiving moves it for both, and unarchiving brings it back', async () => {
  const teacher = await env.newPage();
  await teacher.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.baseUrl });
  await logIn(teacher, instructor.email, instructor.password);
  let classUrl = '';
  let code = '';

  await step(teacher, 'create the class and copy its join code', async () => {
    await teacher.goto('/classes');
    await teacher.getByLabel('New class name').fill(NAME);
    await teacher.getByRole('button', { name: 'Create class' }).click();
    await teacher.waitForURL(/\/classes\/[a-f0-9]{24}$/);
    classUrl = new URL(teacher.url()).pathname;
    assert.equal(await teacher.getByRole('heading', { level: 1 }).innerText(), NAME);
    code = (await teacher.getByTestId('join-code').innerText()).trim();
    assert.match(code, /^[A-Z0-9]{3,}(-[A-Z0-9]+)*$/);
    await teacher.getByRole('button', { name: 'Copy join code' }).click();
    await teacher.getByRole('status').filter({ hasText: 'Copied.' }).waitFor();
    assert.equal(await teacher.evaluate(() => navigator.clipboard.readText()), code);
  });

  const learner = await env.newPage();
  await logIn(learner, student.email, student.password);
  await step(learner, 'join with the code typed in lower case, without its hyphens', async () => {
    await learner.goto('/classes');
    await learner.getByLabel(/Join a class/).fill(` ${code.toLowerCase().replace(/-/g, ' ')} `);
    await learner.getByRole('button', { name: 'Join class' }).click();
    await learner.goto('/classes');
    const joined = learner.locator('section[aria-labelledby="joined-h"] > ul');
    assert.match(await joined.innerText(), new RegExp(NAME.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });

  await step(teacher, 'the roster lists the student', async () => {
    await teacher.goto(classUrl);
    assert.match(await teacher.locator('main').innerText(), /Demo Student/);
  });

  await step(teacher, 'dismissing the confirmation archives nothing; accepting it archives the class', async () => {
    teacher.once('dialog', (dialog) => void dialog.dismiss());
    await teacher.getByRole('button', { name: /^Archive/ }).click();
    assert.equal(await teacher.getByTestId('archived-notice').count(), 0);
    teacher.once('dialog', (dialog) => {
      assert.match(dialog.message(), /Archive Séminaire d’été/);
      void dialog.accept();
    });
    await Promise.all([teacher.waitForURL(`${env.baseUrl}${classUrl}`), teacher.getByRole('button', { name: /^Archive/ }).click()]);
    await teacher.getByTestId('archived-notice').waitFor();
    await teacher.goto('/classes');
    // The demo instructor teaches no other class: the list says so without claiming there is none at all.
    assert.equal(await teacher.getByTestId('taught-classes').count(), 0);
    assert.equal(
      await teacher.getByTestId('no-taught-classes').innerText(),
      'You teach no running class. Create one below, or open an archived one to unarchive it.',
    );
    const archived = teacher.getByTestId('archived-taught');
    await archived.locator('summary').click();
    assert.match(await archived.innerText(), /Archived classes \(1\)[\s\S]*Séminaire d’été: Eurasian security[\s\S]*1 student/);
  });

  await step(learner, 'the student sees it under Archived classes, with the notice on its page', async () => {
    await learner.goto('/classes');
    assert.doesNotMatch(await learner.locator('section[aria-labelledby="joined-h"]').innerText(), new RegExp(`^${NAME}`, 'm'));
    const archived = learner.getByTestId('archived-joined');
    await archived.locator('summary').click();
    await archived.getByRole('link', { name: NAME }).click();
    assert.match(await learner.getByTestId('archived-notice').innerText(), /Your instructor has archived this class/);
  });

  await step(teacher, 'on a 390 px phone the class pages fit the screen', async () => {
    await teacher.setViewportSize({ width: 390, height: 844 });
    for (const url of ['/classes', classUrl]) {
      await teacher.goto(url);
      const { scroll, inner } = await fitsTheScreen(teacher);
      assert.ok(scroll <= inner, `${url} is ${scroll} px wide on a ${inner} px screen`);
    }
    await teacher.setViewportSize({ width: 1280, height: 800 });
  });

  await step(teacher, 'unarchiving brings the class back to both lists', async () => {
    await teacher.goto(classUrl);
    await teacher.getByRole('button', { name: /^Unarchive/ }).click();
    await teacher.getByTestId('join-code').waitFor();
    assert.equal(await teacher.getByTestId('archived-notice').count(), 0);
    await teacher.goto('/classes');
    assert.match(await teacher.getByTestId('taught-classes').innerText(), /Séminaire d’été/);
    await learner.goto('/classes');
    assert.equal(await learner.getByTestId('archived-joined').count(), 0);
  });
});

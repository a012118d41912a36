import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { startBrowserEnv, step, type BrowserEnv } from './harness.ts';
import { seedDatabase } from '../../seed/seed-database.ts';
import { User } from '../../server/accounts/model.ts';

let env: BrowserEnv;
before(async () => {
  env = await startBrowserEnv();
  await seedDatabase({ demo: true, progress: () => {} });
});
after(() => env?.close());

/** A page in a browser whose clock is in `timezoneId`, as a person abroad would use. */
async function pageIn(browser: Browser, timezoneId: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: env.baseUrl, timezoneId });
  return context.newPage();
}

async function register(page: Page, name: string, email: string): Promise<void> {
  await page.goto('/register');
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password (at least 10 characters)').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(`${env.baseUrl}/`);
}

test('a quiz due "today 17:00" for an instructor in Australia/Sydney shows the right instant to a student in Europe/London', async () => {
  const teacher = await pageIn(env.browser, 'Australia/Sydney');
  const student = await pageIn(env.browser, 'Europe/London');
  // "Today" as the instructor sees it, at 17:00 on their wall clock.
  const dueLocal = DateTime.now().setZone('Australia/Sydney').set({ hour: 17, minute: 0, second: 0, millisecond: 0 });
  let code = '';
  await step(teacher, 'the instructor registers; the browser reports the zone', async () => {
    await register(teacher, 'Sydney Teacher', 'syd.browser@example.com');
    assert.equal((await User.findOne({ email: 'syd.browser@example.com' }).lean())!.timeZone, 'Australia/Sydney');
    await User.updateOne({ email: 'syd.browser@example.com' }, { $set: { role: 'instructor' } });
    await teacher.goto('/classes');
    await teacher.getByLabel('New class name').fill('Zones class');
    await teacher.getByRole('button', { name: 'Create class' }).click();
    code = (await teacher.getByTestId('join-code').textContent())!.trim();
  });
  await step(teacher, 'the instructor sets the due date in Sydney time', async () => {
    await teacher.goto('/quizzes/new');
    await teacher.getByLabel('Quiz title').fill('Zoned browser quiz');
    await teacher.locator('.pick-item input[type="checkbox"]').first().check();
    await teacher.getByLabel('Due, in your time zone, Australia/Sydney (blank: none)').fill(dueLocal.toFormat("yyyy-MM-dd'T'HH:mm"));
    await teacher.getByLabel('Zones class').check();
    await teacher.getByRole('button', { name: 'Create quiz' }).click();
    await teacher.getByRole('heading', { name: 'Zoned browser quiz' }).waitFor();
  });
  await step(student, 'a student in London sees the same instant on their clock', async () => {
    await register(student, 'London Student', 'ldn.browser@example.com');
    await student.goto('/classes');
    await student.getByLabel('Join a class: the code your instructor gave you').fill(code);
    await student.getByRole('button', { name: 'Join class' }).click();
    await student.goto('/quizzes/assigned');
    const row = student.getByRole('row', { name: /Zoned browser quiz/ });
    const london = dueLocal.setZone('Europe/London');
    const expected = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    }).format(london.toJSDate());
    // 17:00 in Sydney is 06:00 to 08:00 in London, by the season of each.
    assert.match(expected, /0[678]:00 (GMT|BST)/);
    assert.ok(((await row.textContent()) ?? '').includes(expected), `expected ${expected} in: ${await row.textContent()}`);
  });
});

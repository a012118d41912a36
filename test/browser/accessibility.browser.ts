import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserEnv, step, type BrowserEnv } from './harness.ts';
import { seriousViolations, describeViolations } from './axe.ts';
import { seedDatabase } from '../../seed/seed-database.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';

let env: BrowserEnv;
before(async () => {
  env = await startBrowserEnv();
  await seedDatabase({ demo: true, progress: () => undefined });
});
after(() => env?.close());

async function checkPages(paths: string[], page: Awaited<ReturnType<BrowserEnv['newPage']>>) {
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

test('public pages have no serious or critical axe violations', async () => {
  const page = await env.newPage();
  await checkPages(['/', '/login', '/register'], page);
});

test('a signed-in student\'s pages have no serious or critical axe violations', async () => {
  const page = await env.newPage();
  const student = DEMO_ACCOUNTS.find((d) => d.role === 'student')!;
  await page.goto('/login');
  await page.getByLabel('Email').fill(student.email);
  await page.getByLabel('Password').fill(student.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${env.baseUrl}/`);
  await checkPages(['/', '/account', '/sources/sco-policy-brief?passage=intro-1&quote=captured'], page);
});

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

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserEnv, step, type BrowserEnv } from './harness.ts';

let env: BrowserEnv;
before(async () => {
  env = await startBrowserEnv();
});
after(() => env?.close());

test('register, log out, log in, see your name, change your password, log in with the new one', async () => {
  const page = await env.newPage();
  await step(page, 'register', async () => {
    await page.goto('/register');
    await page.getByLabel('Your name').fill('Browser Student');
    await page.getByLabel('Email').fill('browser@example.com');
    await page.getByLabel(/^Password/).fill('first browser password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${env.baseUrl}/`);
    assert.equal(await page.getByTestId('user-name').textContent(), 'Browser Student');
  });
  await step(page, 'log out', async () => {
    await page.getByRole('button', { name: /Log out/ }).click();
    await page.waitForURL(/\/login$/);
  });
  await step(page, 'log in', async () => {
    await page.getByLabel('Email').fill('browser@example.com');
    await page.getByLabel('Password').fill('first browser password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${env.baseUrl}/`);
    assert.equal(await page.getByTestId('user-name').textContent(), 'Browser Student');
  });
  await step(page, 'change password', async () => {
    await page.goto('/account');
    await page.getByLabel('Current password').fill('first browser password');
    await page.getByLabel(/^New password/).fill('second browser password');
    await page.getByLabel('Repeat the new password').fill('second browser password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Your password was changed.').waitFor();
  });
  await step(page, 'log in with the new password', async () => {
    await page.getByRole('button', { name: /Log out/ }).click();
    await page.waitForURL(/\/login$/);
    await page.getByLabel('Email').fill('browser@example.com');
    await page.getByLabel('Password').fill('first browser password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('That email and password do not match an account.').waitFor();
    await page.getByLabel('Email').fill('browser@example.com');
    await page.getByLabel('Password').fill('second browser password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${env.baseUrl}/`);
    assert.equal(await page.getByTestId('user-name').textContent(), 'Browser Student');
  });
});

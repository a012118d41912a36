import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { startTestApp, postForm, registerAs, loginAs, type TestApp } from '../helpers/test-app.ts';
import { joinClass } from '../quizzes/helpers.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({ loginRateLimit: 3, codeGuessRateLimit: 3 });
});
after(() => t.close());

const sidOf = (res: request.Response) =>
  ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith('lectern.sid='))
    ?.split(';')[0];

/** Whether the agent is still signed in: /account answers 200, or sends them to log in. */
async function signedIn(agent: request.Agent): Promise<boolean> {
  const res = await agent.get('/account');
  if (res.status === 200) return true;
  assert.equal(res.status, 302);
  assert.match(res.headers.location!, /^\/login/);
  return false;
}

test('a password change signs out the other session and keeps this one under a new session id', async () => {
  const here = await registerAs(t.app, 'Two Browsers', 'two@example.com', 'first password 1');
  const there = await loginAs(t.app, 'two@example.com', 'first password 1');
  const bystander = await registerAs(t.app, 'Someone Else', 'else@example.com');
  assert.ok((await signedIn(here)) && (await signedIn(there)));

  const before = sidOf(await here.get('/account'));
  const changed = await postForm(here, '/account', '/account/password', {
    currentPassword: 'first password 1',
    newPassword: 'second password 2',
    confirmPassword: 'second password 2',
  });
  assert.equal(changed.status, 302);
  const after = sidOf(changed);
  assert.ok(after, 'a new session cookie is sent');
  assert.notEqual(after, before, 'the session id was rotated');

  const page = await here.get('/account');
  assert.equal(page.status, 200, 'this browser keeps working');
  assert.match(page.text, /signed out everywhere else/);
  assert.equal(await signedIn(there), false, 'the other browser is signed out');
  assert.equal(await signedIn(here), true);
  assert.equal(await signedIn(bystander), true, 'other users keep their sessions');
});

test('"sign out everywhere" ends every session of the account, this one included', async () => {
  const one = await registerAs(t.app, 'Many Devices', 'many@example.com', 'a long password 1');
  const two = await loginAs(t.app, 'many@example.com', 'a long password 1');
  assert.match((await one.get('/account')).text, /Sign out everywhere/);
  const res = await postForm(one, '/account', '/account/sessions/end', {});
  assert.equal(res.status, 303);
  assert.match((await one.get(res.headers.location!)).text, /signed out on every device/);
  assert.equal(await signedIn(one), false);
  assert.equal(await signedIn(two), false);
  assert.ok(await signedIn(await loginAs(t.app, 'many@example.com', 'a long password 1')), 'the password still works');
});

test('password changes are rate-limited per account (each costs argon2): past the limit, 429', async () => {
  const agent = await registerAs(t.app, 'Guessing Thief', 'thief@example.com', 'the real password');
  for (let i = 0; i < 3; i++) {
    const res = await postForm(agent, '/account', '/account/password', {
      currentPassword: `guess ${i} xxxx`,
      newPassword: 'new password 22',
      confirmPassword: 'new password 22',
    });
    assert.equal(res.status, 400);
  }
  const limited = await postForm(agent, '/account', '/account/password', {
    currentPassword: 'the real password',
    newPassword: 'new password 22',
    confirmPassword: 'new password 22',
  });
  assert.equal(limited.status, 429);
  assert.match(limited.text, /Too many attempts/);
  await loginAs(t.app, 'thief@example.com', 'the real password');
});

test('join-code guesses are rate-limited per account: past the limit, 429 even for a real code', async () => {
  const agent = await registerAs(t.app, 'Code Guesser', 'codes@example.com');
  for (const code of ['ZZZZ-ZZZZ', 'YYYY-YYYY', 'XXXX-XXXX']) assert.equal((await joinClass(agent, code)).status, 400);
  const limited = await joinClass(agent, 'WWWW-WWWW');
  assert.equal(limited.status, 429);
  assert.match(limited.text, /wait \d+ minutes? and try again/);
});

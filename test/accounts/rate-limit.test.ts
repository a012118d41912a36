import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startTestApp, postForm, registerAs, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({ loginRateLimit: 3 });
});
after(() => t.close());

async function failLogin(email: string) {
  const agent = request.agent(t.app);
  return postForm(agent, '/login', '/login', { email, password: 'wrong password' });
}

test('login answers 429 with a page saying when to retry after the configured number of failures', async () => {
  await registerAs(t.app, 'Target', 'target@example.com', 'the real password');
  for (let i = 0; i < 3; i++) assert.equal((await failLogin('target@example.com')).status, 401);
  const limited = await failLogin('target@example.com');
  assert.equal(limited.status, 429);
  // The window is the default 15 minutes: the page reads when the limit resets from express-rate-limit.
  assert.match(limited.text, /wait 15 minutes and try again/);
  // Even the right password is refused while the limit holds.
  const agent = request.agent(t.app);
  const right = await postForm(agent, '/login', '/login', { email: 'target@example.com', password: 'the real password' });
  assert.equal(right.status, 429);
});

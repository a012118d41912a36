import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import session from 'express-session';
import { createHmac } from 'node:crypto';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { createApp } from '../../server/app.ts';
import { startTestApp, registerAs, type TestApp } from '../helpers/test-app.ts';

/** A session store that fails on read: the request ends in the error handler with a 500. */
class BrokenStore extends session.MemoryStore {
  override get(_sid: string, callback: (err: unknown) => void): void {
    callback(new Error('store-exploded-marker'));
  }
}

/** express-session's cookie signature (cookie-signature: HMAC-SHA256, base64 without padding). */
const sign = (value: string, secret: string) => `${value}.${createHmac('sha256', secret).update(value).digest('base64').replace(/=+$/, '')}`;

function brokenApp(env: Record<string, string | undefined>) {
  const config = loadConfig({ LECTERN_DATA_DIR: ':memory:', LOG_LEVEL: 'silent', ...env });
  const app = createApp({ config, logger: createLogger('silent'), db: { ping: async () => true }, sessionStore: new BrokenStore() });
  const cookie = `lectern.sid=${encodeURIComponent('s:' + sign('some-session-id', config.sessionSecret))}`;
  return { app, cookie };
}

test('a 500 page hides the stack by default (NODE_ENV unset) and in test and production', async () => {
  for (const env of [{} as Record<string, string>, { NODE_ENV: 'test' }, { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) }]) {
    const { app, cookie } = brokenApp(env);
    const page = await request(app).get('/').set('Cookie', cookie);
    assert.equal(page.status, 500, JSON.stringify(env));
    assert.ok(!page.text.includes('store-exploded-marker'), `no stack with ${JSON.stringify(env)}`);
    assert.match(page.text, /unexpected error/);
    const json = await request(app).get('/').set('Cookie', cookie).set('Accept', 'application/json');
    assert.equal(json.status, 500);
    assert.ok(!JSON.stringify(json.body).includes('store-exploded-marker'));
  }
});

test('a 500 page shows the stack only when NODE_ENV=development is set explicitly', async () => {
  const { app, cookie } = brokenApp({ NODE_ENV: 'development' });
  const page = await request(app).get('/').set('Cookie', cookie);
  assert.equal(page.status, 500);
  assert.match(page.text, /store-exploded-marker/);
});

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test('pages behind a login are sent with Cache-Control: no-store', async () => {
  const agent = await registerAs(t.app, 'Cache Person', 'cache@example.com');
  for (const path of ['/', '/account', '/practice', '/study', '/classes']) {
    const res = await agent.get(path);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers['cache-control'], 'no-store', path);
  }
  const anonymous = await request(t.app).get('/css/site.css');
  assert.notEqual(anonymous.headers['cache-control'], 'no-store', 'static files stay cacheable');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import session from 'express-session';
import request from 'supertest';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';

const config = loadConfig({ NODE_ENV: 'test' });
const logger = createLogger('silent');

test('/healthz answers 503 when the database does not answer a ping', async () => {
  const app = createApp({ config, logger, db: { ping: async () => false }, sessionStore: new session.MemoryStore() });
  const res = await request(app).get('/healthz');
  assert.equal(res.status, 503);
  assert.equal(res.body.status, 'database unavailable');
});

test('every response carries helmet headers and a CSP without inline scripts', async () => {
  const app = createApp({ config, logger, db: { ping: async () => true }, sessionStore: new session.MemoryStore() });
  for (const path of ['/', '/login', '/no-such-page', '/css/site.css']) {
    const res = await request(app).get(path);
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'/, path);
    assert.doesNotMatch(csp, /unsafe-inline/, path);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
    assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN', path);
    assert.equal(res.headers['x-powered-by'], undefined, path);
  }
});

test('the layout renders a header, a footer and a skip link', async () => {
  const app = createApp({ config, logger, db: { ping: async () => true }, sessionStore: new session.MemoryStore() });
  const res = await request(app).get('/');
  assert.equal(res.status, 200);
  assert.match(res.text, /<header class="site-header">/);
  assert.match(res.text, /<footer class="site-footer">/);
  assert.match(res.text, /Skip to content/);
});

test('a JSON body that is not JSON gets a 400, not a 500', async () => {
  const app = createApp({ config, logger, db: { ping: async () => true }, sessionStore: new session.MemoryStore() });
  const res = await request(app).post('/login').set('Content-Type', 'application/json').set('Accept', 'application/json').send('{"email": ');
  assert.equal(res.status, 400);
});

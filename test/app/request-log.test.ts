import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import session from 'express-session';
import request from 'supertest';
import { pino } from 'pino';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';

const config = loadConfig({ NODE_ENV: 'test' });

/** An app whose log lines are collected as parsed JSON. */
function appWithLog() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const app = createApp({ config, logger, db: { ping: async () => true }, sessionStore: new session.MemoryStore() });
  return { app, lines };
}

test('each request is logged once with its method, path, status and a request id sent back as X-Request-Id', async () => {
  const { app, lines } = appWithLog();
  const res = await request(app).get('/login?next=%2Fbanks').set('Cookie', 'lectern.sid=secret-cookie');
  assert.equal(res.status, 200);
  const id = res.headers['x-request-id'];
  assert.match(String(id), /^[0-9a-f-]{36}$/);
  const logged = lines.filter((l) => (l.req as { id?: string } | undefined)?.id === id);
  assert.equal(logged.length, 1);
  const line = logged[0]!;
  assert.deepEqual(line.req, { id, method: 'GET', url: '/login?next=%2Fbanks' });
  assert.deepEqual(line.res, { statusCode: 200 });
  assert.equal(typeof line.responseTime, 'number');
  assert.equal(line.level, 30);
  assert.doesNotMatch(JSON.stringify(lines), /secret-cookie/, 'no header (cookie) is logged');
});

test('a 404 is logged at warn; a sane incoming X-Request-Id is kept, a forged one replaced', async () => {
  const { app, lines } = appWithLog();
  const kept = await request(app).get('/no-such-page').set('X-Request-Id', 'proxy-abc.123');
  assert.equal(kept.status, 404);
  assert.equal(kept.headers['x-request-id'], 'proxy-abc.123');
  const line = lines.find((l) => (l.req as { id?: string }).id === 'proxy-abc.123');
  assert.equal(line?.level, 40);
  const forged = await request(app).get('/login').set('X-Request-Id', 'x"} {"level":60');
  assert.notEqual(forged.headers['x-request-id'], 'x"} {"level":60');
  assert.match(String(forged.headers['x-request-id']), /^[0-9a-f-]{36}$/);
});

test('static files and the health probe are not logged', async () => {
  const { app, lines } = appWithLog();
  await request(app).get('/css/site.css');
  await request(app).get('/healthz');
  assert.equal(lines.filter((l) => l.req).length, 0);
});

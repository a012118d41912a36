import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { createApp } from '../../server/app.ts';
import { createLogger } from '../../server/logger.ts';
import { AppScope, runInScope, currentScope, scopePart } from '../../server/app-scope.ts';
import { FROZEN_SLOTS } from '../../server/quizzes/taking-service.ts';
import { registeredModels } from '../../server/models.ts';
import mongoose from 'mongoose';
import { startTestApp, registerAs, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({}, { seed: true });
});
after(() => t.close());

const scopeOf = (app: { locals: Record<string, unknown> }) => {
  const scope = app.locals.scope;
  assert.ok(scope instanceof AppScope);
  return scope;
};

test('two apps in one process share no cache and no loader', async () => {
  const other = createApp({ config: t.config, logger: createLogger('silent'), db: t.db, clock: t.now });
  const [a, b] = [scopeOf(t.app), scopeOf(other)];
  assert.notEqual(a, b);
  const before = b.size;
  // A page that reads banks, question counts and the session through shared-read loaders.
  const agent = await registerAs(t.app, 'Scope Student', 'scope@example.com');
  const page = await agent.get('/practice');
  assert.equal(page.status, 200);
  assert.ok(a.size > 0, 'app A made its loaders');
  assert.equal(b.size, before, 'app B made none of them');
  assert.notEqual(a.get(FROZEN_SLOTS), b.get(FROZEN_SLOTS), 'each app has its own slot cache');
  // The other app still serves (its own Passport, its own loaders) from the same database.
  assert.equal((await request(other).get('/about')).status, 200);
});

test('a part is made once per scope and found again inside runInScope', () => {
  let made = 0;
  const part = scopePart('counter', () => ({ n: ++made }));
  const s1 = new AppScope();
  const s2 = new AppScope();
  const first = runInScope(s1, () => currentScope().get(part));
  assert.equal(
    runInScope(s1, () => currentScope().get(part)),
    first,
  );
  assert.notEqual(
    runInScope(s2, () => currentScope().get(part)),
    first,
  );
  assert.equal(made, 2);
});

test('every registered Mongoose model is in models.ts, so its indexes are created', () => {
  const listed = new Set(registeredModels().map((m) => m.modelName));
  assert.deepEqual(
    Object.keys(mongoose.models).filter((name) => !listed.has(name)),
    [],
  );
});

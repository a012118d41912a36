import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, ConfigError } from '../../server/config.ts';

test('defaults give the embedded database in ./data with demo accounts', () => {
  const c = loadConfig({});
  assert.equal(c.mongodbUri, undefined);
  assert.equal(c.dataDir, './data');
  assert.equal(c.demo, true);
  assert.equal(c.port, 3000);
  assert.ok(Object.isFrozen(c));
});

test('with MONGODB_URI there are no demo accounts unless LECTERN_DEMO=1', () => {
  assert.equal(loadConfig({ MONGODB_URI: 'mongodb://db.example:27017/' }).demo, false);
  assert.equal(loadConfig({ MONGODB_URI: 'mongodb://db.example:27017/', LECTERN_DEMO: '1' }).demo, true);
});

test('a bad value stops start-up with a message naming the variable', () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ MONGODB_URI: 'postgres://x' }, /MONGODB_URI: must start with mongodb/],
    [{ SESSION_SECRET: 'short' }, /SESSION_SECRET/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ MONGODB_POOL_SIZE: '0' }, /MONGODB_POOL_SIZE/],
    [{ NODE_ENV: 'production' }, /SESSION_SECRET: required in production/],
  ];
  for (const [env, message] of cases) {
    assert.throws(
      () => loadConfig(env),
      (err: unknown) => err instanceof ConfigError && message.test(err.message),
      JSON.stringify(env),
    );
  }
});

test('the pool size is unset by default (db.ts picks one per database) and can be set', () => {
  assert.equal(loadConfig({}).dbPoolSize, undefined);
  assert.equal(loadConfig({ MONGODB_POOL_SIZE: '50' }).dbPoolSize, 50);
});

test('LECTERN_DATA_DIR=:memory: keeps the embedded data in memory', () => {
  assert.equal(loadConfig({ LECTERN_DATA_DIR: ':memory:' }).dataDir, null);
});

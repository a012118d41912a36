import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import MongoStore from 'connect-mongo';
import type { SessionData } from 'express-session';
import { MongoClient } from 'mongodb';
import { startTestServer, type TestServer } from './test-server.ts';

let server: TestServer;
let client: MongoClient;
let store: MongoStore;

function call<T>(fn: (cb: (err: unknown, value?: T | null) => void) => void): Promise<T | null | undefined> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
}

before(async () => {
  server = await startTestServer('sessions', { ttlSweepMs: 100 });
  client = await MongoClient.connect(server.uri);
  store = MongoStore.create({ client, dbName: server.dbName });
  await store.collectionP;
});

after(async () => {
  await client.db(server.dbName).dropDatabase();
  await client.close();
  await server.close();
});

const cookie = (maxAge: number) => ({ originalMaxAge: maxAge, expires: new Date(Date.now() + maxAge) }) as SessionData['cookie'];

describe('connect-mongo sessions on the embedded server', () => {
  it('sets, gets and destroys a session', async () => {
    await call((cb) => store.set('s1', { cookie: cookie(60_000), user: 'ann' } as SessionData, cb));
    const got = (await call<SessionData>((cb) => store.get('s1', cb))) as SessionData & { user: string };
    assert.equal(got.user, 'ann');
    await call((cb) => store.destroy('s1', cb));
    assert.equal(await call((cb) => store.get('s1', cb)), null);
  });

  it('removes expired sessions through the TTL index', async (t) => {
    if (!server.embedded) return t.skip('a real MongoDB sweeps TTL indexes only every 60 s');
    const indexes = await client.db(server.dbName).collection('sessions').indexes();
    assert.ok(indexes.some((i) => i.expireAfterSeconds === 0 && i.key.expires === 1));
    await call((cb) => store.set('short', { cookie: cookie(200) } as SessionData, cb));
    await call((cb) => store.set('long', { cookie: cookie(60_000) } as SessionData, cb));
    const sessions = client.db(server.dbName).collection('sessions');
    assert.equal(await sessions.countDocuments({ _id: 'short' as never }), 1);
    await sleep(600);
    assert.equal(await sessions.countDocuments({ _id: 'short' as never }), 0);
    assert.equal(await sessions.countDocuments({ _id: 'long' as never }), 1);
  });
});

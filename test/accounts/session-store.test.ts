import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mongoose from 'mongoose';
import { startTestApp, registerAs, type TestApp } from '../helpers/test-app.ts';
import { Collection } from 'mongodb';
import { User } from '../../server/accounts/model.ts';
import { mongooseCommands } from '../helpers/mongoose-commands.ts';

describe('sessions with their user read in the same round trip', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  it('stores the user id beside the session data, and loads the user with it', async () => {
    const agent = await registerAs(t.app, 'Sam Store', 'sam.store@example.com');
    const user = await User.findOne({ email: 'sam.store@example.com' }).lean();
    const stored = await mongoose.connection.db!.collection('sessions').findOne({ 'session.userId': user!._id });
    assert.ok(stored, 'the session names its user as an ObjectId');
    assert.match(String((stored.session as { data: string }).data), /"passport":\{"user":"[a-f0-9]{24}"\}/);
    const reads = await mongooseCommands(async () => {
      const res = await agent.get('/account');
      assert.equal(res.status, 200);
      assert.match(res.text, /Sam Store/);
    });
    assert.deepEqual(
      reads.filter((r) => r.startsWith('users.')),
      [],
      'no separate read of the user',
    );
  });

  it('sees a rename, a role change and a deleted account on the next request', async () => {
    const agent = await registerAs(t.app, 'Rita Role', 'rita.role@example.com');
    assert.equal((await agent.get('/admin/users')).status, 403);
    await User.updateOne({ email: 'rita.role@example.com' }, { $set: { role: 'admin', name: 'Rita Renamed' } });
    const admin = await agent.get('/admin/users');
    assert.equal(admin.status, 200);
    assert.match(admin.text, /Rita Renamed/);
    await User.deleteOne({ email: 'rita.role@example.com' });
    const gone = await agent.get('/account');
    assert.equal(gone.status, 302);
    assert.match(gone.headers.location ?? '', /\/login/);
  });

  it('still reads a session stored as a plain JSON string (before the user id was kept beside it)', async () => {
    const agent = await registerAs(t.app, 'Olga Old', 'olga.old@example.com');
    const user = await User.findOne({ email: 'olga.old@example.com' }).lean();
    const sessions = mongoose.connection.db!.collection('sessions');
    const stored = await sessions.findOne({ 'session.userId': user!._id });
    await sessions.updateOne({ _id: stored!._id }, { $set: { session: (stored!.session as { data: string }).data } });
    const reads = await mongooseCommands(async () => {
      const res = await agent.get('/account');
      assert.equal(res.status, 200);
      assert.match(res.text, /Olga Old/);
    });
    assert.ok(
      reads.some((r) => r.startsWith('users.')),
      'the user is read the old way',
    );
  });

  it('gives each of many concurrent requests its own user, with their sessions read together', async () => {
    const agents = await Promise.all(Array.from({ length: 12 }, (_, i) => registerAs(t.app, `Crowd Member ${i}`, `crowd${i}@example.com`)));
    const original = Collection.prototype.aggregate;
    let sessionReads = 0;
    Collection.prototype.aggregate = function (this: Collection, ...args: Parameters<typeof original>) {
      if (this.collectionName === 'sessions') sessionReads++;
      return original.apply(this, args);
    } as typeof original;
    try {
      const pages = await Promise.all(agents.map((agent) => agent.get('/account')));
      pages.forEach((page, i) => {
        assert.equal(page.status, 200);
        assert.match(page.text, new RegExp(`value="Crowd Member ${i}"`), `request ${i} sees its own account`);
        for (let j = 0; j < agents.length; j++) if (j !== i) assert.doesNotMatch(page.text, new RegExp(`Crowd Member ${j}"`));
      });
      assert.ok(sessionReads < agents.length, `${sessionReads} session reads for ${agents.length} requests`);
    } finally {
      Collection.prototype.aggregate = original;
    }
  });
});

import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { User } from '../../server/accounts/model.ts';
import { deleteUser, setDisabled } from '../../server/accounts/admin-users.ts';
import { setRole } from '../../server/accounts/service.ts';
import type { Caller } from '../../server/accounts/index.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

let ann: Caller;
let bob: Caller;
beforeEach(async () => {
  await User.deleteMany({});
  const [a, b] = await User.create([
    { name: 'Ann Admin', email: 'ann@example.com', passwordHash: '!', role: 'admin' },
    { name: 'Bob Admin', email: 'bob@example.com', passwordHash: '!', role: 'admin' },
  ]);
  ann = { id: String(a!._id), name: 'Ann Admin', email: 'ann@example.com', role: 'admin' };
  bob = { id: String(b!._id), name: 'Bob Admin', email: 'bob@example.com', role: 'admin' };
});

const activeAdmins = () => User.countDocuments({ role: 'admin', disabledAt: null });
const hooks = { classesTaughtBy: async () => 0, memberDeleted: async () => undefined };

/** Both admins act on each other at the same moment: each passes the check made before writing. */
async function race(change: (caller: Caller, target: Caller) => Promise<unknown>) {
  const results = await Promise.allSettled([change(ann, bob), change(bob, ann)]);
  const refused = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
  return { refused, admins: await activeAdmins() };
}

test('two admins demoting each other at once leave an active admin, and a refusal says why', async () => {
  const { refused, admins } = await race((caller, target) => setRole(caller, target.id, 'instructor'));
  assert.ok(admins >= 1, `${admins} active admins left`);
  assert.ok(refused.length >= 1 && refused.every((r) => /You cannot demote the last administrator/.test(r)), refused.join('; '));
});

test('two admins disabling each other at once leave an active admin', async () => {
  const { refused, admins } = await race((caller, target) => setDisabled(caller, target.id, true, new Date()));
  assert.ok(admins >= 1, `${admins} active admins left`);
  assert.ok(refused.length >= 1 && refused.every((r) => /You cannot disable the last administrator/.test(r)), refused.join('; '));
});

test('two admins deleting each other at once leave an active admin', async () => {
  const { refused, admins } = await race((caller, target) => deleteUser(caller, target.id, new Date(), hooks));
  assert.ok(admins >= 1, `${admins} active admins left`);
  assert.ok(refused.length >= 1 && refused.every((r) => /You cannot delete the last administrator/.test(r)), refused.join('; '));
});

test('a change that leaves another admin goes through', async () => {
  await User.create({ name: 'Cat Admin', email: 'cat@example.com', passwordHash: '!', role: 'admin' });
  await setRole(ann, bob.id, 'instructor');
  assert.equal((await User.findById(bob.id).lean())!.role, 'instructor');
  assert.equal(await activeAdmins(), 2);
});

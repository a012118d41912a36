import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startTestApp, tokenFor, postForm, registerAs, loginAs, type TestApp } from '../helpers/test-app.ts';
import { User } from '../../server/accounts/model.ts';
import { seedDemoUsers } from '../../seed/demo-users.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({ loginRateLimit: 5 });
});
after(() => t.close());

const sidOf = (res: request.Response) =>
  ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith('lectern.sid='))
    ?.split(';')[0];

test('register creates a signed-in student and stores only an argon2id hash', async () => {
  const agent = await registerAs(t.app, 'Ada Lovelace', 'Ada@Example.com', 'a long enough password');
  const home = await agent.get('/');
  assert.equal(home.status, 200);
  assert.match(home.text, /Ada Lovelace/);
  const stored = await User.findOne({ email: 'ada@example.com' }).lean();
  assert.ok(stored, 'the email is stored lower-cased');
  assert.equal(stored.role, 'student');
  assert.match(stored.passwordHash, /^\$argon2id\$/);
  assert.ok(!JSON.stringify(stored).includes('a long enough password'));
});

test('registering an email twice re-renders the form with a message beside the email', async () => {
  await registerAs(t.app, 'First', 'twice@example.com');
  const agent = request.agent(t.app);
  const _csrf = await tokenFor(agent, '/register');
  const res = await agent.post('/register').type('form').send({ _csrf, name: 'Second', email: 'twice@example.com', password: 'another password' });
  assert.equal(res.status, 400);
  assert.match(res.text, /already exists/);
  assert.equal(await User.countDocuments({ email: 'twice@example.com' }), 1);
});

test('log out, log in again with a new session id, and see your name', async () => {
  const agent = await registerAs(t.app, 'Grace Hopper', 'grace@example.com', 'cobol forever 1959');
  const _csrf = await tokenFor(agent, '/');
  const out = await agent.post('/logout').type('form').send({ _csrf });
  assert.equal(out.status, 302);
  assert.equal(out.headers.location, '/login');
  const afterLogout = await agent.get('/account');
  assert.equal(afterLogout.status, 302, 'the account page needs a login again');

  const loginPage = await agent.get('/login');
  const before = sidOf(loginPage);
  const token = /name="_csrf" value="([^"]+)"/.exec(loginPage.text)![1];
  // Plant a session before login: it must not survive the login.
  const planted = await agent.post('/login').type('form').send({ _csrf: token, email: 'grace@example.com', password: 'wrong password' });
  const plantedSid = sidOf(planted) ?? before;
  const res = await agent.post('/login').type('form').send({ _csrf: token, email: 'GRACE@example.com', password: 'cobol forever 1959' });
  assert.equal(res.status, 302);
  const after = sidOf(res);
  assert.ok(after, 'login sets a session cookie');
  assert.notEqual(after, plantedSid);
  const home = await agent.get('/');
  assert.match(home.text, /data-testid="user-name">Grace Hopper</);
});

test('an unknown email and a wrong password get the same message', async () => {
  await registerAs(t.app, 'Same Message', 'same@example.com', 'right password here');
  const a = request.agent(t.app);
  const wrong = await postForm(a, '/login', '/login', { email: 'same@example.com', password: 'wrong password' });
  const b = request.agent(t.app);
  const unknown = await postForm(b, '/login', '/login', { email: 'nobody@example.com', password: 'wrong password' });
  assert.equal(wrong.status, 401);
  assert.equal(unknown.status, 401);
  const msg = (html: string) => /class="form-message" role="alert">([^<]*)</.exec(html)?.[1];
  assert.ok(msg(wrong.text));
  assert.equal(msg(wrong.text), msg(unknown.text));
});

test('a form posted without its CSRF token, or with a wrong one, is refused with "form expired"', async () => {
  const agent = await registerAs(t.app, 'Csrf Target', 'csrf@example.com');
  const none = await agent.post('/account/name').type('form').send({ name: 'Hacked' });
  assert.equal(none.status, 403);
  assert.match(none.text, /form has expired/i);
  assert.match(none.text, /Reload the form/);
  const wrong = await agent.post('/account/name').type('form').send({ name: 'Hacked', _csrf: 'abc' });
  assert.equal(wrong.status, 403);
  const anon = await request(t.app).post('/login').type('form').send({ email: 'csrf@example.com', password: 'correct horse battery' });
  assert.equal(anon.status, 403);
  assert.equal((await User.findOne({ email: 'csrf@example.com' }).lean())!.name, 'Csrf Target');
});

test('change name and password; the old password stops working and the new one works', async () => {
  const agent = await registerAs(t.app, 'Old Name', 'change@example.com', 'first password 1');
  let res = await postForm(agent, '/account', '/account/name', { name: '  New   Name ' });
  assert.equal(res.status, 302);
  assert.match((await agent.get('/account')).text, /New Name/);

  res = await postForm(agent, '/account', '/account/password', {
    currentPassword: 'not it',
    newPassword: 'second password 2',
    confirmPassword: 'second password 2',
  });
  assert.equal(res.status, 400);
  assert.match(res.text, /not your current password/);

  res = await postForm(agent, '/account', '/account/password', {
    currentPassword: 'first password 1',
    newPassword: 'second password 2',
    confirmPassword: 'second password 2',
  });
  assert.equal(res.status, 302);
  await assert.rejects(loginAs(t.app, 'change@example.com', 'first password 1'));
  await loginAs(t.app, 'change@example.com', 'second password 2');
});

test('admin pages answer 403 to students and instructors; an admin changes a role', async () => {
  const student = await registerAs(t.app, 'Just Student', 'just-student@example.com');
  assert.equal((await student.get('/admin/users')).status, 403);
  const instructorAgent = await registerAs(t.app, 'Just Instructor', 'just-instructor@example.com');
  await User.updateOne({ email: 'just-instructor@example.com' }, { $set: { role: 'instructor' } });
  assert.equal((await instructorAgent.get('/admin/users')).status, 403);
  const target = await User.findOne({ email: 'just-student@example.com' }).lean();
  const forged = await postForm(student, '/', `/admin/users/${target!._id}/role`, { role: 'admin' });
  assert.equal(forged.status, 403);
  assert.equal((await User.findById(target!._id).lean())!.role, 'student');

  const admin = await registerAs(t.app, 'The Admin', 'admin@example.com');
  await User.updateOne({ email: 'admin@example.com' }, { $set: { role: 'admin' } });
  const page = await admin.get('/admin/users');
  assert.equal(page.status, 200);
  assert.match(page.text, /just-student@example.com/);
  const res = await postForm(admin, '/admin/users', `/admin/users/${target!._id}/role`, { role: 'instructor' });
  assert.equal(res.status, 303);
  assert.equal((await User.findById(target!._id).lean())!.role, 'instructor');
  const bad = await postForm(admin, '/admin/users', `/admin/users/${target!._id}/role`, { role: 'root' });
  assert.equal(bad.status, 400);
  const badId = await postForm(admin, '/admin/users', '/admin/users/not-an-id/role', { role: 'student' });
  assert.equal(badId.status, 400);
});

test('the demo accounts are seeded once and shown on the login page', async () => {
  assert.equal(await seedDemoUsers(), 2);
  assert.equal(await seedDemoUsers(), 0, 'a re-run creates nothing');
  const page = await request(t.app).get('/login');
  for (const d of DEMO_ACCOUNTS) assert.ok(page.text.includes(d.email));
  await loginAs(t.app, DEMO_ACCOUNTS[0]!.email, DEMO_ACCOUNTS[0]!.password);
});

test('/healthz answers ok while the database is up', async () => {
  const res = await request(t.app).get('/healthz');
  assert.equal(res.status, 200);
  assert.equal(res.body.status, 'ok');
});

test('an unknown page is a 404 page, and JSON clients get JSON', async () => {
  const html = await request(t.app).get('/no/such/page');
  assert.equal(html.status, 404);
  assert.match(html.text, /Not found/);
  const json = await request(t.app).get('/no/such/page').set('Accept', 'application/json');
  assert.equal(json.status, 404);
  assert.ok(json.body.error);
});

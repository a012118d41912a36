import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startTestApp, registerAs, loginAs, postForm, tokenFor, type TestApp } from '../helpers/test-app.ts';
import { createClass, createQuiz, joinClass, newInstructor, questionsOfTypes, correctResponse, saveJson, startAttempt, submit } from '../quizzes/helpers.ts';
import { User } from '../../server/accounts/model.ts';
import { Enrolment } from '../../server/classes/model.ts';
import { Attempt } from '../../server/quizzes/model.ts';
import { deleteUser, setDisabled } from '../../server/accounts/admin-users.ts';

let t: TestApp;
let boss: request.Agent;
const PASSWORD = 'correct horse battery';

async function admin(email: string): Promise<request.Agent> {
  await registerAs(t.app, `Admin ${email.split('@')[0]}`, email);
  await User.updateOne({ email }, { $set: { role: 'admin' } });
  return loginAs(t.app, email, PASSWORD);
}
const idOf = async (email: string) => String((await User.findOne({ email }).lean())!._id);

before(async () => {
  t = await startTestApp({}, { seed: true });
  boss = await admin('boss@example.com');
});
after(() => t.close());

test('admins search users by name or email, as plain text, 25 a page', async () => {
  for (let i = 0; i < 30; i++) await User.create({ name: `Pupil ${String(i).padStart(2, '0')}`, email: `pupil${i}@school.example`, passwordHash: '!' });
  await User.create({ name: 'Dot (.*) Star', email: 'dot@example.com', passwordHash: '!' });
  const first = await boss.get('/admin/users?q=pupil');
  assert.equal(first.status, 200);
  assert.match(first.text, /30 accounts matching “pupil”, page 1 of 2/);
  assert.ok(first.text.includes('Pupil 00') && !first.text.includes('Pupil 25'));
  const second = await boss.get('/admin/users?q=PUPIL&page=2');
  assert.ok(second.text.includes('Pupil 29') && !second.text.includes('Pupil 00'));
  const byEmail = await boss.get('/admin/users?q=pupil7%40school');
  assert.match(byEmail.text, /1 account matching/);
  // Regex characters are text: ".*" finds only the name that has them.
  assert.match((await boss.get('/admin/users?q=.*')).text, /1 account matching “\.\*”/);
  assert.match((await boss.get('/admin/users?q=(')).text, /1 account matching/, 'an unbalanced bracket is text too');
  assert.match((await boss.get('/admin/users?q=(x')).text, /0 accounts matching/);
  assert.equal((await boss.get('/admin/users?q=a&q=b')).status, 400, 'a query that is not one string is refused');
  assert.equal((await boss.get('/admin/users?page=abc')).status, 200, 'a silly page is page 1');
});

test('a disabled user cannot sign in and their open session ends at once; enabled again, they can', async () => {
  const dan = await registerAs(t.app, 'Dan Disabled', 'dan@example.com');
  const other = await loginAs(t.app, 'dan@example.com', PASSWORD);
  const id = await idOf('dan@example.com');
  const res = await postForm(boss, '/admin/users', `/admin/users/${id}/disable`, { q: 'dan' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, '/admin/users?q=dan&page=1');
  assert.equal((await dan.get('/account')).status, 302, 'signed out');
  assert.equal((await other.get('/account')).status, 302, 'in every browser');
  assert.match((await boss.get('/admin/users?q=dan')).text, /\(disabled\)/);

  const agent = request.agent(t.app);
  const _csrf = await tokenFor(agent, '/login');
  const login = await agent.post('/login').type('form').send({ _csrf, email: 'dan@example.com', password: PASSWORD });
  assert.equal(login.status, 403);
  assert.match(login.text, /This account is disabled/);
  const wrong = await agent.post('/login').type('form').send({ _csrf, email: 'dan@example.com', password: 'not the password' });
  assert.equal(wrong.status, 401, 'a wrong password does not learn that the account is disabled');
  assert.doesNotMatch(wrong.text, /disabled/);

  // A session that slipped past the sweep (written straight into the store) is refused too.
  await User.updateOne({ _id: id }, { $set: { disabledAt: null } });
  const sneaky = await loginAs(t.app, 'dan@example.com', PASSWORD);
  await User.updateOne({ _id: id }, { $set: { disabledAt: new Date() } });
  assert.equal((await sneaky.get('/account')).status, 302, 'the store reads disabledAt with every session');

  assert.equal((await postForm(boss, '/admin/users', `/admin/users/${id}/enable`, {})).status, 303);
  await loginAs(t.app, 'dan@example.com', PASSWORD);
});

test('an admin cannot disable or delete themselves or the last admin', async () => {
  const bossId = await idOf('boss@example.com');
  // Refused on the users page the admin came from, with the reason as a flash.
  const self = await postForm(boss, '/admin/users', `/admin/users/${bossId}/disable`, { q: 'boss' });
  assert.equal(self.status, 303);
  assert.equal(self.headers.location, '/admin/users?q=boss&page=1');
  assert.match((await boss.get(self.headers.location!)).text, /Nothing was changed: You cannot disable your own account\./);
  assert.equal((await postForm(boss, '/admin/users', `/admin/users/${bossId}/delete`, {})).status, 303);
  assert.match((await boss.get('/admin/users')).text, /Nothing was changed: You cannot delete your own account\./);
  assert.ok(await User.exists({ _id: bossId, disabledAt: null }));
  const asJson = await boss
    .post(`/admin/users/${bossId}/disable`)
    .set('x-csrf-token', await tokenFor(boss, '/admin/users'))
    .set('Accept', 'application/json')
    .send({});
  assert.equal(asJson.status, 409, 'a JSON client still gets the status');
  // Another admin may disable boss while the deputy remains; boss is enabled again after.
  const deputy = await admin('deputy@example.com');
  assert.equal((await postForm(deputy, '/admin/users', `/admin/users/${bossId}/disable`, {})).status, 303);
  assert.equal((await boss.get('/admin/users')).status, 302, 'boss was signed out');
  assert.equal((await postForm(deputy, '/admin/users', `/admin/users/${bossId}/enable`, {})).status, 303);
  boss = await loginAs(t.app, 'boss@example.com', PASSWORD);
  // Over HTTP the acting admin is always another active one; the rule also holds when the caller
  // no longer counts (a request that raced its own demotion): the last active admin stays.
  await User.updateOne({ email: 'deputy@example.com' }, { $set: { role: 'student' } });
  const raced = { id: '0'.repeat(24), name: 'Raced', email: 'raced@example.com', role: 'admin' as const };
  await assert.rejects(setDisabled(raced, bossId, true, new Date()), /last administrator/);
  const hooks = { classesTaughtBy: async () => 0, memberDeleted: async () => undefined };
  await assert.rejects(deleteUser(raced, bossId, new Date(), hooks), /last administrator/);
  assert.equal(await User.countDocuments({ role: 'admin', disabledAt: null }), 1);
});

test('deleting a student removes their account and keeps their results in the gradebook, anonymised', async () => {
  const ina = await newInstructor(t.app, 'Ina Instructor', 'ina@example.com');
  const cls = await createClass(ina, 'Deletion 101');
  const gone = await registerAs(t.app, 'Gina Gone', 'gina@example.com');
  await registerAs(t.app, 'Kim Kept', 'kim@example.com');
  assert.equal((await joinClass(gone, cls.code)).status, 303);
  const [q] = await questionsOfTypes(['mcq']);
  const quizId = await createQuiz(ina, { title: 'Deletion quiz', questionIds: [q!.id], classIds: [cls.id] });
  const attemptId = await startAttempt(gone, quizId);
  const token = await tokenFor(gone, `/attempts/${attemptId}/slots/1`);
  assert.equal((await saveJson(gone, token, attemptId, 1, correctResponse(q!.definition))).status, 200);
  await submit(gone, token, attemptId);
  const id = await idOf('gina@example.com');

  // Students and instructors get 403 on every admin route; without a token nothing happens.
  for (const agent of [gone, ina]) {
    assert.equal((await agent.get('/admin/users')).status, 403);
    for (const action of ['disable', 'enable', 'delete', 'reset-link', 'role']) {
      assert.equal((await postForm(agent, '/account', `/admin/users/${id}/${action}`, { role: 'admin' })).status, 403, action);
    }
  }
  assert.equal((await boss.post(`/admin/users/${id}/delete`).type('form').send({})).status, 403, 'CSRF');
  assert.ok(await User.exists({ _id: id }));

  // An instructor who still teaches a class is refused.
  const teaches = await postForm(boss, '/admin/users', `/admin/users/${await idOf('ina@example.com')}/delete`, {});
  assert.equal(teaches.status, 303);
  assert.match((await boss.get(teaches.headers.location!)).text, /Nothing was changed: Ina Instructor teaches 1 class/);

  const res = await postForm(boss, '/admin/users', `/admin/users/${id}/delete`, {});
  assert.equal(res.status, 303);
  assert.equal(await User.countDocuments({ _id: id }), 0, 'the account is gone');
  assert.equal((await gone.get('/account')).status, 302, 'and its session');
  await assert.rejects(loginAs(t.app, 'gina@example.com', PASSWORD));
  const attempt = await Attempt.findById(attemptId).lean();
  assert.equal(attempt?.status, 'submitted', 'the attempt stays');
  const row = await Enrolment.findOne({ userId: id }).lean();
  assert.match(row!.name, /^Deleted student \d+$/);
  assert.equal(row!.email, '');

  const book = await ina.get(`/classes/${cls.id}/gradebook`);
  assert.equal(book.status, 200);
  assert.match(book.text, /Deleted student \d+/);
  assert.ok(!book.text.includes('Gina') && !book.text.includes('gina@example.com'), 'no personal data left on the page');
  assert.match(book.text, /100(\.0)?%/, 'with the grade');
  const csv = await ina.get(`/classes/${cls.id}/gradebook.csv`);
  assert.match(csv.text, /Deleted student \d+,,100/);
  const roster = await ina.get(`/classes/${cls.id}`);
  assert.match(roster.text, /Deleted student \d+/);
  assert.ok(!roster.text.includes(`/students/${id}/reset-link`), 'no reset link for a deleted account');
  assert.equal((await postForm(boss, '/admin/users', `/admin/users/${id}/delete`, {})).status, 404);
  // The email is free again.
  await registerAs(t.app, 'Gina Again', 'gina@example.com');
});

test('an admin cannot demote themselves: the users page says so, under their admin navigation', async () => {
  const selfId = await idOf('boss@example.com');
  assert.match((await boss.get('/admin/users?q=boss')).text, /data-testid="own-role"/, 'their own row offers no role change');
  const res = await postForm(boss, '/admin/users?q=boss', `/admin/users/${selfId}/role`, { role: 'instructor', q: 'boss' });
  assert.equal(res.status, 303, 'not a bare 409 page');
  const page = await boss.get(res.headers.location!);
  assert.match(page.text, /Nothing was changed: You cannot remove your own admin role\./);
  assert.match(page.text, /href="\/admin\/users"/, 'still an admin, with Users in the navigation');
  assert.doesNotMatch(page.text, /<h1>Conflict<\/h1>/);
  assert.equal((await User.findById(selfId).lean())!.role, 'admin');
});

test('an admin demoted by another admin who then sends an admin form is told what happened, under the navigation of their new role', async () => {
  const demoted = await admin('demoted@example.com');
  const demotedId = await idOf('demoted@example.com');
  await registerAs(t.app, 'Tess Target', 'tess@example.com');
  const targetId = await idOf('tess@example.com');
  // The form was open in the demoted admin's tab before the other admin acted.
  const token = await tokenFor(demoted, '/admin/users');
  const demote = await postForm(boss, '/admin/users', `/admin/users/${demotedId}/role`, { role: 'instructor' });
  assert.equal(demote.status, 303);

  const stale = await demoted.post(`/admin/users/${targetId}/role`).type('form').send({ _csrf: token, role: 'admin' });
  assert.equal(stale.status, 403);
  assert.match(stale.text, /<h1>Not available to your account<\/h1>/);
  assert.match(stale.text, /This is only for administrators, and your account is an instructor account now, so nothing was changed\./);
  assert.match(stale.text, /an administrator has since changed your role/);
  assert.doesNotMatch(stale.text, /<h1>(Conflict|Not allowed)<\/h1>/);
  assert.doesNotMatch(stale.text, /href="\/admin\/users"/, "no Users link: the navigation is an instructor's");
  assert.match(stale.text, /href="\/banks"/);
  assert.equal((await User.findById(targetId).lean())!.role, 'student', 'nothing changed');
  const again = await demoted.get('/admin/users');
  assert.equal(again.status, 403);
  assert.match(again.text, /your account is an instructor account now/);
});

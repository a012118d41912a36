import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, postForm, registerAs, type TestApp } from '../helpers/test-app.ts';
import { User } from '../../server/accounts/model.ts';
import { Invite } from '../../server/accounts/invite-model.ts';
import { loadConfig } from '../../server/config.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({ codeGuessRateLimit: 4 });
});
after(() => t.close());

const roleOf = async (email: string) => (await User.findOne({ email }).lean())!.role;
const codeOn = (html: string) => /data-testid="invite-code">([A-Z0-9-]+)</.exec(html)?.[1];

async function admin(email: string) {
  const agent = await registerAs(t.app, 'Site Admin', email);
  await User.updateOne({ email }, { $set: { role: 'admin' } });
  return agent;
}

test('an admin makes a single-use invite: it promotes one student, then is refused; only its hash is stored', async () => {
  const boss = await admin('boss@example.com');
  const made = await postForm(boss, '/admin/invites', '/admin/invites', { note: 'Dr Lee, history' });
  assert.equal(made.status, 201);
  const code = codeOn(made.text);
  assert.ok(code && /^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/.test(code), `a code is shown once: ${code}`);
  const stored = await Invite.find({}).lean();
  assert.equal(stored.length, 1);
  assert.ok(!JSON.stringify(stored).includes(code.replace(/-/g, '')), 'the code itself is not stored');
  assert.ok(!(await boss.get('/admin/invites')).text.includes(code), 'nor shown again');

  const lee = await registerAs(t.app, 'Dr Lee', 'lee@example.com');
  const redeemed = await postForm(lee, '/account', '/account/instructor', { code: code.toLowerCase() });
  assert.equal(redeemed.status, 302);
  assert.equal(await roleOf('lee@example.com'), 'instructor');

  const other = await registerAs(t.app, 'Second Person', 'second@example.com');
  const reused = await postForm(other, '/account', '/account/instructor', { code });
  assert.equal(reused.status, 400);
  assert.match(reused.text, /not valid/);
  assert.equal(await roleOf('second@example.com'), 'student', 'a used code promotes nobody else');
  assert.match((await boss.get('/admin/invites')).text, /used by Dr Lee/);
});

test('a revoked invite is refused; students and instructors cannot see or make invites', async () => {
  const boss = await admin('boss2@example.com');
  const code = codeOn((await postForm(boss, '/admin/invites', '/admin/invites', { note: 'To revoke' })).text)!;
  const invite = await Invite.findOne({ note: 'To revoke' }).lean();
  assert.equal((await postForm(boss, '/admin/invites', `/admin/invites/${invite!._id}/revoke`, {})).status, 303);
  assert.match((await boss.get('/admin/invites')).text, /revoked/);
  assert.equal((await postForm(boss, '/admin/invites', `/admin/invites/${invite!._id}/revoke`, {})).status, 404, 'revoking twice is a 404');

  const student = await registerAs(t.app, 'Late Student', 'late@example.com');
  assert.equal((await postForm(student, '/account', '/account/instructor', { code })).status, 400);
  assert.equal(await roleOf('late@example.com'), 'student');
  assert.equal((await student.get('/admin/invites')).status, 403);
  assert.equal((await postForm(student, '/account', '/admin/invites', { note: 'me' })).status, 403);
  await User.updateOne({ email: 'late@example.com' }, { $set: { role: 'instructor' } });
  assert.equal((await student.get('/admin/invites')).status, 403);
  assert.equal((await postForm(student, '/account', '/admin/invites', { note: 'me' })).status, 403);
});

test('guessing invite codes is rate-limited: past the limit a 429 says when to retry, even for a right code', async () => {
  const boss = await admin('boss3@example.com');
  const code = codeOn((await postForm(boss, '/admin/invites', '/admin/invites', { note: 'Guess target' })).text)!;
  const guesser = await registerAs(t.app, 'Guesser', 'guesser@example.com');
  for (let i = 0; i < 4; i++) assert.equal((await postForm(guesser, '/account', '/account/instructor', { code: `WRONG-CODE-${i}` })).status, 400);
  const limited = await postForm(guesser, '/account', '/account/instructor', { code: 'WRONG-CODE-X' });
  assert.equal(limited.status, 429);
  assert.match(limited.text, /Too many attempts.*wait \d+ minutes? and try again/);
  assert.equal((await postForm(guesser, '/account', '/account/instructor', { code })).status, 429);
  assert.equal(await roleOf('guesser@example.com'), 'student');
});

test('the old shared INSTRUCTOR_INVITE_CODE is refused at start-up with a message, not ignored', () => {
  assert.throws(() => loadConfig({ INSTRUCTOR_INVITE_CODE: 'teach-the-sco-2008' }), /INSTRUCTOR_INVITE_CODE: no longer supported.*\/admin\/invites/);
});

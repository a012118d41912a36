import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import request from 'supertest';
import { pino } from 'pino';
import type { Transport } from 'nodemailer';
import { startTestApp, registerAs, loginAs, postForm, tokenFor, type TestApp } from '../helpers/test-app.ts';
import { createClass, joinClass, newInstructor } from '../quizzes/helpers.ts';
import { User } from '../../server/accounts/model.ts';
import { PasswordReset } from '../../server/accounts/reset-model.ts';
import { loadConfig } from '../../server/config.ts';
import { createApp } from '../../server/app.ts';
import { createLogger } from '../../server/logger.ts';

const HOUR = 3_600_000;
let t: TestApp;
let boss: request.Agent;

async function admin(email: string): Promise<request.Agent> {
  await registerAs(t.app, `Admin ${email}`, email);
  await User.updateOne({ email }, { $set: { role: 'admin' } });
  return loginAs(t.app, email, 'correct horse battery');
}

const idOf = async (email: string) => String((await User.findOne({ email }).lean())!._id);
const linkOn = (html: string) => /(?:https?:\/\/[^/<\s]+)?(\/reset\/[A-Za-z0-9_-]{43})/.exec(html)?.[1] ?? null;

/** Sets a password through a reset link's form. */
async function useLink(path: string, password: string): Promise<request.Response> {
  const agent = request.agent(t.app);
  const page = await agent.get(path);
  if (page.status !== 200) return page;
  const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
  return agent.post(path).type('form').send({ _csrf, newPassword: password, confirmPassword: password });
}

before(async () => {
  t = await startTestApp({ resetLinkMs: 72 * HOUR });
  boss = await admin('boss@example.com');
});
after(() => t.close());

test('an admin makes a reset link: it sets a new password once, ends the old sessions, and is stored only as a hash', async () => {
  const old = await registerAs(t.app, 'Rita Reset', 'rita@example.com', 'the old password');
  const made = await postForm(boss, '/admin/users', `/admin/users/${await idOf('rita@example.com')}/reset-link`, {});
  assert.equal(made.status, 201);
  const path = linkOn(made.text)!;
  assert.ok(path, 'the link is shown');
  const token = path.split('/').pop()!;
  assert.ok(!JSON.stringify(await PasswordReset.find({}).lean()).includes(token), 'only its hash is stored');
  assert.ok(!(await boss.get('/admin/users')).text.includes(token), 'nor is it shown again');

  const done = await useLink(path, 'a brand new password');
  assert.equal(done.status, 303);
  assert.equal(done.headers.location, '/login?reset=done');
  assert.equal((await old.get('/account')).status, 302, 'the session signed in with the old password ended');
  await loginAs(t.app, 'rita@example.com', 'a brand new password');
  await assert.rejects(loginAs(t.app, 'rita@example.com', 'the old password'));

  const again = await useLink(path, 'yet another password');
  assert.equal(again.status, 404, 'a used link is refused');
  assert.match(again.text, /used, it expired/);
  await loginAs(t.app, 'rita@example.com', 'a brand new password');
});

test('a reset link stops working when it expires; a bad form re-renders with its message and keeps the link', async () => {
  await registerAs(t.app, 'Eve Expiry', 'eve@example.com');
  const start = new Date('2031-01-01T00:00:00Z');
  t.setNow(start);
  const path = linkOn((await postForm(boss, '/admin/users', `/admin/users/${await idOf('eve@example.com')}/reset-link`, {})).text)!;
  t.setNow(new Date(start.getTime() + 71 * HOUR));
  assert.equal((await request(t.app).get(path)).status, 200, 'still valid before 72 hours');
  const agent = request.agent(t.app);
  const _csrf = await tokenFor(agent, path);
  const short = await agent.post(path).type('form').send({ _csrf, newPassword: 'short', confirmPassword: 'short' });
  assert.equal(short.status, 400);
  assert.match(short.text, /at least 10 characters/);
  t.setNow(new Date(start.getTime() + 72 * HOUR + 1000));
  assert.equal((await request(t.app).get(path)).status, 404, 'expired');
  const late = await agent.post(path).type('form').send({ _csrf, newPassword: 'long enough password', confirmPassword: 'long enough password' });
  assert.equal(late.status, 404);
  t.setNow(new Date());
  assert.equal((await useLink('/reset/' + 'x'.repeat(43), 'long enough password')).status, 404, 'a made-up token');
  assert.equal((await request(t.app).get('/reset/short')).status, 404);
});

test('an instructor makes reset links only for the students of their own class', async () => {
  const ina = await newInstructor(t.app, 'Ina Instructor', 'ina@example.com');
  const otto = await newInstructor(t.app, 'Otto Other', 'otto@example.com');
  const cls = await createClass(ina, 'Reset 101');
  const other = await createClass(otto, 'Other 101');
  const sam = await registerAs(t.app, 'Sam Student', 'sam@example.com');
  assert.equal((await joinClass(sam, cls.code)).status, 303);
  const stranger = await registerAs(t.app, 'Stan Stranger', 'stan@example.com');
  assert.equal((await joinClass(stranger, other.code)).status, 303);
  const samId = await idOf('sam@example.com');

  const made = await postForm(ina, `/classes/${cls.id}`, `/classes/${cls.id}/students/${samId}/reset-link`, {});
  assert.equal(made.status, 201);
  assert.ok(linkOn(made.text));
  // Not in her class, another's class, or an account of higher rank enrolled in it.
  assert.equal((await postForm(ina, `/classes/${cls.id}`, `/classes/${cls.id}/students/${await idOf('stan@example.com')}/reset-link`, {})).status, 404);
  assert.equal((await postForm(ina, `/classes/${cls.id}`, `/classes/${other.id}/students/${await idOf('stan@example.com')}/reset-link`, {})).status, 404);
  assert.equal((await postForm(otto, '/classes', `/classes/${cls.id}/students/${samId}/reset-link`, {})).status, 404);
  const bossId = await idOf('boss@example.com');
  assert.equal((await joinClass(boss, cls.code)).status, 303);
  const up = await postForm(ina, `/classes/${cls.id}`, `/classes/${cls.id}/students/${bossId}/reset-link`, {});
  assert.equal(up.status, 403, 'an admin who joined the class is out of her reach');
  // Students and instructors get 403 on the admin's route.
  assert.equal((await postForm(sam, '/account', `/admin/users/${samId}/reset-link`, {})).status, 403);
  assert.equal((await postForm(ina, '/account', `/admin/users/${samId}/reset-link`, {})).status, 403);
  assert.equal((await postForm(sam, '/account', `/classes/${cls.id}/students/${samId}/reset-link`, {})).status, 403);
  // Without the CSRF token, nothing is made.
  const before = await PasswordReset.countDocuments();
  assert.equal((await ina.post(`/classes/${cls.id}/students/${samId}/reset-link`).type('form').send({})).status, 403);
  assert.equal((await boss.post(`/admin/users/${samId}/reset-link`).type('form').send({})).status, 403);
  assert.equal(await PasswordReset.countDocuments(), before);
});

test('without SMTP_URL the forgot page says to ask an instructor or admin, and sends nothing', async () => {
  assert.match((await request(t.app).get('/login')).text, /href="\/forgot"/);
  const page = await request(t.app).get('/forgot');
  assert.equal(page.status, 200);
  assert.match(page.text, /Ask your instructor/);
  assert.doesNotMatch(page.text, /action="\/forgot"/);
});

test('SMTP_URL needs PUBLIC_URL: links in mail are never built from the Host header', () => {
  assert.throws(() => loadConfig({ SMTP_URL: 'smtp://mail.example.edu' }), /PUBLIC_URL: required with SMTP_URL/);
  assert.throws(() => loadConfig({ SMTP_URL: 'http://x', PUBLIC_URL: 'https://a.edu' }), /SMTP_URL/);
  assert.throws(() => loadConfig({ RESET_LINK_HOURS: '0' }), /RESET_LINK_HOURS/);
  assert.equal(loadConfig({}).resetLinkMs, 72 * HOUR);
  assert.equal(loadConfig({ RESET_LINK_HOURS: '24' }).resetLinkMs, 24 * HOUR);
});

test('with mail, "forgot password" mails a working link, answers alike for unknown emails, and is rate-limited', async () => {
  const sent: Array<{ to: unknown; text: string }> = [];
  const transport: Transport<unknown> = {
    name: 'test',
    version: '1',
    send(mail, done) {
      sent.push({ to: mail.data.to, text: String(mail.data.text) });
      done(null, {});
    },
  };
  // A second app on the same database, with mail.
  const m = {
    app: createApp({
      config: { ...t.config, publicUrl: 'https://lectern.example.edu', loginRateLimit: 3 },
      logger: createLogger('silent'),
      db: t.db,
      mailTransport: transport,
    }),
  };
  {
    await registerAs(m.app, 'Mo Mail', 'mo@example.com', 'forgotten password');
    const page = await request(m.app).get('/forgot');
    assert.match(page.text, /action="\/forgot"/);
    const ask = async (email: string) => {
      const agent = request.agent(m.app);
      const _csrf = await tokenFor(agent, '/forgot');
      return agent.post('/forgot').type('form').send({ _csrf, email });
    };
    const known = await ask('MO@example.com');
    const unknown = await ask('nobody@example.com');
    assert.equal(known.status, 200);
    assert.equal(unknown.status, 200);
    const message = (html: string) => /<p class="notice" role="status">([^<]*)<\/p>/.exec(html)?.[1];
    assert.equal(message(known.text), message(unknown.text), 'the same answer either way');
    for (let i = 0; i < 50 && !sent.length; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(sent.length, 1, 'one mail, to the account that exists');
    const link = /https:\/\/lectern\.example\.edu(\/reset\/[A-Za-z0-9_-]{43})/.exec(sent[0]!.text)?.[1];
    assert.ok(link, 'the mail holds a link on PUBLIC_URL');
    const agent = request.agent(m.app);
    const _csrf = await tokenFor(agent, link);
    const done = await agent.post(link).type('form').send({ _csrf, newPassword: 'remembered password', confirmPassword: 'remembered password' });
    assert.equal(done.status, 303);
    await loginAs(m.app, 'mo@example.com', 'remembered password');

    assert.equal((await ask('mo@example.com')).status, 200);
    assert.equal((await ask('mo@example.com')).status, 200);
    assert.equal((await ask('mo@example.com')).status, 429, 'every request counts, per email');
    assert.equal((await request(m.app).post('/forgot').type('form').send({ email: 'x@example.com' })).status, 403, 'CSRF');
  }
});

test('the request log keeps a reset link’s path without its token', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const app = createApp({ config: t.config, logger: pino({ level: 'info' }, sink), db: t.db });
  const token = 'T'.repeat(43);
  assert.equal((await request(app).get(`/reset/${token}?x=1`)).status, 404);
  assert.ok(lines.join('').includes('/reset/[token]?x=1'));
  assert.ok(!lines.join('').includes(token));
});

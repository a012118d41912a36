import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startTestApp, tokenFor, registerAs, type TestApp } from '../helpers/test-app.ts';
import { User } from '../../server/accounts/model.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({ loginRateLimit: 10_000 });
});
after(() => t.close());

const long = 'x'.repeat(10_000);
const odd = '\u202Eevil\u0000\uD83D\uDE00\u200B\uFEFF';

// Each case is [description, body fields (raw urlencoded string parts), field expected to carry the message].
const loginCases: Array<[string, string, string]> = [
  ['empty fields', 'email=&password=', 'email'],
  ['a 10,000-character email', `email=${long}&password=x`, 'email'],
  ['a 10,000-character password', `email=a%40b.co&password=${long}`, 'password'],
  ['odd Unicode', `email=${encodeURIComponent(odd)}&password=${encodeURIComponent(odd)}`, 'email'],
  ['an email that is not one', 'email=not-an-email&password=whatever', 'email'],
  ['email[$ne]', 'email%5B%24ne%5D=x&password=whatever', 'email'],
  ['password[$gt]', 'email=victim%40example.com&password%5B%24gt%5D=', 'password'],
];

test('bad input on the login form re-renders it with 400 and a message beside the field, logging nobody in', async () => {
  await registerAs(t.app, 'Victim', 'victim@example.com', 'victim password 1');
  for (const [what, body, field] of loginCases) {
    const agent = request.agent(t.app);
    const _csrf = await tokenFor(agent, '/login');
    const res = await agent
      .post('/login')
      .type('form')
      .send(`_csrf=${encodeURIComponent(_csrf)}&${body}`);
    assert.equal(res.status, 400, what);
    assert.match(res.text, new RegExp(`id="f-${field}-error"`), `${what}: message beside ${field}`);
    assert.doesNotMatch((await agent.get('/')).text, /data-testid="user-name"/, `${what}: nobody signed in`);
  }
  const json = request.agent(t.app);
  const token = await tokenFor(json, '/login');
  const res = await json.post('/login').send({ _csrf: token, email: { $ne: 'x' }, password: { $gt: '' } });
  assert.equal(res.status, 400, 'JSON operator objects are refused too');
});

test('bad input on the register form is refused field by field and creates nothing', async () => {
  const before = await User.countDocuments();
  const cases: Array<[string, string, string]> = [
    ['empty fields', 'name=&email=&password=', 'name'],
    ['a 10,000-character name', `name=${long}&email=long%40example.com&password=long+enough+pw`, 'name'],
    ['odd Unicode name only', `name=${encodeURIComponent('\u200B\uFEFF')}&email=odd%40example.com&password=long+enough+pw`, 'name'],
    ['an email that is not one', 'name=A&email=nope&password=long+enough+pw', 'email'],
    ['a short password', 'name=A&email=short%40example.com&password=short', 'password'],
    ['email[$ne]', 'name=A&email%5B%24ne%5D=x&password=long+enough+pw', 'email'],
    ['name as array', 'name=a&name=b&email=arr%40example.com&password=long+enough+pw', 'name'],
  ];
  for (const [what, body, field] of cases) {
    const agent = request.agent(t.app);
    const _csrf = await tokenFor(agent, '/register');
    const res = await agent
      .post('/register')
      .type('form')
      .send(`_csrf=${encodeURIComponent(_csrf)}&${body}`);
    assert.equal(res.status, 400, what);
    assert.match(res.text, new RegExp(`id="f-${field}-error"`), `${what}: message beside ${field}`);
  }
  assert.equal(await User.countDocuments(), before);
});

test('odd but valid Unicode in a name is kept, minus invisible control characters', async () => {
  const agent = await registerAs(t.app, 'Zoë  Ñúñez \u200B李', 'zoe@example.com');
  const user = await User.findOne({ email: 'zoe@example.com' }).lean();
  assert.equal(user!.name, 'Zoë Ñúñez 李');
  assert.match((await agent.get('/')).text, /Zoë Ñúñez 李/);
});

test('bad input on the account forms re-renders with 400 and changes nothing', async () => {
  const agent = await registerAs(t.app, 'Keeps Name', 'keeps@example.com', 'keeps password 1');
  const forms: Array<[string, string, string]> = [
    ['/account/name', 'name=', 'name'],
    ['/account/name', `name=${long}`, 'name'],
    ['/account/name', 'name%5B%24ne%5D=x', 'name'],
    ['/account/password', 'currentPassword=&newPassword=&confirmPassword=', 'currentPassword'],
    ['/account/password', `currentPassword=keeps+password+1&newPassword=${long}&confirmPassword=${long}`, 'newPassword'],
    ['/account/password', 'currentPassword=keeps+password+1&newPassword=new+password+22&confirmPassword=different+one', 'confirmPassword'],
    ['/account/instructor', 'code=', 'code'],
    ['/account/instructor', `code=${long}`, 'code'],
  ];
  for (const [path, body, field] of forms) {
    const _csrf = await tokenFor(agent, '/account');
    const res = await agent
      .post(path)
      .type('form')
      .send(`_csrf=${encodeURIComponent(_csrf)}&${body}`);
    assert.equal(res.status, 400, `${path} ${body.slice(0, 40)}`);
    assert.match(res.text, new RegExp(`id="f-${field}-error"`), `${path}: message beside ${field}`);
  }
  const user = await User.findOne({ email: 'keeps@example.com' }).lean();
  assert.equal(user!.name, 'Keeps Name');
  assert.equal(user!.role, 'student');
});

test('a body over the size limit gets a 413 page, not a 500', async () => {
  const agent = request.agent(t.app);
  const _csrf = await tokenFor(agent, '/login');
  const res = await agent
    .post('/login')
    .type('form')
    .send(`_csrf=${_csrf}&email=${'y'.repeat(300_000)}`);
  assert.equal(res.status, 413);
});

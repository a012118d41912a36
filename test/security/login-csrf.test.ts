import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startTestApp, csrfFrom, registerAs, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
  await registerAs(t.app, 'Attacker', 'attacker@example.com', 'attacker password');
});
after(() => t.close());

/** A browser's cookies as `name=value` pairs, by name. */
function cookiesOf(res: request.Response): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
    const pair = c.split(';')[0]!;
    out.set(pair.slice(0, pair.indexOf('=')), pair);
  }
  return out;
}

const login = (cookies: string[], token: string) =>
  request(t.app)
    .post('/login')
    .set('Cookie', cookies.join('; '))
    .type('form')
    .send({ _csrf: token, email: 'attacker@example.com', password: 'attacker password' });

test('a login CSRF token minted in one browser is refused in another, even with its CSRF cookie planted', async () => {
  // The attacker loads the login form in their own browser: a token and its cookies.
  const theirs = await request(t.app).get('/login');
  const token = csrfFrom(theirs.text);
  const attackerCookies = cookiesOf(theirs);
  const csrfCookie = attackerCookies.get('lectern.x-csrf');
  assert.ok(csrfCookie, 'the form set a CSRF cookie');

  // The victim's browser has loaded Lectern before: its own per-browser value.
  const victim = cookiesOf(await request(t.app).get('/login'));
  assert.equal((await login([csrfCookie], token)).status, 403, 'planted CSRF cookie, no browser value');
  assert.ok(victim.get('lectern.browser') && attackerCookies.get('lectern.browser'), 'each browser is given a value');
  assert.notEqual(victim.get('lectern.browser'), attackerCookies.get('lectern.browser'), 'its own');
  assert.equal((await login([csrfCookie, victim.get('lectern.browser')!], token)).status, 403, "planted CSRF cookie in the victim's browser");
  const own = await login([csrfCookie, attackerCookies.get('lectern.browser')!], token);
  assert.equal(own.status, 302, 'the token still works in the browser it was made for');
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { startTestApp, loginAs, registerAs, postForm, tokenFor, type TestApp } from '../../helpers/test-app.ts';
import { DEMO_ACCOUNTS } from '../../../server/accounts/demo-accounts.ts';
import { Question } from '../../../server/banks/model.ts';
import { DEFAULTS, newBank } from './helpers.ts';

/* The import and export routes of every format: who may use them, CSRF, and the size limit. */

const EXPORTS = ['export.json', 'export.gift', 'export.anki.txt', 'export.quizlet.txt', 'export.csv', 'export.moodle.xml', 'export.apkg'];
const FORMATS = ['gift', 'aiken', 'anki', 'quizlet', 'csv', 'moodle'];

let t: TestApp;
let owner: request.Agent;
let bankId: string;
before(async () => {
  t = await startTestApp({}, { seed: true });
  const demo = DEMO_ACCOUNTS.find((a) => a.role === 'instructor')!;
  owner = await loginAs(t.app, demo.email, demo.password);
  bankId = await newBank(owner, 'Route bank');
});
after(() => t.close());

test("every export downloads for the bank's owner as an attachment; a student and a stranger get none", async () => {
  const student = await registerAs(t.app, 'Route Student', 'route-student@example.org');
  for (const path of EXPORTS) {
    const res = await owner.get(`/banks/${bankId}/${path}`);
    assert.equal(res.status, 200, path);
    assert.match(res.headers['content-disposition']!, /^attachment; filename=/, path);
    const denied = await student.get(`/banks/${bankId}/${path}`);
    assert.ok([403, 404].includes(denied.status), `${path}: student got ${denied.status}`);
    assert.doesNotMatch(denied.text, /Route bank/);
  }
  const template = await student.get('/banks/csv-template.csv');
  assert.equal(template.status, 403);
  const anonymous = await (await import('supertest')).default(t.app).get(`/banks/${bankId}/export.csv`);
  assert.ok([302, 401, 403].includes(anonymous.status), `anonymous got ${anonymous.status}`);
});

test("import needs the CSRF token, the bank's owner and a text under the size limit, for every format", async () => {
  const page = `/banks/${bankId}/import`;
  for (const format of FORMATS) {
    const noToken = await owner
      .post(page)
      .type('form')
      .send({ format, text: 'a\tb', ...DEFAULTS, commit: '1' });
    assert.equal(noToken.status, 403, `${format} without a token`);
  }
  const other = await registerAs(t.app, 'Other Teacher', 'other-teacher@example.org');
  // A new account is a student; the owner's bank is not theirs whatever the role.
  const _csrf = await tokenFor(other, '/banks');
  const stranger = await other
    .post(page)
    .type('form')
    .send({ _csrf, format: 'csv', text: 'type,prompt,answer\ncard,a,b', ...DEFAULTS, commit: '1' });
  assert.ok([403, 404].includes(stranger.status), `stranger got ${stranger.status}`);
  const huge = await postForm(owner, page, page, { format: 'moodle', text: `<quiz>${'x'.repeat(2_600_000)}</quiz>`, ...DEFAULTS });
  assert.equal(huge.status, 400);
  assert.match(huge.text, /too long to import at once/);
  const unknown = await postForm(owner, page, page, { format: 'apkg', text: 'x', ...DEFAULTS });
  assert.equal(unknown.status, 400);
  assert.match(unknown.text, /Choose one of the formats listed/);
  assert.equal(await Question.countDocuments({ bankId }), 0);
});

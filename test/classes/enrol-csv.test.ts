import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startTestApp, registerAs, loginAs, tokenFor, type TestApp } from '../helpers/test-app.ts';
import { createClass, joinClass, newInstructor, post } from '../quizzes/helpers.ts';
import { parseRosterCsv, ROSTER_CSV_MAX_BYTES } from '../../server/classes/roster-csv.ts';
import { User } from '../../server/accounts/model.ts';
import { Enrolment } from '../../server/classes/model.ts';
import { PasswordReset } from '../../server/accounts/reset-model.ts';

let t: TestApp;
let ina: request.Agent;
let cls: { id: string; code: string };

before(async () => {
  t = await startTestApp({ bulkEnrolMaxRows: 5 });
  ina = await newInstructor(t.app, 'Ina Instructor', 'ina@example.com');
  cls = await createClass(ina, 'Économie 101');
});
after(() => t.close());

/** Sends a roster to the preview as the page's multipart form does (token in the query). */
async function preview(agent: request.Agent, classId: string, csv: string, as: 'file' | 'text' = 'file'): Promise<request.Response> {
  const _csrf = await tokenFor(agent, `/classes/${classId}/enrol`);
  const req = agent.post(`/classes/${classId}/enrol/preview?_csrf=${encodeURIComponent(_csrf)}`);
  return as === 'file' ? req.attach('file', Buffer.from(csv), { filename: 'roster.csv', contentType: 'text/csv' }) : req.field('text', csv);
}

const errorsOn = (html: string) => [...html.matchAll(/<li>(Line \d+: [^<]*|[^<]*)<\/li>/g)].map((m) => m[1]!);

test('the roster parser reads RFC 4180 with an optional header and reports every bad line by number', () => {
  const ok = parseRosterCsv('\uFEFFEmail,Name\r\n"a@x.org","Lee, Ann"\r\n\r\nb@x.org,"Bo ""B"" Ba"\r\n', 10);
  assert.deepEqual(ok.errors, []);
  assert.deepEqual(ok.people, [
    { line: 2, name: 'Lee, Ann', email: 'a@x.org' },
    { line: 4, name: 'Bo "B" Ba', email: 'b@x.org' },
  ]);
  const bad = parseRosterCsv('Ann,ann@x.org\n,bo@x.org\nCy,not-an-email\nDee,ANN@x.org\nEd,ed@x.org,extra\n', 10);
  assert.deepEqual(
    bad.errors.map((e) => e.line),
    [2, 3, 4, 5],
  );
  assert.match(bad.errors[0]!.message, /name is missing/);
  assert.match(bad.errors[1]!.message, /not an email address/);
  assert.match(bad.errors[2]!.message, /already on line 1/);
  assert.match(bad.errors[3]!.message, /more than two columns/);
  assert.match(parseRosterCsv('Ann,ann@x.org\n"Bo,bo@x.org\n', 10).errors[0]!.message, /never closed/);
  assert.match(parseRosterCsv('', 10).errors[0]!.message, /lists nobody/);
  assert.match(parseRosterCsv('name,email\n', 10).errors[0]!.message, /lists nobody/);
  assert.match(parseRosterCsv('a,a@x.org\nb,b@x.org\nc,c@x.org\n', 2).errors[0]!.message, /lists 3 students; at most 2/);
  assert.match(parseRosterCsv('x'.repeat(ROSTER_CSV_MAX_BYTES + 1), 2).errors[0]!.message, /larger than 256 KB/);
});

test('a file with bad lines is refused with their line numbers, and nothing is written', async () => {
  const users = await User.countDocuments();
  const rows = await Enrolment.countDocuments();
  const links = await PasswordReset.countDocuments();
  const csv = 'name,email\nAnn Able,ann@example.com\nBo,not-an-email\nCy Cee,cy@example.com\nDee,ann@example.com\n';
  const res = await preview(ina, cls.id, csv);
  assert.equal(res.status, 400);
  assert.deepEqual(
    errorsOn(res.text)
      .filter((e) => e.startsWith('Line'))
      .map((e) => e.split(':')[0]),
    ['Line 3', 'Line 5'],
  );
  assert.ok(!res.text.includes('action="/classes/' + cls.id + '/enrol"'), 'no way on to enrol');
  // Posting it to the enrol route anyway is refused the same way.
  const forced = await post(ina, `/classes/${cls.id}/enrol`, `/classes/${cls.id}/enrol`, { csv });
  assert.equal(forced.status, 400);
  assert.match(forced.text, /2 problems; nobody was enrolled/);
  assert.match(forced.text, /Line 3: /);
  // An instructor's email is an error too: only students are enrolled.
  const staff = await preview(ina, cls.id, 'Ina,ina@example.com\n', 'text');
  assert.equal(staff.status, 400);
  assert.match(staff.text, /Line 1: ina@example.com is an instructor/);
  assert.equal(await User.countDocuments(), users);
  assert.equal(await Enrolment.countDocuments(), rows);
  assert.equal(await PasswordReset.countDocuments(), links);
  // Too many rows (5 in this app) and a file past the size limit.
  const six = Array.from({ length: 6 }, (_, i) => `P${i},p${i}@example.com`).join('\n');
  assert.match((await preview(ina, cls.id, six)).text, /lists 6 students; at most 5/);
  const huge = await preview(ina, cls.id, 'x'.repeat(ROSTER_CSV_MAX_BYTES + 10));
  assert.equal(huge.status, 400);
  assert.match(huge.text, /larger than 256 KB/);
});

test('a good file creates the new students, enrols everyone, and hands out reset links that set a first password', async () => {
  const old = await registerAs(t.app, 'Olga Old', 'olga@example.com', 'olga password 1');
  const csv = 'name,email\n"Nia, New",nia@example.com\nOlga Typed Differently,OLGA@example.com\nNed New,ned@example.com\n';
  const look = await preview(ina, cls.id, csv);
  assert.equal(look.status, 200);
  assert.match(look.text, /new account, with a reset link[\s\S]*existing student, enrolled/);
  assert.equal(await User.countDocuments({ email: 'nia@example.com' }), 0, 'the preview writes nothing');
  const csvField = /name="csv" value="([^"]*)"/
    .exec(look.text)![1]!
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&amp;/g, '&');

  const done = await post(ina, `/classes/${cls.id}`, `/classes/${cls.id}/enrol`, { csv: csvField, format: 'html' });
  assert.equal(done.status, 201);
  assert.match(done.text, /2 accounts created, 3 students enrolled/);
  const links = [...done.text.matchAll(/(\/reset\/[A-Za-z0-9_-]{43})/g)].map((m) => m[1]!);
  assert.equal(links.length, 2, 'a link for each new account, none for the existing one');
  const nia = await User.findOne({ email: 'nia@example.com' }).lean();
  assert.equal(nia?.role, 'student');
  assert.equal(nia?.name, 'Nia, New');
  assert.equal(await Enrolment.countDocuments({ classId: cls.id }), 3);
  const olga = await Enrolment.findOne({ email: 'olga@example.com' }).lean();
  assert.equal(olga?.name, 'Olga Old', 'an existing account keeps its own name');
  await assert.rejects(loginAs(t.app, 'nia@example.com', ''), 'no password until the link sets one');

  const agent = request.agent(t.app);
  const _csrf = await tokenFor(agent, links[0]!);
  const set = await agent.post(links[0]!).type('form').send({ _csrf, newPassword: 'nia chose this', confirmPassword: 'nia chose this' });
  assert.equal(set.status, 303);
  const niaAgent = await loginAs(t.app, 'nia@example.com', 'nia chose this');
  assert.match((await niaAgent.get('/classes')).text, /Économie 101/);
  void old;

  // The same file again: everyone is already in, nothing new is made.
  const again = await post(ina, `/classes/${cls.id}`, `/classes/${cls.id}/enrol`, { csv: csvField });
  assert.match(again.text, /0 accounts created, 0 students enrolled, 3 already in the class/);

  // The instructor may reset the students the file created, not the existing account it added.
  const olgaId = String(olga!.userId);
  const refused = await post(ina, `/classes/${cls.id}`, `/classes/${cls.id}/students/${olgaId}/reset-link`);
  assert.equal(refused.status, 403);
  assert.match(refused.text, /only an administrator/);
  assert.equal((await post(ina, `/classes/${cls.id}`, `/classes/${cls.id}/students/${String(nia!._id)}/reset-link`)).status, 201);
});

test('the links download as CSV named per RFC 5987, with spreadsheet formulas defused', async () => {
  const res = await post(ina, `/classes/${cls.id}`, `/classes/${cls.id}/enrol`, { csv: '=cmd(),eq@example.com\nPat Plain,pat@example.com\n', format: 'csv' });
  assert.equal(res.status, 201);
  assert.match(res.headers['content-type']!, /^text\/csv; charset=utf-8/);
  const disposition = res.headers['content-disposition']!;
  assert.match(disposition, /^attachment; filename="reset-links-\?conomie-101\.csv"; filename\*=UTF-8''reset-links-%C3%A9conomie-101\.csv$/);
  const lines = res.text.trim().split('\r\n');
  assert.equal(lines[0], 'Name,Email,Reset link,Link expires (UTC)');
  assert.equal(lines.length, 3);
  assert.match(lines[1]!, /^'=cmd\(\),eq@example\.com,http:\/\/127\.0\.0\.1:\d+\/reset\/[A-Za-z0-9_-]{43},\d{4}-/);
});

test('students and other instructors are kept out; every form needs its CSRF token', async () => {
  const sam = await registerAs(t.app, 'Sam Student', 'sam@example.com');
  assert.equal((await joinClass(sam, cls.code)).status, 303);
  const otto = await newInstructor(t.app, 'Otto Other', 'otto@example.com');
  const csv = 'Zed,zed@example.com\n';
  assert.equal((await sam.get(`/classes/${cls.id}/enrol`)).status, 403);
  assert.equal((await preview(sam, cls.id, csv, 'text')).status, 403);
  assert.equal((await post(sam, '/classes', `/classes/${cls.id}/enrol`, { csv })).status, 403);
  assert.equal((await otto.get(`/classes/${cls.id}/enrol`)).status, 404);
  assert.equal((await post(otto, '/classes', `/classes/${cls.id}/enrol`, { csv })).status, 404);
  const tooBig = await preview(otto, cls.id, 'x'.repeat(ROSTER_CSV_MAX_BYTES + 10));
  assert.equal(tooBig.status, 404, "a refused upload to another's class still says nothing about it");
  const ottoClass = await createClass(otto, 'Otto 101');
  assert.equal((await preview(otto, ottoClass.id, csv)).status, 200);
  const samId = String((await User.findOne({ email: 'sam@example.com' }).lean())!._id);
  assert.equal((await post(otto, '/classes', `/classes/${cls.id}/students/${samId}/reset-link`)).status, 404);
  // Without a token: the multipart preview, the enrolment and the reset link are all refused.
  assert.equal((await ina.post(`/classes/${cls.id}/enrol/preview`).attach('file', Buffer.from(csv), 'r.csv')).status, 403);
  assert.equal((await ina.post(`/classes/${cls.id}/enrol`).type('form').send({ csv })).status, 403);
  assert.equal((await ina.post(`/classes/${cls.id}/students/${samId}/reset-link`).type('form').send({})).status, 403);
  assert.equal(await User.countDocuments({ email: 'zed@example.com' }), 0);
});

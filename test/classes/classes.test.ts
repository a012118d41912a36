import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startTestApp, registerAs, type TestApp } from '../helpers/test-app.ts';
import { demoInstructor, newInstructor, createClass, joinClass, post } from '../quizzes/helpers.ts';
import { generateJoinCode, normaliseJoinCode, formatJoinCode, JOIN_CODE_ALPHABET } from '../../server/classes/join-code.ts';
import { Class } from '../../server/classes/model.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({}, { seed: true });
});
after(() => t.close());

test('join codes are 8 unambiguous characters, read in any case with spaces or dashes', () => {
  let i = 0;
  const code = generateJoinCode(() => i++ % JOIN_CODE_ALPHABET.length);
  assert.equal(code, 'ABCDEFGH');
  assert.equal(formatJoinCode(code), 'ABCD-EFGH');
  assert.equal(normaliseJoinCode(' abcd-efgh '), 'ABCDEFGH');
  assert.equal(normaliseJoinCode('abcd efgh'), 'ABCDEFGH');
  assert.equal(normaliseJoinCode('ABCDEFG'), null, 'too short');
  assert.equal(normaliseJoinCode('ABCDEFG0'), null, '0 is not in the alphabet');
  for (let n = 0; n < 50; n++) assert.match(generateJoinCode(), /^[A-HJ-NP-Z2-9]{8}$/);
});

test('an instructor creates a class, a student joins with the code, the roster lists them', async () => {
  const teacher = await demoInstructor(t.app);
  const { id, code } = await createClass(teacher, 'History 101');
  const page = await teacher.get(`/classes/${id}`);
  assert.equal(page.status, 200);
  assert.ok(page.text.includes(formatJoinCode(code)), 'the code is shown');

  const student = await registerAs(t.app, 'Ada Student', 'ada@example.com');
  const joined = await joinClass(student, formatJoinCode(code).toLowerCase());
  assert.equal(joined.status, 303);
  assert.equal(joined.headers.location, `/classes/${id}`);
  const again = await joinClass(student, code);
  assert.equal(again.status, 303, 'joining twice is harmless');

  const roster = await teacher.get(`/classes/${id}`);
  assert.match(roster.text, /Students \(1\)/);
  assert.ok(roster.text.includes('ada@example.com'));
  const mine = await student.get('/classes');
  assert.ok(mine.text.includes('History 101'));
  const studentView = await student.get(`/classes/${id}`);
  assert.equal(studentView.status, 200);
  assert.ok(!studentView.text.includes('ada@example.com'), 'students do not see the roster');
  assert.ok(!studentView.text.includes(formatJoinCode(code)), 'nor the code');
});

test('a wrong or malformed code is refused with a message beside the field', async () => {
  const student = await registerAs(t.app, 'Bo Student', 'bo@example.com');
  const wrong = await joinClass(student, 'ZZZZ-ZZZZ');
  assert.equal(wrong.status, 400);
  assert.match(wrong.text, /No class has that code/);
  const bad = await joinClass(student, '<script>');
  assert.equal(bad.status, 400);
  assert.doesNotMatch(bad.text, /<script>/);
});

test('the instructor removes a student and regenerates the code; the old code stops working', async () => {
  const teacher = await demoInstructor(t.app);
  const { id, code } = await createClass(teacher, 'Geography');
  const student = await registerAs(t.app, 'Cy Student', 'cy@example.com');
  await joinClass(student, code);
  const userId = String((await (await import('../../server/accounts/model.ts')).User.findOne({ email: 'cy@example.com' }).lean())!._id);

  const removed = await post(teacher, `/classes/${id}`, `/classes/${id}/students/${userId}/remove`);
  assert.equal(removed.status, 303);
  assert.equal((await student.get(`/classes/${id}`)).status, 404, 'a removed student no longer sees the class');
  assert.equal((await post(teacher, `/classes/${id}`, `/classes/${id}/students/${userId}/remove`)).status, 404, 'removing twice is a 404');

  const regen = await post(teacher, `/classes/${id}`, `/classes/${id}/code`);
  assert.equal(regen.status, 303);
  const fresh = (await Class.findById(id).lean())!.joinCode;
  assert.notEqual(fresh, code);
  assert.equal((await joinClass(student, code)).status, 400, 'the old code is refused');
  assert.equal((await joinClass(student, fresh)).status, 303, 'the new one works');
});

test('an instructor sees only their own classes; students cannot create classes', async () => {
  const mine = await demoInstructor(t.app);
  const { id } = await createClass(mine, 'Only mine');
  const other = await newInstructor(t.app, 'Other Teacher', 'other-teacher@example.com');
  const list = await other.get('/classes');
  assert.equal(list.status, 200);
  assert.ok(!list.text.includes('Only mine'));
  assert.equal((await other.get(`/classes/${id}`)).status, 404);
  assert.equal((await post(other, '/classes', `/classes/${id}/code`)).status, 404);
  const student = await registerAs(t.app, 'Di Student', 'di@example.com');
  assert.equal((await post(student, '/classes', '/classes', { name: 'Sneaky' })).status, 403);
  assert.equal((await post(student, '/classes', `/classes/${id}/code`)).status, 403);
  assert.equal((await student.get('/classes/not-an-id')).status, 400);
  assert.equal((await request(t.app).get('/classes')).status, 302, 'signed-out visitors go to login');
});

test('a class name is required', async () => {
  const teacher = await demoInstructor(t.app);
  const res = await post(teacher, '/classes', '/classes', { name: '   ' });
  assert.equal(res.status, 400);
  assert.match(res.text, /Give the class a name/);
});

test('an enrolment carries the student name, kept in step with a rename; older enrolments are filled in', async () => {
  const { Enrolment } = await import('../../server/classes/model.ts');
  const { User } = await import('../../server/accounts/model.ts');
  const { fillEnrolmentNames } = await import('../../server/classes/service.ts');
  const { postForm } = await import('../helpers/test-app.ts');
  const teacher = await newInstructor(t.app, 'Roster Teacher', 'roster-teacher@example.com');
  const cls = await createClass(teacher, 'Roster class');
  const student = await registerAs(t.app, 'Before Rename', 'renamed@example.com');
  await joinClass(student, cls.code);
  const user = await User.findOne({ email: 'renamed@example.com' }).lean();
  let row = await Enrolment.findOne({ userId: user!._id }).lean();
  assert.equal(row!.name, 'Before Rename');
  assert.equal(row!.email, 'renamed@example.com');
  assert.equal((await postForm(student, '/account', '/account/name', { name: 'After Rename' })).status, 302);
  row = await Enrolment.findOne({ userId: user!._id }).lean();
  assert.equal(row!.name, 'After Rename');

  await Enrolment.collection.updateOne({ userId: user!._id }, { $unset: { name: '', email: '' } });
  assert.equal(await fillEnrolmentNames(), 1);
  row = await Enrolment.findOne({ userId: user!._id }).lean();
  assert.equal(row!.name, 'After Rename');
  assert.equal(await fillEnrolmentNames(), 0, 'a second run has nothing to do');
  const gradebook = await teacher.get(`/classes/${cls.id}/gradebook`);
  assert.equal(gradebook.status, 200);
});

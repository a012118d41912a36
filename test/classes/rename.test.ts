import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, registerAs, postForm, type TestApp } from '../helpers/test-app.ts';
import { createClass, joinClass, newInstructor } from '../quizzes/helpers.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test('an instructor renames their class; a blank name is refused on the page; nobody else may rename it', async () => {
  const teacher = await newInstructor(t.app, 'Rena Teacher', 'rena@example.com');
  const cls = await createClass(teacher, 'Politics 101');
  const student = await registerAs(t.app, 'Rena Student', 'rena-student@example.com');
  assert.equal((await joinClass(student, cls.code)).status, 303);

  const renamed = await postForm(teacher, `/classes/${cls.id}`, `/classes/${cls.id}/name`, { name: 'Politics 101 (2027) — Ünïcode' });
  assert.equal(renamed.status, 303);
  assert.match((await teacher.get(`/classes/${cls.id}`)).text, /<h1>Politics 101 \(2027\) — Ünïcode<\/h1>/);
  assert.match((await student.get('/classes')).text, /Politics 101 \(2027\) — Ünïcode/, 'the student sees the new name');

  const blank = await postForm(teacher, `/classes/${cls.id}`, `/classes/${cls.id}/name`, { name: '   ' });
  assert.equal(blank.status, 400);
  assert.match(blank.text, /id="class-name-error">Give the class a name\./);

  const other = await newInstructor(t.app, 'Other Teacher', 'rena-other@example.com');
  assert.equal((await postForm(other, '/classes', `/classes/${cls.id}/name`, { name: 'Taken' })).status, 404);
  assert.equal((await postForm(student, `/classes/${cls.id}`, `/classes/${cls.id}/name`, { name: 'Taken' })).status, 403);
  assert.match((await teacher.get(`/classes/${cls.id}`)).text, /<h1>Politics 101 \(2027\) — Ünïcode<\/h1>/);
});

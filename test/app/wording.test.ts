import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, registerAs, postForm, type TestApp } from '../helpers/test-app.ts';
import { User } from '../../server/accounts/model.ts';
import { createClass, createQuiz, demoInstructor, joinClass, questionsOfTypes } from '../quizzes/helpers.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({}, { seed: true });
});
after(() => t?.close());

test('a one-minute time limit reads "1 minute" to the instructor and the student', async () => {
  const teacher = await demoInstructor(t.app);
  const { id: classId, code } = await createClass(teacher, 'Wording class');
  const [q] = await questionsOfTypes(['mcq']);
  const quizId = await createQuiz(teacher, { title: 'One-minute quiz', questionIds: [q!.id], timeLimitMinutes: 1, classIds: [classId] });
  const owner = await teacher.get(`/quizzes/${quizId}`);
  assert.match(owner.text, /<dt>Time limit<\/dt><dd>1 minute<\/dd>/);
  // "Results" is the heading of the results table only; the setting is called Feedback.
  assert.equal(owner.text.match(/>Results</g)?.length, 1);
  assert.match(owner.text, /<dt>Feedback<\/dt>/);
  const student = await registerAs(t.app, 'Minute Student', 'minute@example.com');
  await joinClass(student, code);
  const page = await student.get(`/quizzes/${quizId}`);
  assert.match(page.text, /you have 1 minute\b/);
  assert.doesNotMatch(page.text, /1 minutes/);
});

test('an admin who makes someone an instructor is told "an instructor", and "a student" the other way', async () => {
  const admin = await registerAs(t.app, 'Wording Admin', 'wording-admin@example.com');
  await User.updateOne({ email: 'wording-admin@example.com' }, { $set: { role: 'admin' } });
  await registerAs(t.app, 'Ada Target', 'ada-target@example.com');
  const target = await User.findOne({ email: 'ada-target@example.com' }).lean();
  for (const [role, said] of [
    ['instructor', 'an instructor'],
    ['student', 'a student'],
    ['admin', 'an admin'],
  ] as const) {
    const res = await postForm(admin, '/admin/users', `/admin/users/${target!._id}/role`, { role });
    assert.equal(res.status, 303);
    const page = await admin.get('/admin/users');
    assert.ok(page.text.includes(`Ada Target is now ${said}.`), `${role}: ${said}`);
  }
});

test('every page links a favicon that is served (it was a 404 on every page)', async () => {
  const agent = (await import('supertest')).default(t.app);
  const home = await agent.get('/login');
  assert.match(home.text, /<link rel="icon" href="\/img\/favicon.svg" type="image\/svg\+xml">/);
  const icon = await agent.get('/img/favicon.svg');
  assert.equal(icon.status, 200);
  assert.match(icon.headers['content-type']!, /^image\/svg\+xml/);
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, registerAs, postForm, tokenFor, type TestApp } from '../helpers/test-app.ts';
import { newInstructor, createClass, joinClass, createQuiz, questionsOfTypes, startAttempt, submit } from '../quizzes/helpers.ts';
import { formatJoinCode } from '../../server/classes/join-code.ts';
import { User } from '../../server/accounts/model.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({}, { seed: true });
});
after(() => t.close());

test('a demoted instructor gets 403 on their old roster, class page, gradebook, reviews and every instructor route', async () => {
  const teacher = await newInstructor(t.app, 'Demoted Dana', 'dana@example.com');
  const { id: classId, code } = await createClass(teacher, 'Dana class');
  const qs = await questionsOfTypes(['mcq', 'truefalse']);
  const quizId = await createQuiz(teacher, { title: 'Dana quiz', questionIds: qs.map((q) => q.id), classIds: [classId] });
  const student = await registerAs(t.app, 'Sam Student', 'sam@example.com');
  await joinClass(student, code);
  const attemptId = await startAttempt(student, quizId);
  assert.equal((await submit(student, await tokenFor(student, '/quizzes/assigned'), attemptId)).status, 200);

  const reads = [
    `/classes/${classId}`,
    `/classes/${classId}/gradebook`,
    `/classes/${classId}/gradebook.csv`,
    `/classes/${classId}/responses.csv`,
    `/classes/${classId}/paper-map`,
    `/attempts/${attemptId}/review`,
    `/quizzes/${quizId}/statistics`,
    `/quizzes/${quizId}/edit`,
    '/quizzes/new',
  ];
  for (const path of reads) assert.equal((await teacher.get(path)).status, 200, `before: ${path}`);

  const admin = await registerAs(t.app, 'Ada Admin', 'ada-admin@example.com');
  await User.updateOne({ email: 'ada-admin@example.com' }, { $set: { role: 'admin' } });
  const dana = await User.findOne({ email: 'dana@example.com' }).lean();
  const demoted = await postForm(admin, '/admin/users', `/admin/users/${dana!._id}/role`, { role: 'student' });
  assert.equal(demoted.status, 303);

  // The same session as before: nothing but the role in the database changed.
  for (const path of reads) {
    const res = await teacher.get(path);
    assert.equal(res.status, 403, `after: ${path} answers ${res.status}`);
    assert.ok(!res.text.includes('sam@example.com'), `${path} shows no student email`);
    assert.ok(!res.text.includes('Sam Student'), `${path} shows no student name`);
    assert.ok(!res.text.includes(formatJoinCode(code)) && !res.text.includes(code), `${path} shows no join code`);
  }
  const posts: [string, string][] = [
    [`/classes/${classId}/code`, '/account'],
    [`/classes/${classId}/students/${String((await User.findOne({ email: 'sam@example.com' }).lean())!._id)}/remove`, '/account'],
    ['/classes', '/account'],
    [`/quizzes/${quizId}`, '/account'],
  ];
  for (const [path, page] of posts) assert.equal((await postForm(teacher, page, path, { name: 'x' })).status, 403, `POST ${path}`);
  assert.equal((await student.get(`/attempts/${attemptId}/review`)).status, 200, 'the student still reads their own review');
});

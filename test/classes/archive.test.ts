import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startTestApp, registerAs, loginAs, tokenFor, type TestApp } from '../helpers/test-app.ts';
import {
  createClass,
  createQuiz,
  correctResponse,
  joinClass,
  newInstructor,
  post,
  questionsOfTypes,
  saveJson,
  startAttempt,
  submit,
} from '../quizzes/helpers.ts';
import { User } from '../../server/accounts/model.ts';
import { Class, Enrolment } from '../../server/classes/model.ts';
import { Attempt } from '../../server/quizzes/model.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({}, { seed: true });
});
after(() => t.close());

const archive = (agent: request.Agent, id: string) => post(agent, `/classes/${id}`, `/classes/${id}/archive`);
const unarchive = (agent: request.Agent, id: string) => post(agent, `/classes/${id}`, `/classes/${id}/unarchive`);

/** The HTML from a marker to the end tag that closes its part of the page, to check what is listed where. */
function part(html: string, marker: RegExp, end: string): string {
  const at = html.search(marker);
  return at < 0 ? '' : html.slice(at, html.indexOf(end, at) + end.length);
}
const taughtTable = (html: string) => part(html, /data-testid="taught-classes"/, '</table>');
const joinedList = (html: string) => part(html, /id="joined-h"/, '</section>').replace(/<details[\s\S]*<\/details>/, '');
const archivedPart = (html: string, who: 'taught' | 'joined') => part(html, new RegExp(`data-testid="archived-${who}"`), '</details>');

test('archiving moves a class to the Archived section for its instructor and students; unarchiving brings it back', async () => {
  const teacher = await newInstructor(t.app, 'Arch Teacher', 'arch-teacher@example.com');
  const cls = await createClass(teacher, 'Ancient History');
  await createClass(teacher, 'Modern History');
  const student = await registerAs(t.app, 'Arch Student', 'arch-student@example.com');
  assert.equal((await joinClass(student, cls.code)).status, 303);

  const res = await archive(teacher, cls.id);
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, `/classes/${cls.id}`);
  const page = await teacher.get(`/classes/${cls.id}`);
  assert.match(page.text, /&#34;Ancient History&#34; is archived: its join code admits no one/);
  assert.match(page.text, /data-testid="archived-notice"/);
  assert.match(page.text, /action="\/classes\/[a-f0-9]{24}\/unarchive"/);
  assert.doesNotMatch(page.text, /\/enrol">Enrol from a CSV file/, 'no enrolment link while archived');
  assert.ok((await Class.findById(cls.id).lean())!.archivedAt instanceof Date);

  const list = (await teacher.get('/classes')).text;
  assert.doesNotMatch(taughtTable(list), /Ancient History/, 'gone from the main list');
  assert.match(taughtTable(list), /Modern History/);
  assert.match(archivedPart(list, 'taught'), /Archived classes \(1\)[\s\S]*Ancient History/);

  const mine = (await student.get('/classes')).text;
  assert.doesNotMatch(joinedList(mine), /Ancient History/);
  assert.match(archivedPart(mine, 'joined'), /Ancient History/);
  const theirs = await student.get(`/classes/${cls.id}`);
  assert.equal(theirs.status, 200, 'the student still opens the class');
  assert.match(theirs.text, /Your instructor has archived this class/);
  assert.doesNotMatch(theirs.text, /unarchive/, 'and cannot unarchive it');

  assert.equal((await archive(teacher, cls.id)).status, 303, 'archiving twice is harmless');
  assert.equal((await unarchive(teacher, cls.id)).status, 303);
  assert.match((await teacher.get(`/classes/${cls.id}`)).text, /&#34;Ancient History&#34; is running again/);
  assert.equal((await Class.findById(cls.id).lean())!.archivedAt, null);
  assert.match(taughtTable((await teacher.get('/classes')).text), /Ancient History/);
  assert.match(joinedList((await student.get('/classes')).text), /Ancient History/);
  assert.equal(archivedPart((await student.get('/classes')).text, 'joined'), '', 'no Archived section left');
});

test('an archived class admits no new student by code or by file; members keep their place; unarchived, the code works again', async () => {
  const teacher = await newInstructor(t.app, 'Code Teacher', 'code-teacher@example.com');
  const cls = await createClass(teacher, 'Closed Latin');
  const member = await registerAs(t.app, 'Member Student', 'member@example.com');
  await joinClass(member, cls.code);
  await archive(teacher, cls.id);

  const late = await registerAs(t.app, 'Late Student', 'late@example.com');
  const refused = await joinClass(late, cls.code);
  assert.equal(refused.status, 400);
  assert.match(refused.text, /Closed Latin has been archived by its instructor, so it no longer takes new students\./);
  assert.equal(await Enrolment.countDocuments({ classId: cls.id }), 1, 'nobody was added');
  const again = await joinClass(member, cls.code);
  assert.equal(again.status, 303, 'a member typing the code again is told they are in');
  assert.match((await member.get(again.headers.location!)).text, /You are already in Closed Latin/);

  const enrolPage = await teacher.get(`/classes/${cls.id}/enrol`);
  assert.equal(enrolPage.status, 200);
  assert.match(enrolPage.text, /This class is archived, so no one can be added to it\./);
  assert.doesNotMatch(enrolPage.text, /Read the file/, 'no upload form');
  const _csrf = await tokenFor(teacher, `/classes/${cls.id}`);
  const previewed = await teacher.post(`/classes/${cls.id}/enrol/preview?_csrf=${encodeURIComponent(_csrf)}`).field('text', 'Ned New,ned@example.com');
  assert.equal(previewed.status, 409);
  assert.match(previewed.text, /This class is archived, so no one can be added to it\./);
  const enrolled = await post(teacher, `/classes/${cls.id}`, `/classes/${cls.id}/enrol`, { csv: 'Ned New,ned@example.com' });
  assert.equal(enrolled.status, 409);
  assert.equal(await User.countDocuments({ email: 'ned@example.com' }), 0, 'no account was made');

  await unarchive(teacher, cls.id);
  assert.equal((await joinClass(late, cls.code)).status, 303, 'the same code admits them now');
  assert.equal(await Enrolment.countDocuments({ classId: cls.id }), 2);
});

test("an archived class's quizzes are not offered or startable; results, reviews and the gradebook stay; unarchiving restores them", async () => {
  const teacher = await newInstructor(t.app, 'Quiz Teacher', 'quiz-teacher@example.com');
  const cls = await createClass(teacher, 'Archived Quizzes');
  const student = await registerAs(t.app, 'Quiz Student', 'quiz-student@example.com');
  await joinClass(student, cls.code);
  const [q] = await questionsOfTypes(['mcq']);
  const done = await createQuiz(teacher, { title: 'Finished quiz', questionIds: [q!.id], classIds: [cls.id], attemptsAllowed: 3 });
  const open = await createQuiz(teacher, { title: 'Open quiz', questionIds: [q!.id], classIds: [cls.id] });
  const attemptId = await startAttempt(student, done);
  const token = await tokenFor(student, `/attempts/${attemptId}/slots/1`);
  assert.equal((await saveJson(student, token, attemptId, 1, correctResponse(q!.definition))).status, 200);
  assert.equal((await submit(student, token, attemptId)).status, 200);
  const inProgress = await startAttempt(student, open);
  assert.equal((await saveJson(student, token, inProgress, 1, correctResponse(q!.definition))).status, 200);

  const res = await archive(teacher, cls.id);
  assert.match((await teacher.get(res.headers.location!)).text, /1 attempt in progress was submitted with the answers saved\./);
  const closed = (await Attempt.findById(inProgress).lean())!;
  assert.equal(closed.status, 'submitted');
  assert.equal(closed.submittedBy, 'archived');
  assert.equal(closed.score, 1, 'graded with what was saved');

  const assigned = await student.get('/quizzes/assigned');
  assert.doesNotMatch(assigned.text, /Finished quiz|Open quiz/, 'no longer assigned work');
  const quizPage = await student.get(`/quizzes/${done}`);
  assert.equal(quizPage.status, 200, 'the quiz page with its results stays');
  assert.match(quizPage.text, /data-testid="refusal">Your instructor has archived this class, so its quizzes can no longer be taken\./);
  assert.doesNotMatch(quizPage.text, /action="\/quizzes\/[a-f0-9]{24}\/attempts"/, 'no start button');
  assert.match(quizPage.text, /Review attempt 1/);
  assert.equal((await student.get(`/attempts/${attemptId}/review`)).status, 200);
  const started = await post(student, `/quizzes/${done}`, `/quizzes/${done}/attempts`);
  assert.equal(started.status, 303);
  assert.equal(started.headers.location, `/quizzes/${done}`);
  assert.match((await student.get(started.headers.location!)).text, /Your instructor has archived this class/);
  const asJson = await student.post(`/quizzes/${done}/attempts`).set('x-csrf-token', token).set('Accept', 'application/json').send({});
  assert.equal(asJson.status, 409);
  assert.equal(await Attempt.countDocuments({ quizId: done }), 1, 'no attempt was started');
  assert.match((await student.get(`/classes/${cls.id}`)).text, /Finished quiz/, "listed on the class's page, to reach the results");

  const gradebook = await teacher.get(`/classes/${cls.id}/gradebook`);
  assert.equal(gradebook.status, 200);
  assert.match(gradebook.text, /Quiz Student/);
  assert.equal((await teacher.get(`/quizzes/${done}`)).status, 200);
  assert.match((await teacher.get(`/quizzes/${done}/edit`)).text, /Archived Quizzes <span class="muted">\(archived/, 'the builder keeps the class, marked');

  await unarchive(teacher, cls.id);
  assert.match((await student.get('/quizzes/assigned')).text, /Finished quiz/);
  assert.match(await startAttempt(student, done), /^[a-f0-9]{24}$/, 'a new attempt starts again');
});

test('a start racing the archive never leaves an attempt in progress in the archived class', async () => {
  const teacher = await newInstructor(t.app, 'Race Teacher', 'race-teacher@example.com');
  const cls = await createClass(teacher, 'Racing Class');
  const student = await registerAs(t.app, 'Race Student', 'race-student@example.com');
  await joinClass(student, cls.code);
  const [q] = await questionsOfTypes(['mcq']);
  const quiz = await createQuiz(teacher, { title: 'Raced quiz', questionIds: [q!.id], classIds: [cls.id] });
  const token = await tokenFor(student, `/quizzes/${quiz}`);
  // The archive lands after the start has checked the class and before its attempt is written.
  const create = Attempt.create.bind(Attempt);
  let archived: request.Response | undefined;
  Attempt.create = (async (...args: Parameters<typeof create>) => {
    archived = await archive(teacher, cls.id);
    return create(...args);
  }) as typeof create;
  let started: request.Response;
  try {
    started = await student.post(`/quizzes/${quiz}/attempts`).set('x-csrf-token', token).set('Accept', 'application/json').send({});
  } finally {
    Attempt.create = create;
  }
  assert.equal(archived?.status, 303);
  assert.equal(started.status, 409);
  assert.match(started.text, /archived this class/);
  const attempts = await Attempt.find({ quizId: quiz }).lean();
  assert.deepEqual(
    attempts.map((a) => [a.status, a.submittedBy]),
    [['submitted', 'archived']],
    'the raced attempt was submitted as archiving does',
  );
});

test('a quiz assigned to a running class and an archived one stays open to a student of both', async () => {
  const teacher = await newInstructor(t.app, 'Two Teacher', 'two-teacher@example.com');
  const old = await createClass(teacher, 'Old Cohort');
  const current = await createClass(teacher, 'New Cohort');
  const student = await registerAs(t.app, 'Two Student', 'two-student@example.com');
  await joinClass(student, old.code);
  await joinClass(student, current.code);
  const [q] = await questionsOfTypes(['mcq']);
  const quiz = await createQuiz(teacher, { title: 'Shared quiz', questionIds: [q!.id], classIds: [old.id, current.id] });
  await archive(teacher, old.id);
  const row = part((await student.get('/quizzes/assigned')).text, new RegExp(`data-quiz="${quiz}"`), '</tr>');
  assert.match(row, /New Cohort/);
  const attemptId = await startAttempt(student, quiz);
  assert.equal(String((await Attempt.findById(attemptId).lean())!.classId), current.id, 'taken through the running class');
});

test('only the instructor of the class (or an admin) may archive or unarchive it; a form without its token is refused', async () => {
  const teacher = await newInstructor(t.app, 'Owner Teacher', 'owner-teacher@example.com');
  const cls = await createClass(teacher, 'Guarded Class');
  const student = await registerAs(t.app, 'Guard Student', 'guard-student@example.com');
  await joinClass(student, cls.code);
  const other = await newInstructor(t.app, 'Other Teacher', 'other-teacher@example.com');

  for (const action of ['archive', 'unarchive']) {
    assert.equal((await post(student, `/classes/${cls.id}`, `/classes/${cls.id}/${action}`)).status, 403, `student ${action}`);
    assert.equal((await post(other, '/classes', `/classes/${cls.id}/${action}`)).status, 404, `other instructor ${action}`);
    assert.equal((await teacher.post(`/classes/${cls.id}/${action}`).type('form').send({})).status, 403, `${action} without CSRF`);
  }
  assert.equal((await post(teacher, '/classes', '/classes/not-an-id/archive')).status, 400);
  assert.equal((await post(teacher, '/classes', `/classes/${'0'.repeat(24)}/archive`)).status, 404);
  assert.equal((await Class.findById(cls.id).lean())!.archivedAt, null, 'nothing changed');

  await registerAs(t.app, 'Class Admin', 'class-admin@example.com');
  await User.updateOne({ email: 'class-admin@example.com' }, { $set: { role: 'admin' } });
  const admin = await loginAs(t.app, 'class-admin@example.com', 'correct horse battery');
  assert.equal((await archive(admin, cls.id)).status, 303, 'an admin looks after every class');
  assert.ok((await Class.findById(cls.id).lean())!.archivedAt);

  // A demoted instructor keeps no reach over their old class.
  await User.updateOne({ email: 'owner-teacher@example.com' }, { $set: { role: 'student' } });
  assert.equal((await post(teacher, '/classes', `/classes/${cls.id}/unarchive`)).status, 403);
  assert.ok((await Class.findById(cls.id).lean())!.archivedAt);
  assert.equal((await unarchive(admin, cls.id)).status, 303);
});

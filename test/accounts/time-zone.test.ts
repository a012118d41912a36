import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startTestApp, tokenFor, loginAs, type TestApp } from '../helpers/test-app.ts';
import { User } from '../../server/accounts/model.ts';
import { Quiz } from '../../server/quizzes/model.ts';
import { createClass, createQuiz, joinClass, post, questionsOfTypes } from '../quizzes/helpers.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({}, { seed: true });
});
after(() => t.close());

async function register(name: string, email: string, timeZone: string): Promise<request.Agent> {
  const agent = request.agent(t.app);
  const _csrf = await tokenFor(agent, '/register');
  const res = await agent.post('/register').type('form').send({ _csrf, name, email, password: 'correct horse battery', timeZone });
  assert.equal(res.status, 302, res.text.slice(0, 300));
  return agent;
}

test('registration stores the zone the browser reported, in its canonical spelling; an unknown one is dropped', async () => {
  await register('Syd', 'syd@example.com', 'Australia/Sydney');
  await register('Alias', 'alias@example.com', 'Etc/UTC');
  await register('Mars', 'mars@example.com', 'Mars/Olympus_Mons');
  assert.equal((await User.findOne({ email: 'syd@example.com' }).lean())!.timeZone, 'Australia/Sydney');
  assert.equal((await User.findOne({ email: 'alias@example.com' }).lean())!.timeZone, 'UTC');
  assert.equal((await User.findOne({ email: 'mars@example.com' }).lean())!.timeZone, null);
});

test('login adopts the detected zone only for an account without one; a chosen zone is kept', async () => {
  await register('Later', 'later@example.com', '');
  const login = async (timeZone: string) => {
    const agent = request.agent(t.app);
    const _csrf = await tokenFor(agent, '/login');
    const res = await agent.post('/login').type('form').send({ _csrf, email: 'later@example.com', password: 'correct horse battery', timeZone });
    assert.equal(res.status, 302);
  };
  await login('Europe/London');
  assert.equal((await User.findOne({ email: 'later@example.com' }).lean())!.timeZone, 'Europe/London');
  await login('Asia/Tokyo');
  assert.equal((await User.findOne({ email: 'later@example.com' }).lean())!.timeZone, 'Europe/London');
});

test('the account page edits the zone and study-day hour, refusing an unknown zone and a bad hour beside their fields', async () => {
  const agent = await register('Editor', 'editor@example.com', 'Europe/London');
  const page = await agent.get('/account');
  assert.match(page.text, /<option value="Europe\/London" selected>/);
  assert.match(page.text, /name="dayStartHour"[^>]*\s+value="4"/);
  const bad = await post(agent, '/account', '/account/clock', { timeZone: 'Europe/Atlantis', dayStartHour: '24' });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /id="f-timeZone-error">Choose a time zone from the list/);
  assert.match(bad.text, /id="f-dayStartHour-error">Choose an hour from 0 to 23/);
  const ok = await post(agent, '/account', '/account/clock', { timeZone: 'America/New_York', dayStartHour: '6' });
  assert.equal(ok.status, 302);
  const stored = (await User.findOne({ email: 'editor@example.com' }).lean())!;
  assert.equal(stored.timeZone, 'America/New_York');
  assert.equal(stored.dayStartHour, 6);
  const study = await agent.get('/study');
  assert.match(study.text, /your study day starts at 06:00, America\/New_York/);
});

test('an instructor enters quiz dates in their zone; a student sees the same instant in theirs', async () => {
  const teacher = await register('Sydney Teacher', 'sydteach@example.com', 'Australia/Sydney');
  await User.updateOne({ email: 'sydteach@example.com' }, { $set: { role: 'instructor' } });
  const cls = await createClass(teacher, 'Zones 101');
  const [q] = await questionsOfTypes(['mcq']);
  const quizId = await createQuiz(teacher, { title: 'Zoned quiz', questionIds: [q!.id], classIds: [cls.id], dueAt: '2026-12-03T17:00' });
  const quiz = await Quiz.findById(quizId).lean();
  // 17:00 in Sydney (AEDT, UTC+11) is 06:00 UTC.
  assert.equal(quiz!.settings!.dueAt!.toISOString(), '2026-12-03T06:00:00.000Z');
  const edit = await teacher.get(`/quizzes/${quizId}/edit`);
  assert.match(edit.text, /value="2026-12-03T17:00"/, 'the builder shows the date back in the instructor zone');

  const student = await register('London Student', 'ldnstudent@example.com', 'Europe/London');
  assert.equal((await joinClass(student, cls.code)).status, 303);
  const page = await student.get(`/quizzes/${quizId}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /3 Dec 2026, 06:00 GMT/);
  assert.doesNotMatch(page.text, /17:00/);
});

test('an account without a zone reads times in UTC, and the home page works for it', async () => {
  const agent = await loginAs(t.app, 'mars@example.com', 'correct horse battery');
  assert.equal((await agent.get('/')).status, 200);
  const account = await agent.get('/account');
  assert.match(account.text, /<option value="UTC" selected>/);
});

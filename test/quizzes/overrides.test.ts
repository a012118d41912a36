import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { startTestApp, registerAs, tokenFor, type TestApp } from '../helpers/test-app.ts';
import { demoInstructor, newInstructor, createClass, joinClass, createQuiz, saveJson, submit, post, questionsOfTypes, correctResponse } from './helpers.ts';
import { Attempt, QuizOverride } from '../../server/quizzes/model.ts';
import { User } from '../../server/accounts/model.ts';
import { GRACE_MS } from '../../server/quizzes/attempt-state.ts';
import { applyOverrides } from '../../server/quizzes/overrides.ts';
import { QUIZ_SETTING_DEFAULTS } from '../../server/quizzes/settings.ts';
import type { QuestionDefinition } from '../../server/questions/index.ts';

let t: TestApp;
let teacher: request.Agent;
let classA: string;
let classB: string;
let codeA: string;
let codeB: string;
let n = 0;
const T0 = new Date('2030-04-01T09:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;
const HOUR = 60 * MIN;

before(async () => {
  t = await startTestApp({}, { seed: true });
  t.setNow(T0);
  teacher = await demoInstructor(t.app);
  ({ id: classA, code: codeA } = await createClass(teacher, 'Override class A'));
  ({ id: classB, code: codeB } = await createClass(teacher, 'Override class B'));
});
after(() => t.close());

async function student(code: string): Promise<{ agent: request.Agent; id: string; email: string }> {
  n++;
  const email = `ov-${n}@example.com`;
  const agent = await registerAs(t.app, `Override Student ${n}`, email);
  await joinClass(agent, code);
  const user = await User.findOne({ email }).lean();
  return { agent, id: String(user!._id), email };
}

/** Starts an attempt as JSON would see it: the attempt id, or the refusal's status. */
async function start(agent: request.Agent, quizId: string): Promise<{ status: number; attemptId?: string }> {
  const token = await tokenFor(agent, '/quizzes/assigned');
  const res = await agent.post(`/quizzes/${quizId}/attempts`).set('x-csrf-token', token).set('Accept', 'application/json').send({});
  const m = /^\/attempts\/([a-f0-9]{24})$/.exec(res.headers.location ?? '');
  return { status: res.status, attemptId: m?.[1] };
}

async function saveAt(agent: request.Agent, attemptId: string, when: Date): Promise<number> {
  t.setNow(when);
  const token = await tokenFor(agent, '/quizzes/assigned');
  const def = (await Attempt.findById(attemptId).lean())!.slots[0]!.definition as QuestionDefinition;
  return (await saveJson(agent, token, attemptId, 1, correctResponse(def))).status;
}

const override = (quizId: string, fields: Record<string, unknown>) => post(teacher, `/quizzes/${quizId}`, `/quizzes/${quizId}/overrides`, fields);

test('applyOverrides: a student override beats the class override field by field; extra time stretches only a limit that exists', () => {
  const s = { ...QUIZ_SETTING_DEFAULTS, timeLimitMinutes: 20, attemptsAllowed: 2, dueAt: at(HOUR), closesAt: at(2 * HOUR) };
  const none = { timeLimitMultiplier: null, extraMinutes: null, dueAt: null, closesAt: null, extraAttempts: null };
  const cls = { ...none, timeLimitMultiplier: 1.5, dueAt: at(3 * HOUR), closesAt: at(4 * HOUR) };
  const own = { ...none, extraMinutes: 10, closesAt: at(5 * HOUR), extraAttempts: 1 };
  const e = applyOverrides(s, cls, own);
  assert.equal(e.timeLimitMinutes, 40, '20 × 1.5 + 10');
  assert.deepEqual(e.dueAt, at(3 * HOUR));
  assert.deepEqual(e.closesAt, at(5 * HOUR));
  assert.equal(e.attemptsAllowed, 3);
  assert.equal(applyOverrides({ ...s, timeLimitMinutes: null, attemptsAllowed: 0 }, cls, own).timeLimitMinutes, null);
  assert.equal(applyOverrides({ ...s, attemptsAllowed: 0 }, cls, own).attemptsAllowed, 0, 'unlimited stays unlimited');
  assert.equal(applyOverrides(s, null, null), s);
});

test("extra time is enforced at its edges: an answer saved just inside the student's own deadline is taken, one just past is refused, for a student and a class override alike", async () => {
  const [mcq] = await questionsOfTypes(['mcq']);
  const quizId = await createQuiz(teacher, { title: 'Timed overrides', questionIds: [mcq!.id], classIds: [classA, classB], timeLimitMinutes: 10 });
  const extra = await student(codeA);
  const plain = await student(codeA);
  const classmate = await student(codeB);
  assert.equal((await override(quizId, { target: `user:${extra.id}`, extraMinutes: 5 })).status, 303);
  assert.equal((await override(quizId, { target: `class:${classB}`, timeLimitMultiplier: 2 })).status, 303);

  t.setNow(T0);
  const a = (await start(extra.agent, quizId)).attemptId!;
  const b = (await start(plain.agent, quizId)).attemptId!;
  const c = (await start(classmate.agent, quizId)).attemptId!;
  assert.deepEqual((await Attempt.findById(a).lean())!.deadline, at(15 * MIN));
  assert.deepEqual((await Attempt.findById(b).lean())!.deadline, at(10 * MIN));
  assert.deepEqual((await Attempt.findById(c).lean())!.deadline, at(20 * MIN));

  assert.equal(await saveAt(plain.agent, b, at(10 * MIN + GRACE_MS)), 200);
  assert.equal(await saveAt(plain.agent, b, at(10 * MIN + GRACE_MS + 1)), 409);
  assert.equal(await saveAt(extra.agent, a, at(15 * MIN + GRACE_MS)), 200, 'inside the extra time');
  assert.equal(await saveAt(extra.agent, a, at(15 * MIN + GRACE_MS + 1)), 409, 'just past the extra time');
  assert.equal(await saveAt(classmate.agent, c, at(20 * MIN + GRACE_MS)), 200);
  assert.equal(await saveAt(classmate.agent, c, at(20 * MIN + GRACE_MS + 1)), 409);
  assert.equal((await Attempt.findById(a).lean())!.status, 'submitted');
  t.setNow(T0);
});

test('extra attempts and a later closing time let one student start when the quiz refuses everyone else', async () => {
  const [mcq] = await questionsOfTypes(['mcq']);
  const quizId = await createQuiz(teacher, {
    title: 'Attempt overrides',
    questionIds: [mcq!.id],
    classIds: [classA],
    attemptsAllowed: 1,
    closesAt: '2030-04-01T12:00',
  });
  const lucky = await student(codeA);
  const other = await student(codeA);
  assert.equal((await override(quizId, { target: `user:${lucky.id}`, extraAttempts: 1, closesAt: '2030-04-02T12:00' })).status, 303);
  t.setNow(T0);
  for (const s of [lucky, other]) {
    const id = (await start(s.agent, quizId)).attemptId!;
    assert.equal((await submit(s.agent, await tokenFor(s.agent, '/quizzes/assigned'), id)).status, 200);
  }
  assert.ok((await start(lucky.agent, quizId)).attemptId, 'the extra attempt');
  await submit(lucky.agent, await tokenFor(lucky.agent, '/quizzes/assigned'), (await Attempt.findOne({ userId: lucky.id, number: 2 }).lean())!._id.toString());
  assert.equal((await start(lucky.agent, quizId)).status, 409, 'no third attempt');
  assert.equal((await start(other.agent, quizId)).status, 409);

  // After the quiz's closing time: only the student with a later one may start (with a third attempt granted).
  await override(quizId, { target: `user:${lucky.id}`, extraAttempts: 2, closesAt: '2030-04-02T12:00' });
  t.setNow(at(4 * HOUR));
  const late = await start(lucky.agent, quizId);
  assert.ok(late.attemptId, `refused: ${late.status}`);
  assert.deepEqual((await Attempt.findById(late.attemptId).lean())!.deadline, new Date('2030-04-02T12:00:00Z'), 'their own closing time ends the attempt');
  const refused = await start(other.agent, quizId);
  assert.equal(refused.status, 409);
  t.setNow(T0);
});

test("a student sees their own dates; the gradebook marks overridden cells and judges lateness by the student's due date", async () => {
  const [mcq] = await questionsOfTypes(['mcq']);
  // Classes of their own, so that this quiz is the gradebooks' only column.
  const c = await createClass(teacher, 'Override class C');
  const d = await createClass(teacher, 'Override class D');
  const quizId = await createQuiz(teacher, {
    title: 'Dated overrides',
    questionIds: [mcq!.id],
    classIds: [c.id, d.id],
    dueAt: '2030-04-01T10:00',
    attemptsAllowed: 2,
  });
  const own = await student(c.code);
  const plain = await student(c.code);
  const inB = await student(d.code);
  await override(quizId, { target: `user:${own.id}`, dueAt: '2030-04-03T10:00' });
  await override(quizId, { target: `class:${d.id}`, extraAttempts: 1 });

  const page = await own.agent.get(`/quizzes/${quizId}`);
  assert.match(page.text, /data-testid="own-settings"/);
  assert.match(page.text, /<dt>Due<\/dt><dd>3 [A-Z][a-z]+ 2030, 10:00 UTC/);
  const plainPage = await plain.agent.get(`/quizzes/${quizId}`);
  assert.doesNotMatch(plainPage.text, /own-settings/);
  assert.match(plainPage.text, /<dt>Due<\/dt><dd>1 [A-Z][a-z]+ 2030, 10:00 UTC/);
  assert.match((await inB.agent.get(`/quizzes/${quizId}`)).text, /<dt>Attempts<\/dt><dd>3<\/dd>/);

  // Both submit after the quiz's due date: late for one, on time for the other.
  t.setNow(at(3 * HOUR));
  for (const s of [own, plain]) {
    const id = (await start(s.agent, quizId)).attemptId!;
    await submit(s.agent, await tokenFor(s.agent, '/quizzes/assigned'), id);
  }
  const gbA = (await teacher.get(`/classes/${c.id}/gradebook`)).text;
  const row = (name: string, html: string) => new RegExp(`<tr>\\s*<th scope="row">${name}<[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';
  const quizCell = (r: string) => r.match(/<td[^>]*>[\s\S]*?<\/td>/g)!.at(-1)!;
  const ownCell = quizCell(row(own.email.replace('ov-', 'Override Student ').replace('@example.com', ''), gbA));
  assert.match(ownCell, /data-testid="gb-overridden"/);
  assert.match(ownCell, /Graded/);
  const plainCell = quizCell(row(plain.email.replace('ov-', 'Override Student ').replace('@example.com', ''), gbA));
  assert.doesNotMatch(plainCell, /gb-overridden/);
  assert.match(plainCell, /Late/);
  const gbB = (await teacher.get(`/classes/${d.id}/gradebook`)).text;
  assert.match(
    quizCell(row(inB.email.replace('ov-', 'Override Student ').replace('@example.com', ''), gbB)),
    /data-testid="gb-overridden"/,
    'the class override marks its students',
  );
  t.setNow(T0);
});

test('bad overrides are refused beside their field; only the quiz owner may set or remove one', async () => {
  const [mcq] = await questionsOfTypes(['mcq']);
  const quizId = await createQuiz(teacher, { title: 'Guarded overrides', questionIds: [mcq!.id], classIds: [classA], dueAt: '2030-04-01T10:00' });
  const s = await student(codeA);
  const outsider = await student(codeB);
  const empty = await override(quizId, { target: `user:${s.id}` });
  assert.equal(empty.status, 400);
  assert.match(empty.text, /Give extra time, a later date or extra attempts/);
  const small = await override(quizId, { target: `user:${s.id}`, timeLimitMultiplier: '0.5' });
  assert.equal(small.status, 400);
  assert.match(small.text, /id="ov-timeLimitMultiplier-error"[^>]*>A multiplier from 1 to 10/);
  const notMember = await override(quizId, { target: `user:${outsider.id}`, extraMinutes: 5 });
  assert.equal(notMember.status, 400);
  assert.match(notMember.text, /Choose a student of a class this quiz is assigned to/);
  assert.equal((await override(quizId, { target: `class:${classB}`, extraMinutes: 5 })).status, 400);
  const backwards = await override(quizId, { target: `user:${s.id}`, closesAt: '2030-04-01T09:30' });
  assert.equal(backwards.status, 400);
  assert.match(backwards.text, /The closing time cannot come before the due date/);
  assert.equal(await QuizOverride.countDocuments({ quizId }), 0, 'nothing half-written');

  assert.equal((await post(s.agent, '/quizzes/assigned', `/quizzes/${quizId}/overrides`, { target: `user:${s.id}`, extraMinutes: 60 })).status, 403);
  const rival = await newInstructor(t.app, 'Override Rival', 'ov-rival@example.com');
  assert.equal((await post(rival, '/quizzes', `/quizzes/${quizId}/overrides`, { target: `user:${s.id}`, extraMinutes: 60 })).status, 404);
  assert.equal(await QuizOverride.countDocuments({ quizId }), 0);

  assert.equal((await override(quizId, { target: `user:${s.id}`, extraMinutes: 5 })).status, 303);
  assert.equal((await override(quizId, { target: `user:${s.id}`, extraMinutes: 7 })).status, 303, 'saving again replaces it');
  const rows = await QuizOverride.find({ quizId }).lean();
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.extraMinutes, 7);
  const owner = await teacher.get(`/quizzes/${quizId}`);
  assert.match(owner.text, /data-testid="overrides"[\s\S]*7 extra minutes/);
  const del = `/quizzes/${quizId}/overrides/${String(rows[0]!._id)}/delete`;
  assert.equal((await post(rival, '/quizzes', del)).status, 404);
  assert.equal((await post(s.agent, '/quizzes/assigned', del)).status, 403);
  assert.equal((await post(teacher, `/quizzes/${quizId}`, del)).status, 303);
  assert.equal(await QuizOverride.countDocuments({ quizId }), 0);
});

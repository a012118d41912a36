import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { startTestApp, registerAs, tokenFor, postForm, type TestApp } from '../helpers/test-app.ts';
import { demoInstructor, newInstructor, createClass, joinClass, createQuiz, startAttempt, saveJson, submit } from './helpers.ts';
import { privateBank, addQuestion, mcqFields, CITED } from './marking-helpers.ts';
import { Attempt, type AttemptDoc } from '../../server/quizzes/model.ts';
import type { RegradeReport } from '../../server/quizzes/regrade-service.ts';
import { User } from '../../server/accounts/model.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';

let t: TestApp;
let teacher: request.Agent;
let other: request.Agent;
let classId: string;
let bankId: string;
let quizId: string;
let fixedId: string;
const students: { name: string; agent: request.Agent; attempt: string }[] = [];
const PROMPT = 'When did the SCO capture world attention, according to the paper?';
const T0 = new Date('2030-03-02T10:00:00Z');

const attempts = async () => (await Attempt.find({ quizId }).sort({ _id: 1 }).lean()).map((a) => ({ ...a, updatedAt: undefined }));
const dryRun = async (agent = teacher) => agent.get(`/quizzes/${quizId}/regrade`).set('Accept', 'application/json');

before(async () => {
  t = await startTestApp({}, { seed: true });
  t.setNow(T0);
  teacher = await demoInstructor(t.app);
  other = await newInstructor(t.app, 'Other Regrader', 'other-regrade@example.com');
  const cls = await createClass(teacher, 'Regrade class');
  classId = cls.id;
  bankId = await privateBank(teacher, 'Regrade bank');
  // The key is wrong: the paper says August 2007, the question says June 2001.
  fixedId = await addQuestion(teacher, bankId, mcqFields(PROMPT, 'June 2001'));
  const second = await addQuestion(teacher, bankId, mcqFields('What happened in August 2007, according to the paper?'));
  quizId = await createQuiz(teacher, {
    title: 'Regrade quiz',
    bankIds: [bankId],
    questionIds: [fixedId, second],
    classIds: [classId],
    attemptsAllowed: 2,
    gradingMethod: 'highest',
  });
  // Ann picks August 2007 (wrong by the old key), Ben June 2001 (right by it); both get question 2 right.
  for (const [name, pick] of [
    ['Ann Regrade', 'August 2007'],
    ['Ben Regrade', 'June 2001'],
  ] as const) {
    const agent = await registerAs(t.app, name, `${name.split(' ')[0]!.toLowerCase()}-regrade@example.com`);
    await joinClass(agent, cls.code);
    const attempt = await startAttempt(agent, quizId);
    const token = await tokenFor(agent, `/attempts/${attempt}/slots/1`);
    const a = (await Attempt.findById(attempt).lean<AttemptDoc>())!;
    const def1 = a.slots[0]!.definition;
    const def2 = a.slots[1]!.definition;
    if (def1.type !== 'mcq' || def2.type !== 'mcq') throw new Error('mcq expected');
    assert.equal((await saveJson(agent, token, attempt, 1, { choice: def1.choices.find((c) => c.text === pick)!.id })).status, 200);
    assert.equal((await saveJson(agent, token, attempt, 2, { choice: def2.answer })).status, 200);
    assert.equal((await submit(agent, token, attempt)).status, 200);
    students.push({ name, agent, attempt });
  }
  // Carl's attempt is still open: it is not regraded.
  const carl = await registerAs(t.app, 'Carl Regrade', 'carl-regrade@example.com');
  await joinClass(carl, cls.code);
  await startAttempt(carl, quizId);
});
after(() => t.close());

test('before any fix, the dry run finds nothing to regrade', async () => {
  const res = await dryRun();
  assert.equal(res.status, 200);
  const r = res.body as RegradeReport;
  assert.equal(r.attemptsChecked, 2);
  assert.equal(r.attemptsMoved, 0);
  assert.equal(r.inProgress, 1);
  assert.deepEqual(r.marks, []);
});

let report: RegradeReport;
let snapshot: unknown;

test('after the key is fixed (a new version), the dry run lists every changed mark, score and grade, and changes nothing', async () => {
  const edit = await postForm(teacher, `/banks/${bankId}/questions/${fixedId}/edit`, `/banks/${bankId}/questions/${fixedId}`, {
    ...CITED,
    ...mcqFields(PROMPT, 'August 2007'),
    explanation: 'The paper opens with it.',
    version: 1,
  });
  assert.equal(edit.status, 302, edit.text.slice(0, 300));
  snapshot = await attempts();
  const res = await dryRun();
  report = res.body as RegradeReport;
  assert.equal(report.attemptsMoved, 2);
  assert.deepEqual(
    report.marks.map((m) => [m.studentName, m.number, m.slot, m.fromVersion, m.toVersion, m.before, m.after]),
    [
      ['Ann Regrade', 1, 1, 1, 2, 0, 1],
      ['Ben Regrade', 1, 1, 1, 2, 1, 0],
    ],
  );
  assert.deepEqual(
    report.scores.map((s) => [s.studentName, s.before, s.after]),
    [
      ['Ann Regrade', 0.5, 1],
      ['Ben Regrade', 1, 0.5],
    ],
  );
  assert.deepEqual(
    report.grades.map((g) => [g.studentName, g.before, g.after]),
    [
      ['Ann Regrade', 0.5, 1],
      ['Ben Regrade', 1, 0.5],
    ],
  );
  const page = await teacher.get(`/quizzes/${quizId}/regrade`);
  assert.equal(page.status, 200);
  assert.match(page.text, /<strong>2<\/strong> marks would change/);
  assert.match(page.text, /Ann Regrade<\/th><td>1<\/td><td>1 \([^)]+\)<\/td><td>1 → 2<\/td><td>0% → 100%<\/td>/);
  assert.match(page.text, /1 attempt is still in progress/);
  assert.deepEqual(await attempts(), snapshot, 'the dry run wrote nothing');
});

test('only the quiz owner may regrade, and applying needs the CSRF token', async () => {
  assert.equal((await dryRun(other)).status, 404);
  assert.equal((await dryRun(students[0]!.agent)).status, 403);
  const otherToken = await tokenFor(other, '/quizzes/new');
  const foreign = await other.post(`/quizzes/${quizId}/regrade`).type('form').send({ _csrf: otherToken, fingerprint: report.fingerprint });
  assert.equal(foreign.status, 404);
  const studentToken = await tokenFor(students[0]!.agent, '/quizzes/assigned');
  assert.equal(
    (await students[0]!.agent.post(`/quizzes/${quizId}/regrade`).type('form').send({ _csrf: studentToken, fingerprint: report.fingerprint })).status,
    403,
  );
  assert.equal((await teacher.post(`/quizzes/${quizId}/regrade`).type('form').send({ fingerprint: report.fingerprint })).status, 403);
  const badPlan = await postForm(teacher, `/quizzes/${quizId}/regrade`, `/quizzes/${quizId}/regrade`, { fingerprint: 'not-a-plan' });
  assert.equal(badPlan.status, 400);
  assert.deepEqual(await attempts(), snapshot, 'nothing was applied');
});

test('applying gives exactly the dry run, recorded with who, when and which versions; applying again changes nothing', async () => {
  const applyAt = new Date(T0.getTime() + 3_600_000);
  t.setNow(applyAt);
  const token = await tokenFor(teacher, `/quizzes/${quizId}/regrade`);
  const res = await teacher
    .post(`/quizzes/${quizId}/regrade`)
    .set('Accept', 'application/json')
    .type('form')
    .send({ _csrf: token, fingerprint: report.fingerprint });
  assert.equal(res.status, 200, res.text.slice(0, 300));
  assert.deepEqual(res.body, report, 'the applied result is the dry run');
  const stored = await Attempt.find({ quizId, status: 'submitted' }).sort({ _id: 1 }).lean<AttemptDoc[]>();
  for (const s of report.scores) {
    const a = stored.find((x) => String(x._id) === s.attemptId)!;
    assert.equal(a.score, s.after);
    assert.equal(a.slots[0]!.version, 2);
    const def = a.slots[0]!.definition;
    if (def.type !== 'mcq') throw new Error('mcq expected');
    assert.equal(def.choices.find((c) => c.id === def.answer)?.text, 'August 2007');
    assert.equal(a.regrades.length, 1);
    const [g] = a.regrades;
    assert.equal(g!.at.getTime(), applyAt.getTime());
    assert.equal(String(g!.by), String((await User.findOne({ email: DEMO_ACCOUNTS[0]!.email }).lean())!._id));
    assert.deepEqual(
      g!.changes.map((c) => [c.slot, c.fromVersion, c.toVersion]),
      [[1, 1, 2]],
    );
    assert.equal(g!.scoreBefore, s.before);
    assert.equal(g!.scoreAfter, s.after);
  }
  const revisions = stored.map((a) => a.revision);
  // The old plan is spent: applying it again is refused, and a fresh dry run finds nothing.
  const again = await teacher
    .post(`/quizzes/${quizId}/regrade`)
    .set('Accept', 'application/json')
    .type('form')
    .send({ _csrf: token, fingerprint: report.fingerprint });
  assert.equal(again.status, 409);
  const fresh = (await dryRun()).body as RegradeReport;
  assert.equal(fresh.attemptsMoved, 0);
  const reapply = await teacher
    .post(`/quizzes/${quizId}/regrade`)
    .set('Accept', 'application/json')
    .type('form')
    .send({ _csrf: token, fingerprint: fresh.fingerprint });
  assert.equal(reapply.status, 200);
  assert.deepEqual(
    (await Attempt.find({ quizId, status: 'submitted' }).sort({ _id: 1 }).lean()).map((a) => a.revision),
    revisions,
    'idempotent: no write',
  );
});

test('the attempt review and the gradebook show that a regrade happened', async () => {
  const ann = students[0]!;
  const review = await ann.agent.get(`/attempts/${ann.attempt}/review`);
  assert.match(review.text, /data-testid="regraded">Regraded [^<]* by [^:<]+: question 1 \(version 1 → 2, 0% → 100%\); score 50% → 100%\./);
  assert.match(review.text, /data-testid="review-score">100%/);
  const owner = await teacher.get(`/attempts/${ann.attempt}/review`);
  assert.match(owner.text, /data-testid="regraded"/);
  const book = await teacher.get(`/classes/${classId}/gradebook`);
  assert.equal((book.text.match(/data-testid="gb-regraded"/g) ?? []).length, 2);
  const results = await teacher.get(`/quizzes/${quizId}`);
  assert.match(results.text, /Attempt 1<\/a>: 100%[^<]*<span class="muted">\(regraded\)<\/span>/);
});

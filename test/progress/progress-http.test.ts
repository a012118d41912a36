import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import mongoose from 'mongoose';
import { startTestApp, registerAs, tokenFor, type TestApp } from '../helpers/test-app.ts';
import {
  createClass,
  createQuiz,
  joinClass,
  newInstructor,
  saveJson,
  shippedBankId,
  startAttempt,
  submit,
  correctResponse,
  wrongResponse,
} from '../quizzes/helpers.ts';
import { User } from '../../server/accounts/model.ts';
import { LearnerResponse } from '../../server/responses/model.ts';
import { StudyCard } from '../../server/study/model.ts';
import { findQuestions, type StoredQuestion } from '../../server/banks/service.ts';
import { ensureLearnerAggregates } from '../../server/progress/learner-aggregates.ts';

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF), refusing anything malformed. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  let atStart = true;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i += 1;
        assert.ok(i >= text.length || text[i] === ',' || text[i] === '\r', `a closing quote must end its field (at ${i})`);
      } else {
        cell += ch;
        i += 1;
      }
      continue;
    }
    if (ch === '"') {
      assert.ok(atStart, `a quote inside an unquoted field (at ${i})`);
      quoted = true;
      atStart = false;
      i += 1;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
      atStart = true;
      i += 1;
    } else if (ch === '\r') {
      assert.equal(text[i + 1], '\n', 'lines end with CRLF');
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      atStart = true;
      i += 2;
    } else {
      assert.notEqual(ch, '\n', 'a bare LF outside quotes');
      cell += ch;
      atStart = false;
      i += 1;
    }
  }
  assert.equal(quoted, false, 'an unterminated quoted field');
  assert.equal(cell, '', 'the file ends with CRLF');
  return rows;
}

const DAY = 86_400_000;
const NOW = new Date('2030-03-10T12:00:00Z');
const EVIL_NAME = '=HYPERLINK("http://evil.example","click")';

let t: TestApp;
let teacher: request.Agent;
let otherTeacher: request.Agent;
let alice: request.Agent;
let bob: request.Agent;
let classId: string;
let quizId: string;
let qs: StoredQuestion[];
let aliceId: string;

before(async () => {
  t = await startTestApp({}, { seed: true });
  t.setNow(NOW);
  teacher = await newInstructor(t.app, 'Ina Instructor', 'ina@example.com');
  otherTeacher = await newInstructor(t.app, 'Otto Other', 'otto@example.com');
  const cls = await createClass(teacher, 'Politics 101');
  classId = cls.id;
  alice = await registerAs(t.app, 'Alice Learner', 'alice@example.com');
  bob = await registerAs(t.app, 'Bob Learner', 'bob@example.com');
  // A name a spreadsheet would run as a formula, were it not escaped.
  await User.updateOne({ email: 'alice@example.com' }, { $set: { name: EVIL_NAME } });
  aliceId = String((await User.findOne({ email: 'alice@example.com' }).lean())!._id);
  for (const a of [alice, bob]) assert.equal((await joinClass(a, cls.code)).status, 303);
  // Three questions citing three different passages: an mcq, a true/false and another mcq.
  const all = await findQuestions(await shippedBankId());
  const passageOf = (q: StoredQuestion) => q.definition.source.passageId;
  const first = all.find((q) => q.definition.type === 'mcq')!;
  const second = all.find((q) => q.definition.type === 'truefalse' && passageOf(q) !== passageOf(first))!;
  const third = all.find((q) => q.definition.type === 'mcq' && ![passageOf(first), passageOf(second)].includes(passageOf(q)))!;
  qs = [first, second, third];
  quizId = await createQuiz(teacher, { title: 'Members quiz', questionIds: qs.map((q) => q.id), classIds: [classId], dueAt: '2030-03-09T12:00' });

  // Alice: all right; Bob: one right. Both submit after the due date (so both are late).
  for (const [agent, right] of [
    [alice, 3],
    [bob, 1],
  ] as const) {
    const attemptId = await startAttempt(agent, quizId);
    const token = await tokenFor(agent, `/attempts/${attemptId}/slots/1`);
    for (let n = 1; n <= 3; n++) {
      const def = qs[n - 1]!.definition;
      const res = await saveJson(agent, token, attemptId, n, n <= right ? correctResponse(def) : wrongResponse(def));
      assert.equal(res.status, 200, res.text);
    }
    assert.equal((await submit(agent, token, attemptId)).status < 400, true);
  }

  // Alice's own practice history (yesterday and today) and a flashcard.
  const bankId = new mongoose.Types.ObjectId(await shippedBankId());
  const q0 = qs[0]!;
  const base = { userId: new mongoose.Types.ObjectId(aliceId), source: 'practice' as const, sourceRef: new mongoose.Types.ObjectId(), bankId, type: 'mcq' };
  await LearnerResponse.create([
    {
      ...base,
      questionId: new mongoose.Types.ObjectId(q0.id),
      questionKey: q0.key,
      topics: q0.definition.topics,
      passageId: q0.definition.source.passageId,
      score: 0,
      correct: false,
      answeredAt: new Date(NOW.getTime() - 2 * DAY),
    },
    {
      ...base,
      questionId: new mongoose.Types.ObjectId(q0.id),
      questionKey: q0.key,
      topics: q0.definition.topics,
      passageId: q0.definition.source.passageId,
      score: 1,
      correct: true,
      answeredAt: new Date(NOW.getTime() - DAY),
    },
  ]);
  await StudyCard.create({
    userId: new mongoose.Types.ObjectId(aliceId),
    questionId: new mongoose.Types.ObjectId(qs[1]!.id),
    bankId,
    topics: qs[1]!.definition.topics,
    introducedAt: new Date(NOW.getTime() - 3 * DAY),
    due: new Date(NOW.getTime() + 2 * DAY),
    stability: 3,
    difficulty: 5,
    elapsed_days: 0,
    scheduled_days: 3,
    learning_steps: 0,
    reps: 2,
    lapses: 0,
    state: 2,
    last_review: new Date(NOW.getTime() - DAY),
  });
  // Written past the writers, as records from before the aggregates: start-up's migration folds them in.
  await ensureLearnerAggregates();
});

after(async () => {
  await t.close();
});

test('a learner sees their own progress: streak, due cards, topic mastery and the paper map', async () => {
  const res = await alice.get('/progress');
  assert.equal(res.status, 200);
  // Active yesterday and the day before (practice), and today? The quiz was submitted today.
  assert.match(res.text, /data-testid="streak">3</);
  assert.match(res.text, /data-testid="due-today">0</);
  assert.match(res.text, /data-testid="due-week">1</);
  assert.match(res.text, /data-testid="topic-table"/);
  assert.match(res.text, /data-testid="paper-map"/);
  // The passage of the question Alice answered right is shaded with a percentage in words.
  const passage = qs[0]!.definition.source.passageId;
  const block = new RegExp(`data-passage="${passage}"[^>]*>\\s*<a[^>]*>\\s*<span class="pm-label" data-testid="pm-label">(\\d+)% known`);
  assert.match(res.text, block);
  assert.match(res.text, /Not yet studied/);
  // Charts read their data from attributes; the chart script is served from /vendor.
  assert.match(res.text, /<canvas id="topic-chart"[^>]*data-series="/);
  assert.match(res.text, /src="\/vendor\/chart.umd.js"/);
  assert.doesNotMatch(res.text, /<script>(?!<\/script>)/);
});

test("a learner never sees another learner's progress", async () => {
  const res = await bob.get('/progress');
  assert.equal(res.status, 200);
  // Bob has no practice and no flashcards: only his quiz (today) counts.
  assert.match(res.text, /data-testid="streak">1</);
  assert.match(res.text, /data-testid="due-week">0</);
  assert.doesNotMatch(res.text, /HYPERLINK/);
  const quizPassage = qs[0]!.definition.source.passageId;
  // Bob got question 1 right in the quiz: 100%; Alice's practice answers are not his.
  assert.match(res.text, new RegExp(`data-passage="${quizPassage}"[^>]*>\\s*<a[^>]*>\\s*<span class="pm-label" data-testid="pm-label">100% known`));
  // Students cannot open instructors' pages.
  assert.equal((await bob.get(`/classes/${classId}/gradebook`)).status, 403);
  assert.equal((await bob.get(`/classes/${classId}/gradebook.csv`)).status, 403);
  assert.equal((await bob.get(`/classes/${classId}/responses.csv`)).status, 403);
  assert.equal((await bob.get(`/quizzes/${quizId}/statistics`)).status, 403);
  assert.equal((await bob.get(`/classes/${classId}/paper-map`)).status, 403);
});

test('the totals say what they count: distinct questions (quizzes included) beside practice answers, cards beside ratings', async () => {
  const text = (await bob.get('/progress')).text;
  // Bob answered quiz questions only: they count as questions answered, not as practice answers.
  const questions = Number(/data-testid="questions-answered">(\d+)</.exec(text)![1]);
  assert.ok(questions > 0);
  assert.match(
    text,
    new RegExp(
      `>${questions}</span> question${questions === 1 ? '' : 's'} answered<br><span class="muted">in practice and quizzes; <span data-testid="practice-answers">0</span> practice answers in all`,
    ),
  );
  assert.match(text, /data-testid="cards-studied">0<\/span> cards studied<br><span class="muted"><span data-testid="ratings">0<\/span> ratings in all/);
  assert.doesNotMatch(text, /flashcards studied|reviews in all/);
});

test('the progress page asks a visitor to sign in', async () => {
  const res = await (await import('supertest')).default(t.app).get('/progress');
  assert.equal(res.status, 302);
  assert.match(res.headers.location!, /^\/login/);
});

test('an instructor sees the gradebook of their class: grades by the grading method, late marked', async () => {
  const res = await teacher.get(`/classes/${classId}/gradebook`);
  assert.equal(res.status, 200);
  assert.match(res.text, /data-testid="gradebook"/);
  const cells = [...res.text.matchAll(/<td class="gb-([a-z-]+)">\s*(?:<a [^>]*>)?(?:<strong>([\d.]+)%<\/strong>)?/g)].map((m) => [m[1], m[2]]);
  // Rows by name: "=HYPERLINK…" sorts before "Bob".
  // Percentages have one decimal place on every page (server/formatting/percent.ts).
  assert.deepEqual(cells, [
    ['late', '100'],
    ['late', '33.3'],
  ]);
  assert.match(res.text, /href="\/attempts\/[a-f0-9]{24}\/review"/);
  assert.match(res.text, /href="\/quizzes\/[a-f0-9]{24}\/statistics"/);
  // The class page links to it.
  assert.match((await teacher.get(`/classes/${classId}`)).text, new RegExp(`href="/classes/${classId}/gradebook"`));
});

test("an instructor cannot open another instructor's class or quiz", async () => {
  assert.equal((await otherTeacher.get(`/classes/${classId}/gradebook`)).status, 404);
  assert.equal((await otherTeacher.get(`/classes/${classId}/gradebook.csv`)).status, 404);
  assert.equal((await otherTeacher.get(`/classes/${classId}/responses.csv`)).status, 404);
  assert.equal((await otherTeacher.get(`/classes/${classId}/paper-map`)).status, 404);
  assert.equal((await otherTeacher.get(`/quizzes/${quizId}/statistics`)).status, 404);
  assert.equal((await teacher.get('/classes/not-an-id/gradebook')).status, 400);
});

test('the gradebook CSV is well-formed and escapes formula cells', async () => {
  const res = await teacher.get(`/classes/${classId}/gradebook.csv`);
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type']!, /^text\/csv/);
  assert.match(res.headers['content-disposition']!, /attachment; filename="?gradebook-politics-101\.csv"?/);
  const rows = parseCsv(res.text.replace(/^\uFEFF/, ''));
  assert.deepEqual(rows[0], ['Student', 'Email', 'Members quiz (%)', 'Members quiz (status)']);
  assert.equal(rows.length, 3);
  assert.deepEqual(rows[1], [`'${EVIL_NAME}`, 'alice@example.com', '100', 'Late']);
  assert.deepEqual(rows[2], ['Bob Learner', 'bob@example.com', '33.3', 'Late']);
  for (const row of rows) for (const cell of row) assert.doesNotMatch(cell, /^[=+\-@]/);
});

test('the responses CSV has one row per response with the answer given, and escapes formula cells', async () => {
  const res = await teacher.get(`/classes/${classId}/responses.csv`);
  assert.equal(res.status, 200);
  const rows = parseCsv(res.text.replace(/^\uFEFF/, ''));
  assert.deepEqual(rows[0], ['Student', 'Email', 'Quiz', 'Attempt', 'Question number', 'Question', 'Answer given', 'Score', 'Time']);
  assert.equal(rows.length, 1 + 2 * 3);
  const alices = rows.filter((r) => r[1] === 'alice@example.com');
  assert.equal(alices.length, 3);
  for (const r of alices) {
    assert.equal(r[0], `'${EVIL_NAME}`);
    assert.equal(r[2], 'Members quiz');
    assert.equal(r[3], '1');
    assert.equal(r[7], '1');
    assert.match(r[8]!, /^\d{4}-\d\d-\d\dT/);
  }
  const def = qs[0]!.definition;
  assert.ok(def.type === 'mcq');
  const key = def.choices.find((c) => c.id === def.answer)!.text;
  assert.ok(
    alices.some((r) => r[6] === key || r[6] === `'${key}`),
    'the answer given is in words',
  );
  const bobs = rows.filter((r) => r[1] === 'bob@example.com');
  assert.deepEqual(
    bobs.map((r) => r[7]),
    ['1', '0', '0'],
  );
  for (const row of rows) for (const cell of row) assert.doesNotMatch(cell, /^[=+\-@]/);
});

test('item statistics show facility and discrimination from first attempts, with the source passage', async () => {
  const res = await teacher.get(`/quizzes/${quizId}/statistics`);
  assert.equal(res.status, 200);
  assert.match(res.text, /data-testid="first-attempts">2</);
  const rows = [...res.text.matchAll(/<tr class="[^"]*" data-testid="item-row" data-question="([^"]+)">[\s\S]*?<\/tr>/g)];
  assert.equal(rows.length, 3);
  // Question 1: both right → facility 100%, no variance → discrimination blank.
  assert.match(rows[0]![0], /<td>100%<\/td>\s*<td>—/);
  // Question 2: Alice right, Bob wrong → facility 50%; rest-of-test 2 vs 1 → correlation 100%.
  assert.match(rows[1]![0], /<td>50%<\/td>\s*<td>100%/);
  assert.match(rows[1]![0], /Show source/);
  assert.match(rows[1]![0], new RegExp(`passage=${qs[1]!.definition.source.passageId}`));
});

test('the class paper map shades passages by the class mean', async () => {
  const res = await teacher.get(`/classes/${classId}/paper-map`);
  assert.equal(res.status, 200);
  assert.match(res.text, /data-testid="map-attempts">2</);
  const passage = qs[0]!.definition.source.passageId;
  assert.match(res.text, new RegExp(`data-passage="${passage}"[^>]*>\\s*<a[^>]*>\\s*<span class="pm-label" data-testid="pm-label">100% known`));
  // A passage no assigned quiz asks about says so, not "No questions" (the bank may have some).
  assert.match(res.text, /data-testid="pm-label">No assigned quiz question</);
  assert.doesNotMatch(res.text, /data-testid="pm-label">No questions</);
});

test('the about page renders the layout without signing in', async () => {
  const res = await (await import('supertest')).default(t.app).get('/about');
  assert.equal(res.status, 200);
  assert.match(res.text, /<h1>About Lectern<\/h1>/);
});

test('home links to the progress page', async () => {
  assert.match((await alice.get('/')).text, /href="\/progress"/);
});

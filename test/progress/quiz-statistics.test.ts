import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { startTestApp, registerAs, tokenFor, type TestApp } from '../helpers/test-app.ts';
import {
  demoInstructor,
  createClass,
  joinClass,
  createQuiz,
  startAttempt,
  saveJson,
  submit,
  questionsOfTypes,
  correctResponse,
  wrongResponse,
} from '../quizzes/helpers.ts';
import { Attempt } from '../../server/quizzes/model.ts';
import { cronbachAlpha, itemMatrix, scoreSummary } from '../../server/progress/score-summary.ts';
import { responseDistribution } from '../../server/progress/response-distribution.ts';
import type { QuestionDefinition, QuestionResponse } from '../../server/questions/index.ts';

test("Cronbach's alpha on a worked example: 4 students × 3 right/wrong items gives 0.75 (as KR-20 does)", () => {
  // Item variances (n−1): 0.25, 1/3, 0.25, sum 5/6; totals 3, 2, 1, 0 have variance 5/3;
  // alpha = 3/2 · (1 − (5/6)/(5/3)) = 0.75. KR-20 with population variances: Σpq = 0.625, σ² = 1.25, the same 0.75.
  const alpha = cronbachAlpha([
    [1, 1, 1],
    [1, 1, 0],
    [1, 0, 0],
    [0, 0, 0],
  ]);
  assert.ok(alpha !== null && Math.abs(alpha - 0.75) < 1e-12, String(alpha));
  assert.equal(
    cronbachAlpha([
      [0, 0],
      [1, 1],
      [2, 2],
    ]),
    1,
    'parallel items are perfectly consistent',
  );
  assert.equal(cronbachAlpha([[1, 0]]), null, 'one student');
  assert.equal(cronbachAlpha([[1], [0]]), null, 'one item');
  assert.equal(
    cronbachAlpha([
      [1, 0],
      [0, 1],
    ]),
    null,
    'no spread in the totals',
  );
  assert.equal(cronbachAlpha([[1, 0], [1]]), null, 'ragged rows');
});

test('the alpha matrix keeps only attempts that hold every question, in one column order', () => {
  const m = itemMatrix([
    [
      { questionId: 'b', mark: 1 },
      { questionId: 'a', mark: 0 },
    ],
    [
      { questionId: 'a', mark: 1 },
      { questionId: 'b', mark: 1 },
    ],
    [{ questionId: 'a', mark: 1 }],
  ]);
  assert.deepEqual(m, [
    [0, 1],
    [1, 1],
  ]);
});

test('score summary: mean, median (even and odd counts), ten bands with a full mark in the last', () => {
  const s = scoreSummary([0, 0.25, 0.5, 1]);
  assert.equal(s.mean, 0.4375);
  assert.equal(s.median, 0.375);
  assert.deepEqual(s.histogram, [1, 0, 1, 0, 0, 1, 0, 0, 0, 1]);
  assert.equal(scoreSummary([0.3, 0.1, 0.9]).median, 0.3);
  assert.equal(scoreSummary([0.7]).histogram[7], 1, '70% is in the 70–79% band (no float slip)');
  assert.deepEqual(scoreSummary([]), { n: 0, mean: null, median: null, histogram: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] });
});

test('answer distribution: the share choosing each option, and the commonest wrong typed answers grouped ignoring case', () => {
  const mcq = {
    type: 'mcq',
    choices: [
      { id: 'a', text: 'Alpha' },
      { id: 'b', text: 'Beta' },
      { id: 'c', text: 'Gamma' },
    ],
    answer: 'b',
  } as unknown as QuestionDefinition;
  const r = (choice: string): QuestionResponse => ({ type: 'mcq', choice });
  const d = responseDistribution(mcq, [
    { response: r('a'), score: 0 },
    { response: r('b'), score: 1 },
    { response: r('b'), score: 1 },
    { response: null, score: 0 },
  ]);
  assert.deepEqual(
    d.options.map((o) => [o.text, o.correct, o.count, o.share]),
    [
      ['Alpha', false, 1, 0.25],
      ['Beta', true, 2, 0.5],
      ['Gamma', false, 0, 0],
    ],
  );
  assert.equal(d.blank, 1);
  const short = { type: 'short', answers: ['Shanghai'] } as unknown as QuestionDefinition;
  const s = (text: string): QuestionResponse => ({ type: 'short', text });
  const w = responseDistribution(short, [
    { response: s('Beijing'), score: 0 },
    { response: s(' beijing '), score: 0 },
    { response: s('Moscow'), score: 0 },
    { response: s('Shanghai'), score: 1 },
  ]);
  assert.deepEqual(
    w.wrongAnswers.map((x) => [x.text.toLowerCase(), x.count]),
    [
      ['beijing', 2],
      ['moscow', 1],
    ],
  );
  assert.equal(w.wrongAnswers[0]!.share, 0.5);
});

let t: TestApp;
let teacher: request.Agent;
before(async () => {
  t = await startTestApp({}, { seed: true });
  teacher = await demoInstructor(t.app);
});
after(() => t.close());

test('the statistics page shows the answer shares, mean, median, alpha and a histogram of the first attempts', async () => {
  const { id: classId, code } = await createClass(teacher, 'Statistics class');
  const [mcq, tf] = await questionsOfTypes(['mcq', 'truefalse']);
  const quizId = await createQuiz(teacher, { title: 'Measured quiz', questionIds: [mcq!.id, tf!.id], classIds: [classId] });
  // Four students: both right, first right only, second right only, none right.
  const patterns = [
    [true, true],
    [true, false],
    [false, true],
    [false, false],
  ];
  for (const [i, p] of patterns.entries()) {
    const s = await registerAs(t.app, `Measured ${i}`, `measured-${i}@example.com`);
    await joinClass(s, code);
    const attemptId = await startAttempt(s, quizId);
    const token = await tokenFor(s, `/attempts/${attemptId}/slots/1`);
    const a = await Attempt.findById(attemptId).lean();
    for (let j = 0; j < 2; j++) {
      const def = a!.slots[j]!.definition as QuestionDefinition;
      assert.equal((await saveJson(s, token, attemptId, j + 1, p[j] ? correctResponse(def) : wrongResponse(def))).status, 200);
    }
    await submit(s, token, attemptId);
  }
  const page = await teacher.get(`/quizzes/${quizId}/statistics`);
  assert.equal(page.status, 200);
  assert.match(page.text, /data-testid="score-mean">50%/);
  assert.match(page.text, /data-testid="score-median">50%/);
  // Items uncorrelated (marks 1,1,0,0 and 1,0,1,0): alpha = 2 · (1 − (1/3 + 1/3) / (2/3)) = 0.
  assert.match(page.text, /data-testid="alpha">0.00/);
  const bands = [...page.text.matchAll(/<tr><td>[^<]+<\/td><td>(\d+)<\/td><\/tr>/g)].map((m) => Number(m[1]));
  assert.deepEqual(bands, [1, 0, 0, 0, 0, 2, 0, 0, 0, 1]);
  assert.match(page.text, /id="score-histogram"/);
  assert.match(page.text, /True \(correct\)|False \(correct\)/);
  assert.match(page.text, /\(correct\): <strong>50%<\/strong> \(2\)/);
  const student = await registerAs(t.app, 'Nosy', 'nosy-stats@example.com');
  assert.equal((await student.get(`/quizzes/${quizId}/statistics`)).status, 403);
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { startTestApp, registerAs, tokenFor, postForm, addTopics, type TestApp } from '../helpers/test-app.ts';
import { demoInstructor, createClass, joinClass, createQuiz, startAttempt, saveJson, submit, wrongResponse } from './helpers.ts';
import { shippedSourceId } from '../../server/banks/index.ts';
import { Attempt, Quiz } from '../../server/quizzes/model.ts';
import { quizSettings } from '../../server/quizzes/settings.ts';
import { reviewAllowance, reviewOptionsFromLevel, reviewPhase, IMMEDIATE_REVIEW_MS } from '../../server/quizzes/review-policy.ts';
import type { QuestionDefinition } from '../../server/questions/index.ts';

let t: TestApp;
let teacher: request.Agent;
let classId: string;
let code: string;
let n = 0;
const T0 = new Date('2030-05-06T09:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;

before(async () => {
  t = await startTestApp({}, { seed: true });
  t.setNow(T0);
  teacher = await demoInstructor(t.app);
  ({ id: classId, code } = await createClass(teacher, 'Review options class'));
  // A bank of the instructor's own, not shared with the class: a quiz that hides keys may draw from it.
  const bank = await postForm(teacher, '/banks', '/banks', { title: 'Private review bank', description: 'x', sourceId: (await shippedSourceId())! });
  assert.equal(bank.status, 302, (/class="field-error"[^>]*>([^<]*)/.exec(bank.text) ?? [])[1] ?? bank.text.slice(0, 300));
  privateBankId = /\/banks\/([a-f0-9]{24})$/.exec(bank.headers.location!)![1]!;
  await addTopics(teacher, privateBankId, ['Dates events']);
  const q = await postForm(teacher, `/banks/${privateBankId}/questions/new`, `/banks/${privateBankId}/questions`, {
    type: 'mcq',
    prompt: 'According to the paper, what happened in August 2007?',
    topics: ['dates-events'],
    difficulty: 'easy',
    passageId: 'intro-1',
    quote: 'In August 2007, the Shanghai Cooperation Organisation (SCO) captured world attention through two actions.',
    explanation: 'The paper opens with the events of August 2007.',
    choices: 'June 2001\n*August 2007\nMid-2005',
  });
  privateQuestionId = /questions\/([a-f0-9]{24})\/edit$/.exec(q.headers.location!)![1]!;
});
let privateBankId: string;
let privateQuestionId: string;
after(() => t.close());

/** The review-options grid as the builder posts it: the marker, and a ticked box per listed flag. */
function grid(phases: Record<'immediately' | 'open' | 'closed', string[]>): Record<string, string> {
  const fields: Record<string, string> = { reviewMatrix: '1' };
  for (const [p, flags] of Object.entries(phases)) for (const f of flags) fields[`review_${p}_${f}`] = 'on';
  return fields;
}

/** A student who answers the quiz's one mcq wrongly and submits at T0; returns the agent and attempt. */
async function wrongAttempt(quizId: string): Promise<{ agent: request.Agent; attemptId: string; def: QuestionDefinition }> {
  n++;
  const agent = await registerAs(t.app, `Reviewer ${n}`, `review-opt-${n}@example.com`);
  await joinClass(agent, code);
  t.setNow(T0);
  const attemptId = await startAttempt(agent, quizId);
  const token = await tokenFor(agent, `/attempts/${attemptId}/slots/1`);
  const def = (await Attempt.findById(attemptId).lean())!.slots[0]!.definition as QuestionDefinition;
  assert.equal((await saveJson(agent, token, attemptId, 1, wrongResponse(def))).status, 200);
  assert.equal((await submit(agent, token, attemptId)).status, 200);
  return { agent, attemptId, def };
}

test('review phases as Moodle has them: immediately is the two minutes after submitting, then while open, then after closing', () => {
  const closes = at(60 * MIN);
  assert.equal(reviewPhase(T0, closes, at(IMMEDIATE_REVIEW_MS)), 'immediately');
  assert.equal(reviewPhase(T0, closes, at(IMMEDIATE_REVIEW_MS + 1)), 'open');
  assert.equal(reviewPhase(T0, closes, closes), 'closed');
  assert.equal(reviewPhase(T0, null, at(1e9)), 'open', 'a quiz that never closes stays open');
  const options = { ...reviewOptionsFromLevel('score'), closed: { score: false, marks: false, answers: false, feedback: false, source: false } };
  const a = reviewAllowance(
    { feedbackTiming: 'immediately', reviewShows: 'score', reviewOptions: options, attemptsAllowed: 1, dueAt: null, closesAt: closes },
    { submitted: true, attemptsSubmitted: 1, now: closes, submittedAt: T0 },
  );
  assert.equal(a.available, false);
  assert.equal(a.showScore, false);
});

test('each phase shows exactly what its row of the grid allows, and the answer key only where it says so', async () => {
  const quizId = await createQuiz(teacher, {
    title: 'Phased review',
    bankIds: [privateBankId],
    questionIds: [privateQuestionId],
    classIds: [classId],
    closesAt: '2030-05-06T12:00',
    ...grid({ immediately: ['score', 'marks'], open: ['score'], closed: ['score', 'marks', 'answers', 'feedback', 'source'] }),
  });
  const saved = quizSettings((await Quiz.findById(quizId).lean())!);
  assert.deepEqual(saved.reviewOptions.open, { score: true, marks: false, answers: false, feedback: false, source: false });
  const { agent, attemptId, def } = await wrongAttempt(quizId);
  const explanation = def.explanation.slice(0, 40);

  t.setNow(at(MIN));
  const soon = (await agent.get(`/attempts/${attemptId}/review`)).text;
  assert.match(soon, /data-testid="review-score">0%/);
  assert.match(soon, /<strong>Wrong<\/strong>/);
  assert.doesNotMatch(soon, /feedback-key|Correct answer/, 'no key immediately');
  assert.equal(soon.includes(explanation), false, 'no explanation immediately');
  assert.doesNotMatch(soon, /Show source/);

  t.setNow(at(10 * MIN));
  const later = (await agent.get(`/attempts/${attemptId}/review`)).text;
  assert.match(later, /data-testid="review-score">0%/);
  assert.doesNotMatch(later, /review-item|Wrong|feedback-key/, 'the score only while open');
  const page = (await agent.get(`/quizzes/${quizId}`)).text;
  assert.match(page, /data-testid="review-phase-open">score</);

  t.setNow(new Date('2030-05-06T12:00:00Z'));
  const closed = (await agent.get(`/attempts/${attemptId}/review`)).text;
  assert.match(closed, /feedback-key/);
  assert.equal(closed.includes(explanation), true);
  assert.match(closed, /Show source/);
  // The passage itself, its quote marked, as practice feedback shows it.
  assert.match(closed, /<section class="evidence" aria-labelledby="evidence-title-1">/);
  assert.match(closed, /<mark data-testid="evidence-quote">[^<]+<\/mark>/);
  assert.doesNotMatch(soon, /evidence-quote/);
  t.setNow(T0);
});

test('a phase that shows nothing says when the review opens; the score is hidden too', async () => {
  const quizId = await createQuiz(teacher, {
    title: 'Review at closing',
    bankIds: [privateBankId],
    questionIds: [privateQuestionId],
    classIds: [classId],
    closesAt: '2030-05-06T12:00',
    ...grid({ immediately: [], open: [], closed: ['score', 'answers'] }),
  });
  const { agent, attemptId } = await wrongAttempt(quizId);
  t.setNow(at(MIN));
  const waiting = (await agent.get(`/attempts/${attemptId}/review`)).text;
  assert.match(waiting, /data-testid="review-waiting">The review opens when the quiz closes/);
  assert.doesNotMatch(waiting, /review-score|feedback-key/);
  assert.match((await agent.get(`/quizzes/${quizId}`)).text, /Not shown yet/);
  t.setNow(new Date('2030-05-06T12:00:01Z'));
  const open = (await agent.get(`/attempts/${attemptId}/review`)).text;
  assert.match(open, /data-testid="review-score">0%/);
  assert.match(open, /feedback-key/);
  assert.doesNotMatch(open, /<strong>Wrong<\/strong>/, 'marks were not ticked');
  t.setNow(T0);
});

test('a quiz saved before review options keeps its one level in every phase (read as migrated), and its builder shows the grid so', async () => {
  const quizId = await createQuiz(teacher, { title: 'Legacy review', bankIds: [privateBankId], questionIds: [privateQuestionId], classIds: [classId] });
  await Quiz.collection.updateOne(
    { _id: (await Quiz.findById(quizId).lean())!._id },
    { $unset: { 'settings.reviewOptions': '' }, $set: { 'settings.reviewShows': 'correctness' } },
  );
  const stored = await Quiz.collection.findOne({ title: 'Legacy review' });
  assert.equal(stored!.settings.reviewOptions, undefined, 'stored as an old quiz');
  assert.deepEqual(quizSettings({ settings: stored!.settings as unknown }).reviewOptions, reviewOptionsFromLevel('correctness'));

  const { agent, attemptId } = await wrongAttempt(quizId);
  for (const when of [at(MIN), at(60 * MIN)]) {
    t.setNow(when);
    const review = (await agent.get(`/attempts/${attemptId}/review`)).text;
    assert.match(review, /<strong>Wrong<\/strong>/);
    assert.doesNotMatch(review, /feedback-key|Show source/);
  }
  const builder = (await teacher.get(`/quizzes/${quizId}/edit`)).text;
  assert.match(builder, /id="f-review_open_marks" name="review_open_marks" checked/);
  assert.doesNotMatch(builder, /id="f-review_open_answers" name="review_open_answers" checked/);
  t.setNow(T0);
});

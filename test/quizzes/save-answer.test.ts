import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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
} from './helpers.ts';
import { Attempt } from '../../server/quizzes/model.ts';
import { mongooseCommands } from '../helpers/mongoose-commands.ts';
import type { QuestionDefinition } from '../../server/questions/index.ts';

let t: TestApp;
let code: string;
let quizId: string;
let n = 0;

before(async () => {
  t = await startTestApp({}, { seed: true });
  const teacher = await demoInstructor(t.app);
  const cls = await createClass(teacher, 'Save class');
  code = cls.code;
  const questionIds = (await questionsOfTypes(['mcq', 'truefalse'])).map((q) => q.id);
  quizId = await createQuiz(teacher, { title: 'Save quiz', questionIds, attemptsAllowed: 0, classIds: [cls.id], timeLimitMinutes: 30 });
});
after(() => t.close());

async function takeQuiz() {
  n++;
  const agent = await registerAs(t.app, `Saver ${n}`, `saver-${n}@example.com`);
  await joinClass(agent, code);
  const attemptId = await startAttempt(agent, quizId);
  const defs = (await Attempt.findById(attemptId).lean())!.slots.map((s) => s.definition as QuestionDefinition);
  const token = await tokenFor(agent, `/attempts/${attemptId}/slots/1`);
  return { agent, attemptId, defs, token };
}

/** The commands on attempts that `run` sends. */
async function attemptCommands(run: () => Promise<unknown>): Promise<string[]> {
  return (await mongooseCommands(run)).filter((c) => c.startsWith('attempts.')).map((c) => c.slice('attempts.'.length));
}

test('saving a slot again is one guarded write, with no read of the attempt', async () => {
  const { agent, attemptId, defs, token } = await takeQuiz();
  const first = await attemptCommands(() => saveJson(agent, token, attemptId, 1, wrongResponse(defs[0]!)));
  assert.deepEqual(first, ['findOne', 'updateOne'], 'the first save reads the slot');
  const again = await attemptCommands(async () => {
    const res = await saveJson(agent, token, attemptId, 1, correctResponse(defs[0]!));
    assert.equal(res.status, 200);
  });
  assert.deepEqual(again, ['updateOne']);
  assert.deepEqual((await Attempt.findById(attemptId).lean())!.slots[0]!.response, correctResponse(defs[0]!));
});

test('the one-write path still refuses what the full path refuses', async () => {
  const { agent, attemptId, defs, token } = await takeQuiz();
  assert.equal((await saveJson(agent, token, attemptId, 2, correctResponse(defs[1]!))).status, 200);

  // An unreadable answer: the same 400 and message, and nothing written.
  const bad = await saveJson(agent, token, attemptId, 2, { type: 'mcq', choice: 'zz' });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error ?? JSON.stringify(bad.body), /could not be saved/);

  // Someone else posting to this attempt's slot (same slot, so the definition is cached): 404.
  const other = await takeQuiz();
  const stranger = await saveJson(other.agent, other.token, attemptId, 2, correctResponse(defs[1]!));
  assert.equal(stranger.status, 404);
  assert.deepEqual((await Attempt.findById(attemptId).lean())!.slots[1]!.response, correctResponse(defs[1]!));

  // After the deadline (and its grace): the attempt is submitted by the clock, and the save refused.
  t.setNow(new Date(Date.now() + 31 * 60_000));
  try {
    const late = await saveJson(agent, token, attemptId, 2, wrongResponse(defs[1]!));
    assert.equal(late.status, 409);
    assert.match(JSON.stringify(late.body), /Time is up/);
  } finally {
    t.setNow(new Date());
  }
  const a = await Attempt.findById(attemptId).lean();
  assert.equal(a!.status, 'submitted');
  assert.equal(a!.submittedBy, 'deadline');
  assert.deepEqual(a!.slots[1]!.response, correctResponse(defs[1]!));
});

test('after submitting, a save of a slot saved before is refused with a conflict', async () => {
  const { agent, attemptId, defs, token } = await takeQuiz();
  assert.equal((await saveJson(agent, token, attemptId, 1, correctResponse(defs[0]!))).status, 200);
  await submit(agent, token, attemptId);
  const res = await saveJson(agent, token, attemptId, 1, wrongResponse(defs[0]!));
  assert.equal(res.status, 409);
  assert.deepEqual((await Attempt.findById(attemptId).lean())!.slots[0]!.response, correctResponse(defs[0]!));
});

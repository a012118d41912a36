import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { startTestApp, registerAs, tokenFor, type TestApp } from '../helpers/test-app.ts';
import { demoInstructor, createClass, joinClass, createQuiz, questionsOfTypes, formBody } from './helpers.ts';
import { Attempt } from '../../server/quizzes/model.ts';
import { answerKeyText, type PresentedQuestion, type QuestionDefinition, type QuestionResponse } from '../../server/questions/index.ts';

/** A valid answer built from what the student sees (typed answers are guesses), so that echoes of it are not the key. */
function guess(q: PresentedQuestion): QuestionResponse {
  switch (q.type) {
    case 'mcq':
      return { type: 'mcq', choice: q.choices[0]!.id };
    case 'multi':
      return { type: 'multi', choices: [q.choices[0]!.id] };
    case 'truefalse':
      return { type: 'truefalse', value: true };
    case 'short':
      return { type: 'short', text: 'my own guess' };
    case 'numeric':
      return { type: 'numeric', value: 987654 };
    case 'cloze':
      return { type: 'cloze', blanks: Array(q.blankCount).fill('my own guess') };
    case 'matching':
      return { type: 'matching', pairs: { [q.lefts[0]!.id]: q.rights[0]!.id } };
    case 'ordering':
      return { type: 'ordering', order: q.items.map((i) => i.id) };
    case 'essay':
      return { type: 'essay', text: 'my own guess' };
    case 'card':
      return { type: 'card', knew: true };
  }
}

let t: TestApp;
before(async () => {
  t = await startTestApp({}, { seed: true });
  t.setNow(new Date('2030-02-01T09:00:00Z'));
});
after(() => t.close());

const unescape = (s: string) =>
  s
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** What would give the key away: explanations, quotes, accepted answers, the key in words, and definition fields in JSON. */
function keyStrings(defs: QuestionDefinition[], shown: string): string[] {
  const out = new Set<string>();
  for (const d of defs) {
    out.add(d.explanation);
    out.add(d.source.quote);
    // True/False are on every true-false question; its key cannot be a string on the page.
    if (d.type !== 'truefalse') out.add(answerKeyText(d));
    if (d.type === 'short') d.answers.forEach((a) => out.add(a));
    if (d.type === 'cloze') d.blanks.forEach((b) => b.answers.forEach((a) => out.add(a)));
    if (d.type === 'numeric') out.add(String(d.answer));
  }
  // A key that is also on the question itself (an mcq's right choice is one of its choices) is not a leak by itself.
  return [...out].filter((s) => s.length >= 3 && !shown.includes(s));
}

const MARKERS = ['"answer"', '"answers"', '"definition"', '"explanation"', 'feedback-key', 'Correct answer', 'Show source'];

test('no answer key reaches the student before the review allows it; afterwards the review shows it', async () => {
  const teacher = await demoInstructor(t.app);
  const { id: classId, code } = await createClass(teacher, 'Leak class');
  const qs = await questionsOfTypes(['mcq', 'multi', 'truefalse', 'short', 'numeric', 'cloze', 'matching', 'ordering']);
  const quizId = await createQuiz(teacher, {
    title: 'Sealed quiz',
    questionIds: qs.map((q) => q.id),
    shuffleChoices: 'on',
    shuffleQuestions: 'on',
    timeLimitMinutes: 30,
    dueAt: '2030-02-02T09:00',
    feedbackTiming: 'after-due',
    reviewShows: 'explanations',
    classIds: [classId],
  });
  const student = await registerAs(t.app, 'Curious Student', 'curious@example.com');
  await joinClass(student, code);

  const seen: { what: string; body: string }[] = [];
  const keep = (what: string, res: request.Response) => {
    seen.push({ what, body: res.type === 'application/json' ? JSON.stringify(res.body) : unescape(res.text ?? '') });
    return res;
  };
  keep('assigned', await student.get('/quizzes/assigned'));
  keep('quiz', await student.get(`/quizzes/${quizId}`));
  const token = await tokenFor(student, `/quizzes/${quizId}`);
  const started = keep(
    'start',
    await student
      .post(`/quizzes/${quizId}/attempts`)
      .type('form')
      .send(formBody({ _csrf: token })),
  );
  const attemptId = /\/attempts\/([a-f0-9]{24})/.exec(started.headers.location!)![1]!;
  keep('resume', await student.get(`/attempts/${attemptId}`));
  const a = await Attempt.findById(attemptId).lean();
  const defs = a!.slots.map((s) => s.definition as QuestionDefinition);
  for (let n = 1; n <= defs.length; n++) {
    keep(`slot ${n}`, await student.get(`/attempts/${attemptId}/slots/${n}`));
    keep(
      `save ${n}`,
      await student
        .post(`/attempts/${attemptId}/slots/${n}`)
        .set('x-csrf-token', token)
        .set('Accept', 'application/json')
        .send(guess(a!.slots[n - 1]!.presentation as PresentedQuestion)),
    );
    keep(`slot ${n} again`, await student.get(`/attempts/${attemptId}/slots/${n}`));
  }
  keep(
    'bad save',
    await student
      .post(`/attempts/${attemptId}/slots/1`)
      .set('x-csrf-token', token)
      .set('Accept', 'application/json')
      .send({ choice: 'forged', choices: ['forged'], value: 'x', text: 5, order: ['forged'] }),
  );
  keep(
    'form save',
    await student
      .post(`/attempts/${attemptId}/slots/1`)
      .type('form')
      .send(formBody({ _csrf: token, go: 'summary' })),
  );
  keep('summary', await student.get(`/attempts/${attemptId}/summary`));
  // Practice and flashcards show answers, from the same bank: while the attempt is open they are paused.
  const selfStudy = [
    keep('practice', await student.get('/practice')),
    keep(
      'practice start',
      await student
        .post('/practice')
        .type('form')
        .send(formBody({ _csrf: token, length: '20' })),
    ),
    keep('practice json', await student.get('/practice').set('Accept', 'application/json')),
    keep('flashcards', await student.get('/study')),
    keep('flashcard session', await student.get('/study/session')),
  ];
  for (const res of selfStudy) {
    assert.equal(res.status, 403, `self-study during the attempt answers ${res.status}`);
    assert.match(res.type === 'application/json' ? JSON.stringify(res.body) : res.text, /paused while your quiz/);
  }
  keep('submit', await student.post(`/attempts/${attemptId}/submit`).set('x-csrf-token', token).set('Accept', 'application/json').send({}));
  keep('review', await student.get(`/attempts/${attemptId}/review`));
  keep('quiz after', await student.get(`/quizzes/${quizId}`));
  keep('assigned after', await student.get('/quizzes/assigned'));

  const shown = JSON.stringify(a!.slots.map((s) => s.presentation));
  const secrets = keyStrings(defs, shown);
  assert.ok(secrets.length >= 15, `enough to look for (${secrets.length})`);
  for (const { what, body } of seen) {
    for (const secret of [...secrets, ...MARKERS]) assert.ok(!body.includes(secret), `${what} reveals ${JSON.stringify(secret)}`);
  }
  assert.ok(seen.find((s) => s.what === 'review')!.body.includes('Results are shown after the due date'));
  const saved = (await Attempt.findById(attemptId).lean())!.slots;
  assert.ok(
    saved.every((s) => s.response !== null),
    'every question was answered before the scan',
  );

  // After the due date the same review shows the key: the scan above would have caught it.
  t.setNow(new Date('2030-02-02T09:00:01Z'));
  const review = unescape((await student.get(`/attempts/${attemptId}/review`)).text);
  for (const d of defs) {
    assert.ok(review.includes(d.explanation), 'explanations are shown now');
    assert.ok(review.includes(answerKeyText(d)), 'and the correct answers');
  }
  assert.match(review, /Show source/);
  assert.equal((await student.get('/practice')).status, 200, 'practice opens again once the attempt is submitted');
  assert.equal((await student.get('/study')).status, 200, 'and flashcards');
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, registerAs, type TestApp } from '../helpers/test-app.ts';
import { createClass, createQuiz, joinClass, newInstructor, questionsOfTypes } from '../quizzes/helpers.ts';
import { currentQuizPage, GRADEBOOK_QUIZZES_PER_PAGE } from '../../server/progress/gradebook-service.ts';

const NOW = new Date('2030-03-15T12:00:00Z');
let t: TestApp;
before(async () => {
  t = await startTestApp({}, { seed: true });
  t.setNow(NOW);
});
after(() => t.close());

test('the columns shown first are those of the quizzes due next; once all are past, the last ones', () => {
  const day = (d: number) => ({ dueAt: new Date(NOW.getTime() + d * 86_400_000), closesAt: null });
  const year = Array.from({ length: 50 }, (_, i) => day(i - 45)); // 45 past, 5 to come
  assert.equal(GRADEBOOK_QUIZZES_PER_PAGE, 20);
  assert.equal(currentQuizPage(year, NOW), 3, 'quiz 46 is the first not yet due: page 3');
  assert.equal(
    currentQuizPage(
      Array.from({ length: 50 }, (_, i) => day(i - 60)),
      NOW,
    ),
    3,
    'all past: the last page',
  );
  assert.equal(currentQuizPage([...year.slice(0, 30), { dueAt: null, closesAt: null }], NOW), 2, 'an undated quiz is not past');
  assert.equal(currentQuizPage([], NOW), 1);
});

test('a class with 23 quizzes shows them 20 at a time, from those due next, with links both ways that keep the student page', async () => {
  const teacher = await newInstructor(t.app, 'Column Teacher', 'column-teacher@example.com');
  const cls = await createClass(teacher, 'Many Quizzes');
  const student = await registerAs(t.app, 'Column Student', 'column-student@example.com');
  await joinClass(student, cls.code);
  const [q] = await questionsOfTypes(['mcq']);
  // Quiz 1 is due on 1 March, quiz 23 on 23 March: at noon on the 15th, 1–15 are past and 16 is due next.
  for (let n = 1; n <= 23; n++) {
    await createQuiz(teacher, {
      title: `Weekly quiz ${String(n).padStart(2, '0')}`,
      questionIds: [q!.id],
      classIds: [cls.id],
      dueAt: `2030-03-${String(n).padStart(2, '0')}T09:00`,
    });
  }
  const titles = (html: string) => [...html.matchAll(/<th scope="col">\s*<a href="\/quizzes\/[a-f0-9]{24}">(Weekly quiz \d+)<\/a>/g)].map((m) => m[1]);

  // Quiz 16 (the next due) is on the first page of 20: quizzes 1–20.
  const first = await teacher.get(`/classes/${cls.id}/gradebook`);
  assert.equal(first.status, 200);
  assert.deepEqual(
    titles(first.text),
    Array.from({ length: 20 }, (_, i) => `Weekly quiz ${String(i + 1).padStart(2, '0')}`),
  );
  assert.match(first.text, /quizzes 1–20 of 23, by due date<\/caption>/);
  assert.match(first.text, /<a href="\?page=1&amp;quizzes=2">Later quizzes →<\/a>/);
  assert.doesNotMatch(first.text, /Earlier quizzes/);

  const later = await teacher.get(`/classes/${cls.id}/gradebook?page=1&quizzes=2`);
  assert.deepEqual(titles(later.text), ['Weekly quiz 21', 'Weekly quiz 22', 'Weekly quiz 23']);
  assert.match(later.text, /<a href="\?page=1&amp;quizzes=1">← Earlier quizzes<\/a>/);
  assert.match(later.text, /Column Student/);

  // A page past the end shows the last; nonsense falls back to the default.
  assert.deepEqual(titles((await teacher.get(`/classes/${cls.id}/gradebook?quizzes=99`)).text).length, 3);
  assert.equal(titles((await teacher.get(`/classes/${cls.id}/gradebook?quizzes=abc`)).text).length, 20);

  // Once every quiz is past, the last columns come first.
  t.setNow(new Date('2030-04-01T00:00:00Z'));
  try {
    assert.deepEqual(titles((await teacher.get(`/classes/${cls.id}/gradebook`)).text), ['Weekly quiz 21', 'Weekly quiz 22', 'Weekly quiz 23']);
  } finally {
    t.setNow(NOW);
  }

  // The CSV keeps every quiz.
  const csv = await teacher.get(`/classes/${cls.id}/gradebook.csv`);
  assert.equal((csv.text.split('\r\n')[0]!.match(/Weekly quiz \d+ \(%\)/g) ?? []).length, 23);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawQuestions, ruleShortfalls, seededRng } from '../../server/quizzes/draw-questions.ts';
import { gradeFor, type GradingMethod } from '../../server/quizzes/grading-method.ts';
import { GRACE_MS, assignmentState, attemptDeadline, isExpired, startRefusal, takesAnswers, type TimeSettings } from '../../server/quizzes/attempt-state.ts';
import { reviewAllowance, reviewOptionsFromLevel, type ReviewSettings } from '../../server/quizzes/review-policy.ts';

const at = (iso: string) => new Date(`2026-03-01T${iso}Z`);
const pool = [
  ...Array.from({ length: 6 }, (_, i) => ({ id: `d${i}`, topics: ['dates-events'] })),
  ...Array.from({ length: 4 }, (_, i) => ({ id: `m${i}`, topics: ['members'] })),
  ...Array.from({ length: 5 }, (_, i) => ({ id: `e${i}`, topics: ['energy'] })),
  { id: 'dm', topics: ['dates-events', 'members'] },
];

test('a seeded rng repeats for the same seed and differs across seeds', () => {
  const a = seededRng('quiz:user:1');
  const b = seededRng('quiz:user:1');
  const c = seededRng('quiz:user:2');
  const xs = [a(), a(), a()];
  assert.deepEqual(xs, [b(), b(), b()]);
  assert.notDeepEqual(xs, [c(), c(), c()]);
  for (const x of xs) assert.ok(x >= 0 && x < 1);
});

test('rules draw the counts from their topics, never repeat, and the draw is reproducible per seed', () => {
  const rules = [
    { count: 5, topics: ['dates-events', 'members'] },
    { count: 3, topics: ['energy'] },
  ];
  const one = drawQuestions({ mode: 'rules', rules }, pool, seededRng('s1'), false);
  assert.equal(one.length, 8);
  assert.equal(new Set(one).size, 8);
  assert.ok(one.slice(0, 5).every((id) => /^[dm]/.test(id)));
  assert.ok(one.slice(5).every((id) => id.startsWith('e')));
  assert.deepEqual(drawQuestions({ mode: 'rules', rules }, [...pool].reverse(), seededRng('s1'), false), one, 'pool order does not matter');
  const draws = new Set(Array.from({ length: 20 }, (_, i) => drawQuestions({ mode: 'rules', rules }, pool, seededRng(`s${i}`), false).join()));
  assert.ok(draws.size > 10, 'students get different draws');
});

test('a rule short of questions takes what is left; ruleShortfalls warns of it', () => {
  const rules = [{ count: 10, topics: ['members'] }];
  assert.equal(drawQuestions({ mode: 'rules', rules }, pool, seededRng('x'), false).length, 5);
  assert.deepEqual(ruleShortfalls(rules, pool), [5]);
  assert.deepEqual(
    ruleShortfalls(
      [
        { count: 5, topics: ['members'] },
        { count: 7, topics: ['dates-events'] },
      ],
      pool,
    ),
    [0, 1],
    'dm may be taken by the first rule',
  );
  assert.deepEqual(ruleShortfalls([{ count: 16, topics: [] }], pool), [0], 'no topics: any question');
});

test('hand-picked questions keep their order unless shuffled; missing ones are skipped', () => {
  const ids = ['e1', 'gone', 'd0', 'm2'];
  assert.deepEqual(drawQuestions({ mode: 'pick', questionIds: ids }, pool, seededRng('x'), false), ['e1', 'd0', 'm2']);
  const shuffled = drawQuestions({ mode: 'pick', questionIds: ids }, pool, seededRng('x'), true);
  assert.deepEqual([...shuffled].sort(), ['d0', 'e1', 'm2']);
});

test('grading methods: highest, last, first, average; attempts in progress do not count', () => {
  const attempts = [
    { number: 2, status: 'submitted' as const, score: 0.9 },
    { number: 1, status: 'submitted' as const, score: 0.5 },
    { number: 3, status: 'submitted' as const, score: 0.7 },
    { number: 4, status: 'in-progress' as const, score: null },
  ];
  const expect: Record<GradingMethod, number> = { highest: 0.9, last: 0.7, first: 0.5, average: 0.7 };
  for (const [m, v] of Object.entries(expect)) assert.ok(Math.abs(gradeFor(attempts, m as GradingMethod)! - v) < 1e-9, m);
  assert.equal(gradeFor([{ number: 1, status: 'in-progress', score: null }], 'highest'), null);
  assert.equal(gradeFor([], 'average'), null);
});

const settings = (s: Partial<TimeSettings> = {}): TimeSettings => ({
  timeLimitMinutes: null,
  opensAt: null,
  dueAt: null,
  closesAt: null,
  attemptsAllowed: 1,
  ...s,
});

test('the deadline is the time limit or the closing time, whichever is first; answers are taken until deadline + grace', () => {
  assert.equal(attemptDeadline(at('10:00:00'), settings()), null);
  assert.deepEqual(attemptDeadline(at('10:00:00'), settings({ timeLimitMinutes: 30 })), at('10:30:00'));
  assert.deepEqual(attemptDeadline(at('10:00:00'), settings({ timeLimitMinutes: 30, closesAt: at('10:10:00') })), at('10:10:00'));
  const deadline = at('10:30:00');
  assert.ok(takesAnswers(deadline, new Date(deadline.getTime() + GRACE_MS)));
  assert.ok(!takesAnswers(deadline, new Date(deadline.getTime() + GRACE_MS + 1)));
  assert.ok(takesAnswers(null, at('23:59:59')));
  assert.ok(isExpired({ status: 'in-progress', deadline }, at('10:31:00')));
  assert.ok(!isExpired({ status: 'submitted', deadline }, at('10:31:00')));
});

test('starting is refused before opening, after closing, at the attempt limit and while one is in progress', () => {
  const s = settings({ opensAt: at('09:00:00'), closesAt: at('12:00:00'), attemptsAllowed: 2 });
  assert.match(startRefusal(s, [], at('08:59:59'))!, /not open yet/);
  assert.match(startRefusal(s, [], at('12:00:00'))!, /closed/);
  assert.equal(startRefusal(s, [{ status: 'submitted' }], at('10:00:00')), null);
  assert.match(startRefusal(s, [{ status: 'submitted' }, { status: 'submitted' }], at('10:00:00'))!, /all 2 attempts/);
  assert.match(startRefusal(s, [{ status: 'in-progress' }], at('10:00:00'))!, /in progress/);
  assert.equal(startRefusal({ ...s, attemptsAllowed: 0 }, Array(30).fill({ status: 'submitted' }), at('10:00:00')), null, '0 is unlimited');
});

test('assignment states: upcoming, not started, in progress, submitted, overdue, closed', () => {
  const s = settings({ opensAt: at('09:00:00'), dueAt: at('11:00:00'), closesAt: at('12:00:00') });
  assert.equal(assignmentState(s, [], at('08:00:00')), 'upcoming');
  assert.equal(assignmentState(s, [], at('10:00:00')), 'not-started');
  assert.equal(assignmentState(s, [{ status: 'in-progress' }], at('10:00:00')), 'in-progress');
  assert.equal(assignmentState(s, [{ status: 'submitted' }], at('11:30:00')), 'submitted');
  assert.equal(assignmentState(s, [], at('11:30:00')), 'overdue');
  assert.equal(assignmentState(s, [], at('12:00:00')), 'closed');
});

const review = (s: Partial<ReviewSettings> = {}): ReviewSettings => {
  const base = { feedbackTiming: 'immediately' as const, reviewShows: 'explanations' as const, attemptsAllowed: 2, dueAt: null, closesAt: null, ...s };
  return { reviewOptions: reviewOptionsFromLevel(base.reviewShows), ...base };
};

test('review timing: immediately, after the last attempt (or closing), after the due date', () => {
  const now = at('10:00:00');
  assert.equal(reviewAllowance(review(), { submitted: false, attemptsSubmitted: 0, now }).available, false, 'never before submitting');
  assert.equal(reviewAllowance(review(), { submitted: true, attemptsSubmitted: 1, now }).available, true);
  const afterLast = review({ feedbackTiming: 'after-submit', closesAt: at('12:00:00') });
  assert.equal(reviewAllowance(afterLast, { submitted: true, attemptsSubmitted: 1, now }).available, false);
  assert.equal(reviewAllowance(afterLast, { submitted: true, attemptsSubmitted: 2, now }).available, true);
  assert.equal(reviewAllowance(afterLast, { submitted: true, attemptsSubmitted: 1, now: at('12:00:00') }).available, true);
  const afterDue = review({ feedbackTiming: 'after-due', dueAt: at('11:00:00') });
  const waiting = reviewAllowance(afterDue, { submitted: true, attemptsSubmitted: 2, now });
  assert.equal(waiting.available, false);
  assert.equal(waiting.showScore, false, 'not even the score before the due date');
  assert.deepEqual(waiting.opensAt, at('11:00:00'));
  assert.equal(reviewAllowance(afterDue, { submitted: true, attemptsSubmitted: 1, now: at('11:00:00') }).available, true);
});

test('review levels: each shows the ones before it', () => {
  const ctx = { submitted: true, attemptsSubmitted: 1, now: at('10:00:00') };
  const pick = (l: ReviewSettings['reviewShows']) => {
    const a = reviewAllowance(review({ reviewShows: l }), ctx);
    return [a.showScore, a.showCorrectness, a.showAnswers, a.showExplanations];
  };
  assert.deepEqual(pick('score'), [true, false, false, false]);
  assert.deepEqual(pick('correctness'), [true, true, false, false]);
  assert.deepEqual(pick('answers'), [true, true, true, false]);
  assert.deepEqual(pick('explanations'), [true, true, true, true]);
});

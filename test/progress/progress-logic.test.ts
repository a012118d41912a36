import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recallProbability, questionMastery, laterAnswer, masteryByTopic, masteryByPassage, percent } from '../../server/progress/mastery.ts';
import { streakOf, dayKey, addDays, lastDays } from '../../server/progress/streak.ts';
import { gradebookCell, isLate, type GradebookAttempt, type GradebookQuiz } from '../../server/progress/gradebook.ts';
import { paperMap, shadeOf, excerptOf } from '../../server/progress/paper-map.ts';

const DAY = 86_400_000;
const NOW = new Date('2030-03-10T12:00:00Z');

test('recall probability is 90% after exactly one stability of days (the definition of FSRS stability)', () => {
  const last = new Date(NOW.getTime() - 4 * DAY);
  assert.ok(Math.abs(recallProbability({ stability: 4, state: 2, last_review: last }, NOW)! - 0.9) < 1e-9);
  // Fresh memory is certain; it fades with time.
  assert.equal(recallProbability({ stability: 4, state: 2, last_review: NOW }, NOW), 1);
  const later = recallProbability({ stability: 4, state: 2, last_review: new Date(NOW.getTime() - 40 * DAY) }, NOW)!;
  assert.ok(later < 0.9 && later > 0);
  // A card never reviewed has no recall probability.
  assert.equal(recallProbability({ stability: 0, state: 0, last_review: null }, NOW), null);
});

test('question mastery is the mean of the latest answer and the recall probability, null without evidence', () => {
  assert.equal(questionMastery(null, null), null);
  assert.equal(questionMastery({ score: 1, at: NOW }, null), 1);
  assert.equal(questionMastery(null, 0.8), 0.8);
  assert.equal(questionMastery({ score: 0.5, at: NOW }, 0.9), 0.7);
  const older = { score: 0, at: new Date(NOW.getTime() - DAY) };
  const newer = { score: 1, at: NOW };
  assert.equal(laterAnswer(older, newer), newer);
  assert.equal(laterAnswer(newer, older), newer);
  assert.equal(laterAnswer(null, older), older);
});

test('topic and passage mastery average the studied questions and count the unstudied ones', () => {
  const items = [
    { questionId: 'a', topics: ['members', 'energy'], passageKey: 's#p1', mastery: 1 },
    { questionId: 'b', topics: ['members'], passageKey: 's#p1', mastery: 0.5 },
    { questionId: 'c', topics: ['members'], passageKey: 's#p2', mastery: null },
    { questionId: 'd', topics: ['energy'], passageKey: 's#p2', mastery: null },
  ];
  const topics = masteryByTopic(items);
  assert.deepEqual(topics.get('members'), { key: 'members', mastery: 0.75, studied: 2, questions: 3 });
  assert.deepEqual(topics.get('energy'), { key: 'energy', mastery: 1, studied: 1, questions: 2 });
  const passages = masteryByPassage(items);
  assert.deepEqual(passages.get('s#p1'), { key: 's#p1', mastery: 0.75, studied: 2, questions: 2 });
  assert.deepEqual(passages.get('s#p2'), { key: 's#p2', mastery: null, studied: 0, questions: 2 });
  assert.equal(percent(0.754), 75.4, 'one decimal place, as on every page');
  assert.equal(percent(null), null);
});

test('streaks count consecutive UTC days, and a streak that reached yesterday is still current', () => {
  const today = '2030-03-10';
  assert.equal(dayKey(new Date('2030-03-10T23:59:59Z')), today);
  assert.equal(addDays(today, -10), '2030-02-28');
  assert.deepEqual(lastDays(today, 3), ['2030-03-08', '2030-03-09', '2030-03-10']);
  assert.deepEqual(streakOf([], today), { current: 0, longest: 0, activeToday: false });
  assert.deepEqual(streakOf(['2030-03-08', '2030-03-09', '2030-03-10'], today), { current: 3, longest: 3, activeToday: true });
  assert.deepEqual(streakOf(['2030-03-08', '2030-03-09'], today), { current: 2, longest: 2, activeToday: false });
  assert.deepEqual(streakOf(['2030-03-01', '2030-03-02', '2030-03-03', '2030-03-04', '2030-03-08'], today), { current: 0, longest: 4, activeToday: false });
  // Across a month end.
  assert.deepEqual(streakOf(['2030-02-27', '2030-02-28', '2030-03-01'], '2030-03-01'), { current: 3, longest: 3, activeToday: true });
});

const quiz = (over: Partial<GradebookQuiz> = {}): GradebookQuiz => ({
  dueAt: new Date('2030-03-09T12:00:00Z'),
  closesAt: null,
  opensAt: null,
  gradingMethod: 'highest',
  ...over,
});
const attempt = (number: number, score: number | null, submittedAt: string | null, status: 'submitted' | 'in-progress' = 'submitted'): GradebookAttempt => ({
  id: `a${number}`,
  number,
  status,
  score,
  submittedAt: submittedAt ? new Date(submittedAt) : null,
  deadline: null,
});

test('gradebook cells apply the grading method and mark late, missing, in progress', () => {
  const early = attempt(1, 0.4, '2030-03-08T10:00:00Z');
  const late = attempt(2, 0.9, '2030-03-09T13:00:00Z');
  // Highest: the late attempt counts, so the cell is late.
  assert.deepEqual((({ grade, state }) => ({ grade, state }))(gradebookCell(quiz(), [early, late], NOW)), { grade: 0.9, state: 'late' });
  // First: the on-time attempt counts.
  assert.deepEqual((({ grade, state }) => ({ grade, state }))(gradebookCell(quiz({ gradingMethod: 'first' }), [late, early], NOW)), {
    grade: 0.4,
    state: 'graded',
  });
  assert.equal(gradebookCell(quiz({ gradingMethod: 'average' }), [early, late], NOW).grade, 0.65);
  assert.equal(gradebookCell(quiz({ gradingMethod: 'last' }), [early, late], NOW).state, 'late');
  // Nothing submitted: missing after the due date, not submitted before it, upcoming before it opens.
  assert.equal(gradebookCell(quiz(), [], NOW).state, 'missing');
  assert.equal(gradebookCell(quiz(), [], new Date('2030-03-01T00:00:00Z')).state, 'not-submitted');
  assert.equal(gradebookCell(quiz({ dueAt: null }), [], NOW).state, 'not-submitted');
  assert.equal(gradebookCell(quiz({ dueAt: null, closesAt: new Date('2030-03-01T00:00:00Z') }), [], NOW).state, 'missing');
  assert.equal(gradebookCell(quiz({ opensAt: new Date('2030-04-01T00:00:00Z'), dueAt: new Date('2030-04-02T00:00:00Z') }), [], NOW).state, 'upcoming');
  const open = { ...attempt(1, null, null, 'in-progress'), deadline: new Date(NOW.getTime() - 60_000) };
  const cell = gradebookCell(quiz(), [open], NOW);
  assert.equal(cell.state, 'in-progress');
  assert.equal(cell.grade, null);
  assert.equal(cell.attempts[0]!.timeUp, true);
  assert.equal(isLate(early, null), false);
});

test('the paper map shades each passage by band with a label in words', () => {
  assert.equal(shadeOf(null, 0), 'none');
  assert.equal(shadeOf(null, 2), 'unstudied');
  assert.deepEqual(
    [39, 40, 59, 60, 74, 75, 89, 90].map((p) => shadeOf(p, 1)),
    ['weak', 'shaky', 'shaky', 'fair', 'fair', 'good', 'good', 'strong'],
  );
  const passages = [
    { id: 'intro-1', section: 'intro', sectionTitle: 'Introduction', text: 'One.' },
    { id: 'intro-2', section: 'intro', sectionTitle: 'Introduction', text: 'Two.' },
    { id: 'goals-1', section: 'goals', sectionTitle: 'Goals', text: 'Three.' },
  ];
  const map = paperMap(
    passages,
    new Map([
      ['intro-1', { key: 'intro-1', mastery: 0.724, studied: 1, questions: 2 }],
      ['goals-1', { key: 'goals-1', mastery: null, studied: 0, questions: 1 }],
    ]),
  );
  assert.deepEqual(
    map.map((s) => [s.slug, s.blocks.map((b) => [b.id, b.shade, b.label])]),
    [
      [
        'intro',
        [
          ['intro-1', 'fair', '72.4% known'],
          ['intro-2', 'none', 'No questions'],
        ],
      ],
      ['goals', [['goals-1', 'unstudied', 'Not yet studied']]],
    ],
  );
  assert.equal(excerptOf('word '.repeat(40), 20), 'word word word word…');
});

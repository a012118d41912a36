import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missedQuestionIds, pickQuestions, weakestTopics, type PastAnswer } from '../../server/practice/pick-questions.ts';
import { seededRandom } from '../../server/questions/random.ts';
import { topicSummary } from '../../server/practice/topic-summary.ts';

const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 9, minute));
const answer = (questionId: string, score: number, minute: number, topics: string[] = ['members']): PastAnswer => ({
  questionId,
  topics,
  score,
  answeredAt: at(minute),
});

test('retry takes the questions whose latest answer scored below 1', () => {
  const answers = [answer('a', 0, 1), answer('b', 1, 2), answer('c', 0.5, 3), answer('a', 1, 4), answer('b', 0, 5), answer('d', 0, 6), answer('d', 0, 7)];
  assert.deepEqual(missedQuestionIds(answers), ['c', 'b', 'd']);
  assert.deepEqual(missedQuestionIds([]), []);
});

test('weakest topics need enough answers, leave mastered topics out and sort by mean score', () => {
  const answers = [
    answer('a', 0, 1, ['energy']),
    answer('b', 1, 2, ['energy', 'members']),
    answer('c', 0, 3, ['energy']),
    answer('d', 1, 4, ['members']),
    answer('e', 0.5, 5, ['members']),
    answer('f', 0, 6, ['institutions']),
    answer('g', 1, 7, ['dates-events']),
    answer('h', 1, 8, ['dates-events']),
    answer('i', 1, 9, ['dates-events']),
  ];
  const weak = weakestTopics(answers, { minAnswers: 3, count: 2 });
  assert.deepEqual(
    weak.map((t) => t.topic),
    ['energy', 'members'],
  );
  assert.ok(Math.abs(weak[0]!.meanScore - 1 / 3) < 1e-9);
  assert.deepEqual(weakestTopics(answers, { minAnswers: 4, count: 2 }), []);
});

test('picking is a random subset of the requested length, reproducible with a seed', () => {
  const ids = Array.from({ length: 30 }, (_, i) => `q${i}`);
  const a = pickQuestions(ids, 10, seededRandom(7));
  assert.equal(a.length, 10);
  assert.equal(new Set(a).size, 10);
  assert.ok(a.every((id) => ids.includes(id)));
  assert.deepEqual(pickQuestions(ids, 10, seededRandom(7)), a);
  assert.equal(pickQuestions(ids.slice(0, 3), 10, seededRandom(1)).length, 3);
});

test('the summary groups a session by topic, weakest first, with the misses, named as the bank names its topics', () => {
  const { rows, total } = topicSummary(
    [
      { questionId: 'a', topics: ['energy'], score: 1 },
      { questionId: 'b', topics: ['energy', 'members'], score: 0 },
      { questionId: 'c', topics: ['members'], score: 0.5 },
    ],
    { energy: 'Energy', members: 'Members' },
  );
  assert.deepEqual(
    rows.map((r) => [r.label, r.answered, r.correct, r.score, r.missedIds]),
    [
      ['Members', 2, 0, 0.25, ['b', 'c']],
      ['Energy', 2, 1, 0.5, ['b']],
    ],
  );
  assert.deepEqual(total, { answered: 3, correct: 1, score: 0.5, missedIds: ['b', 'c'] });
  // A tag the bank no longer names shows as its slug.
  assert.equal(topicSummary([{ questionId: 'a', topics: ['gone'], score: 1 }]).rows[0]!.label, 'gone');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pausesSelfStudy } from '../../server/quizzes/index.ts';
import { reviewOptionsFromLevel } from '../../server/quizzes/review-policy.ts';

test('an open attempt pauses practice and flashcards exactly when the review keeps keys from the student after submitting', () => {
  const cases: Array<[Parameters<typeof pausesSelfStudy>[0], boolean]> = [
    [{ feedbackTiming: 'immediately', reviewOptions: reviewOptionsFromLevel('explanations') }, false],
    [{ feedbackTiming: 'immediately', reviewOptions: reviewOptionsFromLevel('answers') }, false],
    [{ feedbackTiming: 'immediately', reviewOptions: reviewOptionsFromLevel('correctness') }, true],
    [{ feedbackTiming: 'immediately', reviewOptions: reviewOptionsFromLevel('score') }, true],
    [{ feedbackTiming: 'after-due', reviewOptions: reviewOptionsFromLevel('explanations') }, true],
    [{ feedbackTiming: 'after-submit', reviewOptions: reviewOptionsFromLevel('answers') }, true],
    [{ feedbackTiming: 'after-due', reviewOptions: reviewOptionsFromLevel('score') }, true],
  ];
  // Keys shown later but held back in one phase (after closing only) still pause.
  const closedOnly = reviewOptionsFromLevel('explanations');
  cases.push([{ feedbackTiming: 'immediately', reviewOptions: { ...closedOnly, closed: { ...closedOnly.closed, answers: false } } }, true]);
  for (const [settings, pauses] of cases) assert.equal(pausesSelfStudy(settings), pauses, JSON.stringify(settings));
});

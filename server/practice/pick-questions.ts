import { shuffle } from '../questions/random.ts';

/**
 * Choosing practice questions: pure functions over plain data, randomness passed in.
 */

/** Up to `length` of the candidate ids, in random order. */
export function pickQuestions(candidateIds: readonly string[], length: number, rng: () => number): string[] {
  return shuffle(candidateIds, rng).slice(0, Math.max(0, length));
}

/** A past graded answer, as "retry" and "weakest" read them. */
export interface PastAnswer {
  questionId: string;
  topics: readonly string[];
  score: number;
  answeredAt: Date;
}

/**
 * The questions to retry: those whose latest answer scored below 1 (a question missed and then
 * answered correctly is no longer missed). Ordered by when they were last missed, oldest first.
 */
export function missedQuestionIds(answers: readonly PastAnswer[]): string[] {
  const latest = new Map<string, PastAnswer>();
  for (const a of answers) {
    const seen = latest.get(a.questionId);
    if (!seen || a.answeredAt.getTime() >= seen.answeredAt.getTime()) latest.set(a.questionId, a);
  }
  return [...latest.values()]
    .filter((a) => a.score < 1)
    .sort((a, b) => a.answeredAt.getTime() - b.answeredAt.getTime())
    .map((a) => a.questionId);
}

/** A topic's record: how many answers touched it and their mean score. */
export interface TopicScore {
  topic: string;
  answers: number;
  meanScore: number;
}

/** Mean score per topic over all answers (an answer counts for each topic its question has). */
export function topicScores(answers: readonly PastAnswer[]): TopicScore[] {
  const sums = new Map<string, { n: number; total: number }>();
  for (const a of answers) {
    for (const t of a.topics) {
      const s = sums.get(t) ?? { n: 0, total: 0 };
      s.n += 1;
      s.total += a.score;
      sums.set(t, s);
    }
  }
  return [...sums].map(([topic, s]) => ({ topic, answers: s.n, meanScore: s.total / s.n }));
}

/**
 * The weakest topics: those with at least `minAnswers` answers, lowest mean score first (ties:
 * more answers first, then by name, so the choice is stable), at most `count` of them; topics
 * already mastered (mean 1) are left out.
 */
export function weakestTopics(answers: readonly PastAnswer[], options: { minAnswers: number; count: number }): TopicScore[] {
  return topicScores(answers)
    .filter((t) => t.answers >= options.minAnswers && t.meanScore < 1)
    .sort((a, b) => a.meanScore - b.meanScore || b.answers - a.answers || a.topic.localeCompare(b.topic))
    .slice(0, options.count);
}

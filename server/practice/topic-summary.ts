/** An answered question of a session, with its topics. */
export interface SummaryAnswer {
  questionId: string;
  topics: readonly string[];
  score: number;
}

/** One row of the end-of-session summary. */
export interface TopicSummaryRow {
  topic: string;
  label: string;
  answered: number;
  correct: number;
  /** Mean score 0..1. */
  score: number;
  missedIds: string[];
}

/** The end-of-session summary: per topic (named by `labels`, the bank's topic names), answered, fully correct, mean score and the missed questions. */
export function topicSummary(
  answers: readonly SummaryAnswer[],
  labels: Readonly<Record<string, string>> = {},
): { rows: TopicSummaryRow[]; total: { answered: number; correct: number; score: number; missedIds: string[] } } {
  const rows = new Map<string, TopicSummaryRow>();
  for (const a of answers) {
    for (const topic of a.topics) {
      const row = rows.get(topic) ?? { topic, label: labels[topic] ?? topic, answered: 0, correct: 0, score: 0, missedIds: [] };
      row.answered += 1;
      row.score += a.score;
      if (a.score >= 1) row.correct += 1;
      else row.missedIds.push(a.questionId);
      rows.set(topic, row);
    }
  }
  const list = [...rows.values()]
    .map((r) => ({ ...r, score: r.answered ? r.score / r.answered : 0 }))
    .sort((a, b) => a.score - b.score || a.label.localeCompare(b.label));
  const answered = answers.length;
  return {
    rows: list,
    total: {
      answered,
      correct: answers.filter((a) => a.score >= 1).length,
      score: answered ? answers.reduce((s, a) => s + a.score, 0) / answered : 0,
      missedIds: answers.filter((a) => a.score < 1).map((a) => a.questionId),
    },
  };
}

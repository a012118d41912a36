import { forgetting_curve, generatorParameters } from 'ts-fsrs';
import { percentValue } from '../formatting/index.ts';

/**
 * Mastery: how well a learner knows a question now, and its roll-up per topic and per passage.
 * A question's mastery is the mean of the evidence there is for it:
 * - its latest graded answer (practice, typed flashcard answer or assigned quiz), 0..1: what the
 *   learner could do the last time they were asked;
 * - its flashcard's recall probability now (FSRS retrievability), when the card has been reviewed.
 * A topic's (or a passage's) mastery is the mean over its questions that have any evidence;
 * questions never met count as "not yet studied", not as zero.
 */

const FSRS_PARAMS = generatorParameters({ enable_fuzz: false, enable_short_term: true });
const DAY_MS = 86_400_000;

/** The memory state of a card, as the dashboard reads it. */
export interface CardMemory {
  stability: number;
  /** 0 New, 1 Learning, 2 Review, 3 Relearning. */
  state: number;
  last_review: Date | null;
}

/** FSRS recall probability of a card at `now` (0..1); null for a card never reviewed. */
export function recallProbability(card: CardMemory, now: Date): number | null {
  if (!card.last_review || card.state === 0 || !(card.stability > 0)) return null;
  const elapsedDays = Math.max(0, (now.getTime() - card.last_review.getTime()) / DAY_MS);
  return forgetting_curve(FSRS_PARAMS.w, elapsedDays, card.stability);
}

/** A graded answer to a question at a time. */
export interface AnswerEvidence {
  score: number;
  at: Date;
}

/** Keeps the later of two answers (null-safe). */
export function laterAnswer(a: AnswerEvidence | null | undefined, b: AnswerEvidence | null | undefined): AnswerEvidence | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return b.at.getTime() > a.at.getTime() ? b : a;
}

/** A question's mastery from its latest answer and its recall probability; null without evidence. */
export function questionMastery(latest: AnswerEvidence | null, recall: number | null): number | null {
  const parts = [latest?.score, recall].filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (parts.length === 0) return null;
  return parts.reduce((s, x) => s + x, 0) / parts.length;
}

/** A question, where it belongs (topics, passage), and its mastery (null: not yet studied). */
export interface QuestionMastery {
  questionId: string;
  topics: readonly string[];
  /** The passage key: `sourceId#passageId`. */
  passageKey: string;
  mastery: number | null;
}

/** One group (a topic or a passage): mastery over the questions studied, and how many there are. */
export interface MasteryGroup {
  key: string;
  /** Mean mastery of the studied questions, 0..1; null when none is studied. */
  mastery: number | null;
  studied: number;
  questions: number;
}

function groupBy(items: readonly QuestionMastery[], keysOf: (q: QuestionMastery) => readonly string[]): Map<string, MasteryGroup> {
  const out = new Map<string, MasteryGroup & { sum: number }>();
  for (const q of items) {
    for (const key of keysOf(q)) {
      const g = out.get(key) ?? { key, mastery: null, studied: 0, questions: 0, sum: 0 };
      g.questions += 1;
      if (q.mastery !== null) {
        g.studied += 1;
        g.sum += q.mastery;
      }
      out.set(key, g);
    }
  }
  const result = new Map<string, MasteryGroup>();
  for (const [key, { sum, ...g }] of out) result.set(key, { ...g, mastery: g.studied ? sum / g.studied : null });
  return result;
}

/** Mastery per topic (a question with several topics counts in each). */
export function masteryByTopic(items: readonly QuestionMastery[]): Map<string, MasteryGroup> {
  return groupBy(items, (q) => q.topics);
}

/** Mastery per passage (`sourceId#passageId`). */
export function masteryByPassage(items: readonly QuestionMastery[]): Map<string, MasteryGroup> {
  return groupBy(items, (q) => [q.passageKey]);
}

/** A 0..1 value as a percentage (the one rule: server/formatting/percent.ts). */
export const percent = percentValue;

import type { QuestionDefinition } from './definition.ts';
import { matchAcceptedAnswer, type AnswerMatch } from './normalise-answer.ts';
import { opaqueId } from './opaque-id.ts';
import { isBlankResponse, type QuestionResponse } from './parse-response.ts';
import { responseText } from './answer-key.ts';

/** Whether one part of an answer (a blank, a pair, an item's place) is right. */
export interface GradedPart {
  /** What the part is, in words: "Blank 2", a left item, an item to order. */
  label: string;
  correct: boolean;
}

/** A graded response: a score from 0 to 1, a short sentence for the learner, and per-part marks. */
export interface GradeResult {
  score: number;
  /** True only for full marks. */
  correct: boolean;
  feedback: string;
  /** The learner's answer in words (see responseText). */
  responseText: string;
  parts?: GradedPart[];
}

/** Allows for floating-point error in "within tolerance" (0.1 + 0.2 is within 0 of 0.3). */
const EPSILON = 1e-9;

function verdict(score: number, partial: string): string {
  if (score >= 1) return 'Correct.';
  if (score <= 0) return 'Not quite.';
  return `Partly correct: ${partial}.`;
}

const matchFeedback = (m: AnswerMatch) => (m === 'typo' ? 'Correct (allowing for a typo).' : m === 'exact' ? 'Correct.' : 'Not quite.');

/**
 * Length of a longest increasing subsequence: the items already in the right relative order.
 * Patience sorting, O(n log n), though n is at most ten.
 */
function longestIncreasing(values: number[]): number {
  const tails: number[] = [];
  for (const v of values) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tails[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = v;
  }
  return tails.length;
}

function result(score: number, feedback: string, text: string, parts?: GradedPart[]): GradeResult {
  const s = Math.min(1, Math.max(0, score));
  return parts ? { score: s, correct: s === 1, feedback, responseText: text, parts } : { score: s, correct: s === 1, feedback, responseText: text };
}

/**
 * Grades a parsed response. Partial credit: multi +1/k per right choice and −1/k per wrong one
 * (k right choices, clamped to 0..1, as Moodle's "multiple answers"); cloze and matching the
 * fraction of blanks or lefts right; ordering 1 − (fewest items to move)/(n − 1), i.e.
 * (LIS − 1)/(n − 1) where LIS is the longest run of items already in correct relative order.
 */
export function gradeResponse(def: QuestionDefinition, response: QuestionResponse): GradeResult {
  const text = responseText(def, response);
  // A response of another type can only come from a question edited after it was given.
  if (response.type !== def.type || isBlankResponse(response)) return result(0, 'Not answered.', text);

  switch (def.type) {
    case 'mcq': {
      if (response.type !== 'mcq') break;
      const ok = response.choice === def.answer;
      return result(ok ? 1 : 0, ok ? 'Correct.' : 'Not quite.', text);
    }
    case 'multi': {
      if (response.type !== 'multi') break;
      const k = def.answers.length;
      const right = response.choices.filter((c) => def.answers.includes(c)).length;
      const wrong = response.choices.length - right;
      const score = (right - wrong) / k;
      const detail = `${right} of ${k} right choices selected${wrong ? `, ${wrong} wrong` : ''}`;
      return result(score, verdict(Math.min(1, Math.max(0, score)), detail), text);
    }
    case 'truefalse': {
      if (response.type !== 'truefalse') break;
      const ok = response.value === def.answer;
      return result(ok ? 1 : 0, ok ? 'Correct.' : 'Not quite.', text);
    }
    case 'short': {
      if (response.type !== 'short') break;
      const m = matchAcceptedAnswer(response.text, def.answers);
      return result(m === 'none' ? 0 : 1, matchFeedback(m), text);
    }
    case 'numeric': {
      if (response.type !== 'numeric' || response.value === null) break;
      const ok = Math.abs(response.value - def.answer) <= def.tolerance + EPSILON * Math.max(1, Math.abs(def.answer));
      return result(ok ? 1 : 0, ok ? 'Correct.' : 'Not quite.', text);
    }
    case 'cloze': {
      if (response.type !== 'cloze') break;
      const parts = def.blanks.map((b, i) => ({
        label: `Blank ${i + 1}`,
        correct: matchAcceptedAnswer(response.blanks[i] ?? '', b.answers) !== 'none',
      }));
      const right = parts.filter((p) => p.correct).length;
      const n = parts.length;
      return result(right / n, verdict(right / n, `${right} of ${n} blanks`), text, parts);
    }
    case 'matching': {
      if (response.type !== 'matching') break;
      const parts = def.pairs.map((p) => ({ label: p.left, correct: response.pairs[opaqueId(p.left)] === opaqueId(p.right) }));
      const right = parts.filter((p) => p.correct).length;
      const n = parts.length;
      return result(right / n, verdict(right / n, `${right} of ${n} pairs`), text, parts);
    }
    case 'ordering': {
      if (response.type !== 'ordering') break;
      const correctIndex = new Map(def.items.map((item, i) => [opaqueId(item), i]));
      const given = response.order.map((id) => correctIndex.get(id) ?? -1);
      const n = def.items.length;
      const inOrder = longestIncreasing(given.filter((i) => i >= 0));
      const score = n > 1 ? (inOrder - 1) / (n - 1) : inOrder;
      const exact = given.length === n && given.every((g, i) => g === i);
      // Parts mark absolute places: easier to read than "in the longest ordered run".
      const parts = def.items.map((item, i) => ({ label: item, correct: given[i] === i }));
      const final = exact ? 1 : Math.min(score, (n - 2) / (n - 1));
      return result(final, verdict(final, `${inOrder} of ${n} items in the right order`), text, parts);
    }
  }
  return result(0, 'Not answered.', text);
}

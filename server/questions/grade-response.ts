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
  /** What the author wrote for this particular answer (GIFT's `#…`), when there is something. */
  answerFeedback?: string;
  /** An essay: marked by hand, so `score` means nothing until a grader marks it. */
  pending?: boolean;
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

/** A result with the author's feedback on the answer given, when there is any. */
function withAnswerFeedback(graded: GradeResult, answerFeedback: string | undefined): GradeResult {
  return answerFeedback ? { ...graded, answerFeedback } : graded;
}

const partialVerdict = (score: number) => (score > 0 ? `Partly correct: ${Math.round(score * 100)}% of the marks.` : 'Not quite.');

/** The accepted answer a typed text matches, trying exact matches before typo-forgiving ones. */
function matchingAnswer(given: string, answers: readonly string[]): { answer: string; match: AnswerMatch } | null {
  const matches = answers.map((answer) => ({ answer, match: matchAcceptedAnswer(given, [answer]) }));
  return matches.find((m) => m.match === 'exact') ?? matches.find((m) => m.match === 'typo') ?? null;
}

/**
 * Grades a parsed response. Partial credit: an mcq choice or a short or numeric answer the author
 * gave a credit (GIFT's %50%) earns that fraction; multi +1/k per right choice and −1/k per wrong one
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
      const chosen = def.choices.find((c) => c.id === response.choice);
      const score = response.choice === def.answer ? 1 : (chosen?.credit ?? 0);
      const verdictText = score === 1 ? 'Correct.' : score > 0 ? partialVerdict(score) : 'Not quite.';
      return withAnswerFeedback(result(score, verdictText, text), chosen?.feedback);
    }
    case 'multi': {
      if (response.type !== 'multi') break;
      const k = def.answers.length;
      const right = response.choices.filter((c) => def.answers.includes(c)).length;
      const wrong = response.choices.length - right;
      const score = (right - wrong) / k;
      const detail = `${right} of ${k} right choices selected${wrong ? `, ${wrong} wrong` : ''}`;
      const said = def.choices.filter((c) => c.feedback && response.choices.includes(c.id)).map((c) => `${c.text}: ${c.feedback}`);
      return withAnswerFeedback(result(score, verdict(Math.min(1, Math.max(0, score)), detail), text), said.join('\n') || undefined);
    }
    case 'truefalse': {
      if (response.type !== 'truefalse') break;
      const ok = response.value === def.answer;
      return withAnswerFeedback(result(ok ? 1 : 0, ok ? 'Correct.' : 'Not quite.', text), response.value ? def.feedbackTrue : def.feedbackFalse);
    }
    case 'short': {
      if (response.type !== 'short') break;
      const m = matchAcceptedAnswer(response.text, def.answers);
      if (m !== 'none') {
        const hit = matchingAnswer(response.text, def.answers);
        return withAnswerFeedback(result(1, matchFeedback(m), text), def.feedback?.find((f) => f.answer === hit?.answer)?.text);
      }
      // The best partial answer matched, if any (an answer may match several).
      const partial = (def.partial ?? []).filter((p) => matchAcceptedAnswer(response.text, [p.answer]) !== 'none').sort((a, b) => b.credit - a.credit)[0];
      if (partial) return withAnswerFeedback(result(partial.credit, partialVerdict(partial.credit), text), partial.feedback);
      return withAnswerFeedback(result(0, matchFeedback('none'), text), def.otherwise);
    }
    case 'numeric': {
      if (response.type !== 'numeric' || response.value === null) break;
      const value = response.value;
      const within = (answer: number, tolerance: number) => Math.abs(value - answer) <= tolerance + EPSILON * Math.max(1, Math.abs(answer));
      if (within(def.answer, def.tolerance)) return withAnswerFeedback(result(1, 'Correct.', text), def.feedback);
      const best = (def.alternatives ?? []).filter((a) => within(a.answer, a.tolerance)).sort((a, b) => b.credit - a.credit)[0];
      if (best) return withAnswerFeedback(result(best.credit, best.credit === 1 ? 'Correct.' : partialVerdict(best.credit), text), best.feedback);
      return withAnswerFeedback(result(0, 'Not quite.', text), def.otherwise);
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
    case 'essay':
      // Nothing to grade against: the instructor marks it (quizzes/essay-grading-service.ts).
      return { ...result(0, 'Waiting to be marked by your instructor.', text), pending: true };
    case 'card': {
      // Self-rated: the learner's word is the grade.
      if (response.type !== 'card') break;
      return result(response.knew ? 1 : 0, response.knew ? 'You knew it.' : 'Not yet: it comes back sooner.', text);
    }
  }
  return result(0, 'Not answered.', text);
}

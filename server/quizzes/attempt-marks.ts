import {
  blankResponse,
  gradeResponse,
  isBlankResponse,
  isHandMarked,
  responseText,
  type GradeResult,
  type QuestionDefinition,
  type QuestionResponse,
} from '../questions/index.ts';

/**
 * The marks of an attempt's slots, pure: each slot graded from its frozen definition, or, for an
 * essay, from the grader's hand mark. An answered essay without one is pending (null), and so is
 * the attempt's score until none is: "needs grading" is shown as such, never as 0.
 */

/** What marking a slot needs: its frozen definition, the saved response, and a hand mark if any. */
export interface MarkableSlot {
  definition: QuestionDefinition;
  response: QuestionResponse | null;
  handMark?: { mark: number; maxMark: number; comment?: string | null } | null;
}

/** Whether a slot waits for a grader: an answered essay nobody has marked yet. */
export function awaitsMark(slot: MarkableSlot): boolean {
  return isHandMarked(slot.definition) && !slot.handMark && slot.response !== null && !isBlankResponse(slot.response);
}

/** One slot's mark (0..1), or null while it waits for a grader. */
export function slotMark(slot: MarkableSlot): number | null {
  if (awaitsMark(slot)) return null;
  if (isHandMarked(slot.definition)) return slot.handMark ? slot.handMark.mark / slot.handMark.maxMark : 0;
  return gradeResponse(slot.definition, slot.response ?? blankResponse(slot.definition.type)).score;
}

/** Every slot's mark, the attempt's score (their mean; null while any essay waits) and whether it needs grading. */
export function markAttempt(slots: readonly MarkableSlot[]): { marks: (number | null)[]; score: number | null; needsGrading: boolean } {
  const marks = slots.map(slotMark);
  const needsGrading = marks.some((m) => m === null);
  const graded = marks.filter((m) => m !== null);
  const score = needsGrading ? null : marks.length ? graded.reduce((a, b) => a + b, 0) / marks.length : 0;
  return { marks, score, needsGrading };
}

/** A slot's result as a review shows it: graded from its key, or the grader's mark and comment. */
export function slotResult(slot: MarkableSlot): GradeResult {
  const def = slot.definition;
  const response = slot.response ?? blankResponse(def.type);
  if (!isHandMarked(def)) return gradeResponse(def, response);
  const text = responseText(def, response);
  if (awaitsMark(slot)) return gradeResponse(def, response);
  if (!slot.handMark) return { score: 0, correct: false, feedback: 'Not answered.', responseText: text };
  const { mark, maxMark, comment } = slot.handMark;
  const score = mark / maxMark;
  return { score, correct: score === 1, feedback: `Marked ${mark} out of ${maxMark}.`, responseText: text, ...(comment ? { answerFeedback: comment } : {}) };
}

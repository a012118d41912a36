import { presentInOrder, presentationOrder, type PresentedQuestion, type QuestionDefinition } from '../questions/index.ts';
import { markAttempt, slotMark, type MarkableSlot } from './attempt-marks.ts';
import { gradeFor, type GradingMethod } from './grading-method.ts';

/**
 * Regrading, pure: when a question of a bank has a newer version than the one an attempt froze
 * (its key was fixed), the attempt's saved responses are marked again against the new version.
 * The dry run and the write both come from `planRegrade`, so what the instructor is shown is what
 * is applied. Hand marks of essays are kept: nothing in a new version can re-mark them.
 */

/** The question as the bank holds it now. */
export interface CurrentQuestion {
  version: number;
  definition: QuestionDefinition;
}

/** A submitted attempt as regrading reads it. */
export interface RegradableAttempt {
  id: string;
  userId: string;
  number: number;
  revision: number | null;
  score: number | null;
  slots: (MarkableSlot & { questionId: string; key: string; version: number; presentation: PresentedQuestion })[];
}

/** One slot moved to a newer version, with its mark (0..1; null: an essay still to mark) before and after. */
export interface SlotChange {
  /** 1-based, as the review numbers questions. */
  slot: number;
  key: string;
  fromVersion: number;
  toVersion: number;
  before: number | null;
  after: number | null;
}

/** What regrading one attempt changes: the slots it moves, their new contents, and the attempt's marks. */
export interface AttemptPlan {
  attemptId: string;
  userId: string;
  number: number;
  revision: number | null;
  changes: SlotChange[];
  scoreBefore: number | null;
  scoreAfter: number | null;
  marks: (number | null)[];
  needsGrading: boolean;
  /** By slot index (0-based): the new version, definition, presentation and mark. */
  slots: { index: number; version: number; definition: QuestionDefinition; presentation: PresentedQuestion; score: number | null }[];
}

/** The regrade of one attempt against the current questions, or null when none of its slots is out of date. */
export function planAttemptRegrade(a: RegradableAttempt, current: ReadonlyMap<string, CurrentQuestion>): AttemptPlan | null {
  const moved: AttemptPlan['slots'] = [];
  const changes: SlotChange[] = [];
  const after = a.slots.map((s, index) => {
    const now = current.get(s.questionId);
    if (!now || now.version <= s.version) return s;
    // The learner saw the old presentation's order; the new text is shown in that order.
    const presentation = presentInOrder(now.definition, presentationOrder(s.presentation));
    const next = { ...s, definition: now.definition, presentation, version: now.version };
    const score = slotMark(next);
    moved.push({ index, version: now.version, definition: now.definition, presentation, score });
    changes.push({ slot: index + 1, key: s.key, fromVersion: s.version, toVersion: now.version, before: slotMark(s), after: score });
    return next;
  });
  if (!moved.length) return null;
  const { marks, score, needsGrading } = markAttempt(after);
  return {
    attemptId: a.id,
    userId: a.userId,
    number: a.number,
    revision: a.revision,
    changes,
    scoreBefore: a.score,
    scoreAfter: score,
    marks,
    needsGrading,
    slots: moved,
  };
}

/** A student's grade before and after a regrade, by the quiz's grading method. */
export interface GradeChange {
  userId: string;
  before: number | null;
  after: number | null;
}

/** The grades a set of attempt plans changes, student by student (only those that change). */
export function gradeChanges(attempts: readonly RegradableAttempt[], plans: readonly AttemptPlan[], method: GradingMethod): GradeChange[] {
  const planned = new Map(plans.map((p) => [p.attemptId, p]));
  const users = [...new Set(plans.map((p) => p.userId))];
  const rows: GradeChange[] = [];
  for (const userId of users) {
    const mine = attempts.filter((a) => a.userId === userId);
    const before = gradeFor(
      mine.map((a) => ({ number: a.number, status: 'submitted' as const, score: a.score })),
      method,
    );
    const after = gradeFor(
      mine.map((a) => ({ number: a.number, status: 'submitted' as const, score: planned.has(a.id) ? planned.get(a.id)!.scoreAfter : a.score })),
      method,
    );
    if (before !== after) rows.push({ userId, before, after });
  }
  return rows;
}

/** A fingerprint of a plan: applying refuses when the attempts changed after the dry run was shown. */
export function planFingerprint(plans: readonly AttemptPlan[]): string {
  return JSON.stringify(plans.map((p) => [p.attemptId, p.revision, p.changes.map((c) => [c.slot, c.toVersion, c.after])]));
}

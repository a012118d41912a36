import { gradeFor, type GradingMethod } from '../quizzes/grading-method.ts';
import { GRACE_MS } from '../quizzes/attempt-state.ts';

/**
 * One cell of the gradebook (a student × an assigned quiz), pure: the grade by the quiz's
 * grading method, and whether the work is late, missing, in progress or not yet due.
 */

/** What a cell needs to know about an attempt. */
export interface GradebookAttempt {
  id: string;
  number: number;
  status: 'in-progress' | 'submitted';
  score: number | null;
  submittedAt: Date | null;
  deadline: Date | null;
  /** Submitted with essays not yet marked (no score yet). */
  needsGrading?: boolean;
  /** A regrade was applied to it. */
  regraded?: boolean;
}

/** The dates and grading method of a quiz. */
export interface GradebookQuiz {
  dueAt: Date | null;
  closesAt: Date | null;
  opensAt: Date | null;
  gradingMethod: GradingMethod;
}

/**
 * - needs-grading: a submitted attempt has essays the instructor has not marked (pending, not 0;
 *   any grade shown is of the attempts already marked);
 * - graded: a grade from submitted attempts, all on time;
 * - late: graded, but an attempt that counts was submitted after the due date;
 * - missing: nothing submitted and the due (or closing) date has passed;
 * - in-progress: an attempt is open and nothing is submitted yet;
 * - not-submitted: nothing submitted, not yet due (or no due date);
 * - upcoming: the quiz is not open yet.
 */
export const CELL_STATES = ['needs-grading', 'graded', 'late', 'missing', 'in-progress', 'not-submitted', 'upcoming'] as const;
export type CellState = (typeof CELL_STATES)[number];

export const CELL_STATE_LABELS: Record<CellState, string> = {
  'needs-grading': 'Needs grading',
  graded: 'Graded',
  late: 'Late',
  missing: 'Missing',
  'in-progress': 'In progress',
  'not-submitted': 'Not submitted',
  upcoming: 'Not open yet',
};

export interface GradebookCell {
  /** 0..1 by the grading method; null when nothing is submitted. */
  grade: number | null;
  state: CellState;
  attempts: Array<GradebookAttempt & { late: boolean; timeUp: boolean }>;
  /** An attempt of the cell was regraded. */
  regraded: boolean;
}

/** Whether a submitted attempt came in after the due date. */
export function isLate(a: Pick<GradebookAttempt, 'status' | 'submittedAt'>, dueAt: Date | null): boolean {
  return a.status === 'submitted' && dueAt !== null && a.submittedAt !== null && a.submittedAt.getTime() > dueAt.getTime();
}

/**
 * The attempts that make the grade under a method: all submitted ones for highest/average
 * (every one can matter), the first or the last one otherwise.
 */
function countingAttempts(submitted: GradebookAttempt[], method: GradingMethod): GradebookAttempt[] {
  if (submitted.length === 1) return submitted;
  const byNumber = [...submitted].sort((a, b) => a.number - b.number);
  if (method === 'first') return byNumber.slice(0, 1);
  if (method === 'last') return byNumber.slice(-1);
  if (method === 'highest') {
    const best = Math.max(...byNumber.map((a) => a.score ?? 0));
    return byNumber.filter((a) => (a.score ?? 0) === best).slice(0, 1);
  }
  return byNumber;
}

/** The gradebook cell of one student for one quiz at `now`. */
export function gradebookCell(quiz: GradebookQuiz, attempts: readonly GradebookAttempt[], now: Date): GradebookCell {
  // A page has a thousand cells, nearly all with one attempt or none: no copies for those.
  const sorted = attempts.length > 1 ? [...attempts].sort((a, b) => a.number - b.number) : attempts;
  const withFlags = sorted.map((a) => ({
    ...a,
    late: isLate(a, quiz.dueAt),
    // Past its deadline but not yet submitted: the quizzes feature submits it when next viewed.
    timeUp: a.status === 'in-progress' && a.deadline !== null && now.getTime() > a.deadline.getTime() + GRACE_MS,
  }));
  const submitted = sorted.filter((a) => a.status === 'submitted' && typeof a.score === 'number');
  const grade = gradeFor(sorted, quiz.gradingMethod);
  let state: CellState;
  if (sorted.some((a) => a.status === 'submitted' && a.needsGrading)) {
    state = 'needs-grading';
  } else if (submitted.length) {
    state = countingAttempts(submitted, quiz.gradingMethod).some((a) => isLate(a, quiz.dueAt)) ? 'late' : 'graded';
  } else if (sorted.some((a) => a.status === 'in-progress')) {
    state = 'in-progress';
  } else if (quiz.opensAt && now < quiz.opensAt) {
    state = 'upcoming';
  } else {
    const end = quiz.dueAt ?? quiz.closesAt;
    state = end && now > end ? 'missing' : 'not-submitted';
  }
  return { grade, state, attempts: withFlags, regraded: sorted.some((a) => a.regraded === true) };
}

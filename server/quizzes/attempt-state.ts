/**
 * Time rules of an assigned quiz, pure (time is a parameter): an attempt's deadline, whether it
 * still takes answers, whether a new attempt may start, and the state a student's assignment is in.
 */

/** Answers arriving this long after the deadline are still taken (the network is not instant). */
export const GRACE_MS = 5_000;

/** The time settings of a quiz. `attemptsAllowed` 0 means unlimited. */
export interface TimeSettings {
  timeLimitMinutes: number | null;
  opensAt: Date | null;
  dueAt: Date | null;
  closesAt: Date | null;
  attemptsAllowed: number;
}

/** What the state rules need to know about an attempt. */
export interface AttemptTimes {
  status: 'in-progress' | 'submitted';
  startedAt: Date;
  deadline: Date | null;
}

/** When an attempt started at `startedAt` must end: the time limit or the closing time, whichever is first; null for neither. */
export function attemptDeadline(startedAt: Date, settings: Pick<TimeSettings, 'timeLimitMinutes' | 'closesAt'>): Date | null {
  const ends: number[] = [];
  if (settings.timeLimitMinutes) ends.push(startedAt.getTime() + settings.timeLimitMinutes * 60_000);
  if (settings.closesAt) ends.push(settings.closesAt.getTime());
  return ends.length ? new Date(Math.min(...ends)) : null;
}

/** Whether an answer given at `now` is in time (deadline plus grace). */
export function takesAnswers(deadline: Date | null, now: Date): boolean {
  return deadline === null || now.getTime() <= deadline.getTime() + GRACE_MS;
}

/** Whether an attempt is in progress but past its deadline and grace: to be submitted with what was saved. */
export function isExpired(attempt: { status: string; deadline?: Date | null }, now: Date): boolean {
  return attempt.status === 'in-progress' && !takesAnswers(attempt.deadline ?? null, now);
}

/** Why a new attempt cannot start now, in words for the student; null when it can. */
export function startRefusal(settings: TimeSettings, attempts: readonly Pick<AttemptTimes, 'status'>[], now: Date): string | null {
  if (settings.opensAt && now < settings.opensAt) return 'This quiz is not open yet.';
  if (settings.closesAt && now >= settings.closesAt) return 'This quiz has closed, so no new attempt can be started.';
  if (attempts.some((a) => a.status === 'in-progress')) return 'You already have an attempt in progress.';
  if (settings.attemptsAllowed > 0 && attempts.length >= settings.attemptsAllowed) {
    return settings.attemptsAllowed === 1 ? 'You have used your one attempt.' : `You have used all ${settings.attemptsAllowed} attempts.`;
  }
  return null;
}

export const ASSIGNMENT_STATES = ['upcoming', 'not-started', 'in-progress', 'submitted', 'overdue', 'closed'] as const;
export type AssignmentState = (typeof ASSIGNMENT_STATES)[number];

export const ASSIGNMENT_STATE_LABELS: Record<AssignmentState, string> = {
  upcoming: 'Not open yet',
  'not-started': 'Not started',
  'in-progress': 'In progress',
  submitted: 'Submitted',
  overdue: 'Overdue',
  closed: 'Closed',
};

/**
 * A student's assignment at `now`. Expired attempts must already have been submitted (see
 * isExpired). Overdue: past the due date, not closed, nothing submitted; closed: closed with
 * nothing submitted.
 */
export function assignmentState(settings: TimeSettings, attempts: readonly Pick<AttemptTimes, 'status'>[], now: Date): AssignmentState {
  if (attempts.some((a) => a.status === 'in-progress')) return 'in-progress';
  if (attempts.some((a) => a.status === 'submitted')) return 'submitted';
  if (settings.opensAt && now < settings.opensAt) return 'upcoming';
  if (settings.closesAt && now >= settings.closesAt) return 'closed';
  if (settings.dueAt && now > settings.dueAt) return 'overdue';
  return 'not-started';
}

/** How the grades of several attempts at one quiz make the student's grade (as in Moodle). */
export const GRADING_METHODS = ['highest', 'last', 'first', 'average'] as const;
export type GradingMethod = (typeof GRADING_METHODS)[number];

export const GRADING_METHOD_LABELS: Record<GradingMethod, string> = {
  highest: 'Highest attempt',
  last: 'Last attempt',
  first: 'First attempt',
  average: 'Average of attempts',
};

/** What grading needs to know about an attempt. */
export interface GradedAttempt {
  number: number;
  status: 'in-progress' | 'submitted';
  score?: number | null;
}

/**
 * The grade (0..1) of a student's attempts by a grading method; attempts in progress do not
 * count; null when none is submitted. "first" and "last" go by attempt number.
 */
export function gradeFor(attempts: readonly GradedAttempt[], method: GradingMethod): number | null {
  // The commonest case by far (a gradebook's thousand cells): one attempt.
  if (attempts.length === 1) {
    const [only] = attempts;
    return only!.status === 'submitted' && typeof only!.score === 'number' ? only!.score : null;
  }
  const done = attempts
    .filter((a) => a.status === 'submitted')
    .sort((a, b) => a.number - b.number)
    .flatMap((a) => (typeof a.score === 'number' ? [a.score] : []));
  if (done.length === 0) return null;
  switch (method) {
    case 'highest':
      return Math.max(...done);
    case 'last':
      return done[done.length - 1]!;
    case 'first':
      return done[0]!;
    case 'average':
      return done.reduce((s, x) => s + x, 0) / done.length;
  }
}

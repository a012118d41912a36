/**
 * What a student's review of a submitted attempt may show at `now`, from the quiz's settings.
 * Pure. Instructors always see everything; this is for the student.
 */

/**
 * When the review opens:
 * - `immediately`: as soon as the attempt is submitted;
 * - `after-submit`: once the student has submitted their last allowed attempt (or the quiz has
 *   closed), so that one attempt's review cannot help with the next;
 * - `after-due`: once the due date has passed (the closing time if there is no due date; at
 *   submission if there is neither).
 */
export const FEEDBACK_TIMINGS = ['immediately', 'after-submit', 'after-due'] as const;
export type FeedbackTiming = (typeof FEEDBACK_TIMINGS)[number];

/** How much the review shows, each level including the ones before it. */
export const REVIEW_LEVELS = ['score', 'correctness', 'answers', 'explanations'] as const;
export type ReviewLevel = (typeof REVIEW_LEVELS)[number];

export const FEEDBACK_TIMING_LABELS: Record<FeedbackTiming, string> = {
  immediately: 'Immediately after each attempt',
  'after-submit': 'After the student’s last attempt (or when the quiz closes)',
  'after-due': 'After the due date',
};

export const REVIEW_LEVEL_LABELS: Record<ReviewLevel, string> = {
  score: 'The score only',
  correctness: 'The score and which answers were right',
  answers: 'The above and the correct answers',
  explanations: 'The above, explanations and sources',
};

export interface ReviewSettings {
  feedbackTiming: FeedbackTiming;
  reviewShows: ReviewLevel;
  attemptsAllowed: number;
  dueAt: Date | null;
  closesAt: Date | null;
}

/** What a review may show now; `opensAt` is when it will open (null: open, or not known in advance). */
export interface ReviewAllowance {
  available: boolean;
  opensAt: Date | null;
  /** Why the review is not open yet, in words for the student. */
  waitingFor: string | null;
  showScore: boolean;
  showCorrectness: boolean;
  showAnswers: boolean;
  showExplanations: boolean;
}

const level = (l: ReviewLevel) => REVIEW_LEVELS.indexOf(l);

/**
 * The review of a student's attempt at `now`. `attemptsSubmitted` counts the student's
 * submitted attempts at this quiz (for `after-submit`).
 */
export function reviewAllowance(
  settings: ReviewSettings,
  ctx: { submitted: boolean; attemptsSubmitted: number; now: Date },
): ReviewAllowance {
  const closed: ReviewAllowance = { available: false, opensAt: null, waitingFor: null, showScore: false, showCorrectness: false, showAnswers: false, showExplanations: false };
  if (!ctx.submitted) return { ...closed, waitingFor: 'The attempt has not been submitted yet.' };
  const quizClosed = settings.closesAt !== null && ctx.now >= settings.closesAt;
  let open = true;
  let opensAt: Date | null = null;
  let waitingFor: string | null = null;
  if (settings.feedbackTiming === 'after-submit') {
    const lastUsed = settings.attemptsAllowed > 0 && ctx.attemptsSubmitted >= settings.attemptsAllowed;
    open = lastUsed || quizClosed;
    if (!open) {
      opensAt = settings.closesAt;
      waitingFor = 'Results are shown after your last attempt, or when the quiz closes.';
    }
  } else if (settings.feedbackTiming === 'after-due') {
    const at = settings.dueAt ?? settings.closesAt;
    open = at === null || ctx.now >= at;
    if (!open) {
      opensAt = at;
      waitingFor = 'Results are shown after the due date.';
    }
  }
  if (!open) return { ...closed, opensAt, waitingFor };
  const l = level(settings.reviewShows);
  return {
    available: true,
    opensAt: null,
    waitingFor: null,
    showScore: true,
    showCorrectness: l >= level('correctness'),
    showAnswers: l >= level('answers'),
    showExplanations: l >= level('explanations'),
  };
}

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

/**
 * Moodle's review options: what the review shows is set separately for three phases of a
 * submitted attempt (Moodle's own definitions):
 * - `immediately`: within two minutes of submitting;
 * - `open`: later, while the quiz is still open (always, for a quiz that never closes);
 * - `closed`: once the quiz has closed.
 */
export const REVIEW_PHASES = ['immediately', 'open', 'closed'] as const;
export type ReviewPhase = (typeof REVIEW_PHASES)[number];
/** What each phase may show: the score, each question's mark (right or wrong), the right answers, feedback (explanations), the source passage. */
export const REVIEW_FLAGS = ['score', 'marks', 'answers', 'feedback', 'source'] as const;
export type ReviewFlag = (typeof REVIEW_FLAGS)[number];
export type ReviewFlags = Record<ReviewFlag, boolean>;
export type ReviewOptions = Record<ReviewPhase, ReviewFlags>;

export const REVIEW_PHASE_LABELS: Record<ReviewPhase, string> = {
  immediately: 'Immediately after the attempt',
  open: 'Later, while the quiz is open',
  closed: 'After the quiz closes',
};
export const REVIEW_FLAG_LABELS: Record<ReviewFlag, string> = {
  score: 'Score',
  marks: 'Marks (which answers were right)',
  answers: 'Right answers',
  feedback: 'Feedback and explanations',
  source: 'Source passage',
};

/** How long after submitting "immediately" lasts, as in Moodle. */
export const IMMEDIATE_REVIEW_MS = 2 * 60_000;

/**
 * The review options a quiz saved before they existed has: its one level in every phase. This is
 * the migration of old quizzes (done when they are read, so no stored quiz needs rewriting).
 */
export function reviewOptionsFromLevel(l: ReviewLevel): ReviewOptions {
  const n = level(l);
  const flags: ReviewFlags = { score: true, marks: n >= 1, answers: n >= 2, feedback: n >= 3, source: n >= 3 };
  return { immediately: { ...flags }, open: { ...flags }, closed: { ...flags } };
}

/** The phase a submitted attempt's review is in at `now`. */
export function reviewPhase(submittedAt: Date | null, closesAt: Date | null, now: Date): ReviewPhase {
  if (closesAt && now >= closesAt) return 'closed';
  if (submittedAt && now.getTime() - submittedAt.getTime() <= IMMEDIATE_REVIEW_MS) return 'immediately';
  return 'open';
}

export interface ReviewSettings {
  feedbackTiming: FeedbackTiming;
  reviewShows: ReviewLevel;
  reviewOptions: ReviewOptions;
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
  showSource: boolean;
}

const level = (l: ReviewLevel) => REVIEW_LEVELS.indexOf(l);

/** Whether a quiz's review keeps the answer keys from its students (score or correctness only). */
export function hidesAnswerKeys(options: ReviewOptions): boolean {
  // A key held back in any phase is hidden: practice must not show it meanwhile.
  return REVIEW_PHASES.some((p) => !options[p].answers);
}

/**
 * The review of a student's attempt at `now`. `attemptsSubmitted` counts the student's
 * submitted attempts at this quiz (for `after-submit`).
 */
export function reviewAllowance(
  settings: ReviewSettings,
  ctx: { submitted: boolean; attemptsSubmitted: number; now: Date; submittedAt?: Date | null },
): ReviewAllowance {
  const closed: ReviewAllowance = {
    available: false,
    opensAt: null,
    waitingFor: null,
    showScore: false,
    showCorrectness: false,
    showAnswers: false,
    showExplanations: false,
    showSource: false,
  };
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
  const f = settings.reviewOptions[reviewPhase(ctx.submittedAt ?? null, settings.closesAt, ctx.now)];
  if (!REVIEW_FLAGS.some((k) => f[k])) {
    const later = settings.closesAt && ctx.now < settings.closesAt && REVIEW_FLAGS.some((k) => settings.reviewOptions.closed[k]);
    return {
      ...closed,
      opensAt: later ? settings.closesAt : null,
      waitingFor: later ? 'The review opens when the quiz closes.' : 'The review of this attempt is not shown at this time.',
    };
  }
  return {
    available: true,
    opensAt: null,
    waitingFor: null,
    showScore: f.score,
    showCorrectness: f.marks,
    showAnswers: f.answers,
    showExplanations: f.feedback,
    showSource: f.source,
  };
}

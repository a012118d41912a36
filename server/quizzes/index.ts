/** Quizzes, assignments and attempts: what other features may ask of them. */
export { keyHidingQuizzes, quizzesForClass } from './builder-service.ts';
export { canManageQuiz } from './policy.ts';
export { submitOpenAttemptsOfClass } from './lifecycle.ts';
export { pausesSelfStudy, selfStudyPausedBy } from './self-study-pause.ts';
export { quizSettings, QUIZ_SETTING_DEFAULTS, type QuizSettings } from './settings.ts';
export { gradeFor, GRADING_METHOD_LABELS, type GradingMethod } from './grading-method.ts';
export { GRACE_MS } from './attempt-state.ts';
export { overriddenDates, type QuizOverrideRule } from './overrides.ts';
export { reviewAllowance, type FeedbackTiming, type ReviewLevel, type ReviewAllowance } from './review-policy.ts';
export {
  attemptSummariesAt,
  attemptSummariesOfLearners,
  attemptsForExport,
  firstAttemptResponses,
  firstAttemptsAwaitingMarks,
  quizOutline,
  quizOutlines,
  quizOutlinesOfClass,
  submittedAttemptsAt,
  submittedAttemptsOf,
  overridesAt,
  type OverrideRow,
  type AttemptRow,
  type ExportAttempt,
  type MarkedAttempt,
  type QuizOutline,
} from './reads.ts';

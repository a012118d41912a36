import { z } from 'zod';
import { GRADING_METHODS, type GradingMethod } from './grading-method.ts';
import {
  FEEDBACK_TIMINGS,
  REVIEW_LEVELS,
  reviewOptionsFromLevel,
  type FeedbackTiming,
  type ReviewFlag,
  type ReviewLevel,
  type ReviewOptions,
  type ReviewPhase,
} from './review-policy.ts';

/** A quiz's settings as plain values. */
export interface QuizSettings {
  timeLimitMinutes: number | null;
  opensAt: Date | null;
  dueAt: Date | null;
  closesAt: Date | null;
  attemptsAllowed: number;
  gradingMethod: GradingMethod;
  shuffleQuestions: boolean;
  shuffleChoices: boolean;
  feedbackTiming: FeedbackTiming;
  /** The level quizzes had before review options; read only to migrate a quiz without `reviewOptions`. */
  reviewShows: ReviewLevel;
  /** What the review shows in each phase (see review-policy.ts). */
  reviewOptions: ReviewOptions;
  passMark: number | null;
}

/** The one home of the settings' defaults: the model, the builder form and every reader take them from here. */
export const QUIZ_SETTING_DEFAULTS: Readonly<QuizSettings> = Object.freeze({
  timeLimitMinutes: null,
  opensAt: null,
  dueAt: null,
  closesAt: null,
  attemptsAllowed: 1,
  gradingMethod: 'highest',
  shuffleQuestions: false,
  shuffleChoices: false,
  feedbackTiming: 'immediately',
  reviewShows: 'explanations',
  reviewOptions: reviewOptionsFromLevel('explanations'),
  passMark: null,
});

const d = QUIZ_SETTING_DEFAULTS;
// `satisfies`: a flag or phase added to review-policy.ts and not here fails to compile.
const flagsSchema = z.object({ score: z.boolean(), marks: z.boolean(), answers: z.boolean(), feedback: z.boolean(), source: z.boolean() } satisfies Record<
  ReviewFlag,
  z.ZodBoolean
>);
const reviewOptionsSchema = z.object({ immediately: flagsSchema, open: flagsSchema, closed: flagsSchema } satisfies Record<ReviewPhase, typeof flagsSchema>);
const date = z.date().nullable().catch(null);
const count = (fallback: number | null) => z.number().nullable().catch(fallback);

// A stored quiz written by an older version may miss a field (or hold null): each falls back to its default.
const storedSettings = z.object({
  timeLimitMinutes: count(d.timeLimitMinutes),
  opensAt: date,
  dueAt: date,
  closesAt: date,
  attemptsAllowed: z.number().catch(d.attemptsAllowed),
  gradingMethod: z.enum(GRADING_METHODS).catch(d.gradingMethod),
  shuffleQuestions: z.boolean().catch(d.shuffleQuestions),
  shuffleChoices: z.boolean().catch(d.shuffleChoices),
  feedbackTiming: z.enum(FEEDBACK_TIMINGS).catch(d.feedbackTiming),
  reviewShows: z.enum(REVIEW_LEVELS).catch(d.reviewShows),
  reviewOptions: reviewOptionsSchema.nullable().catch(null),
  passMark: count(d.passMark),
});

/** A stored quiz's settings, parsed once into their type, with the defaults for what is missing. */
export function quizSettings(quiz: { settings?: unknown }): QuizSettings {
  const raw = quiz.settings && typeof quiz.settings === 'object' ? quiz.settings : {};
  const s = storedSettings.parse(raw);
  // A quiz saved before review options existed shows its one level in every phase.
  return { ...s, reviewOptions: s.reviewOptions ?? reviewOptionsFromLevel(s.reviewShows) };
}

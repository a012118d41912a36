import { z } from 'zod';
import { topicSlug } from '../questions/definition.ts';
import { GRADING_METHODS } from './grading-method.ts';
import {
  FEEDBACK_TIMINGS,
  REVIEW_FLAGS,
  REVIEW_LEVELS,
  REVIEW_PHASES,
  reviewOptionsFromLevel,
  type ReviewFlag,
  type ReviewFlags,
  type ReviewOptions,
  type ReviewPhase,
} from './review-policy.ts';

import { objectIdSchema as objectId } from '../object-ids.ts';

export { objectId };
/** A 1-based slot number in a URL. */
export const slotNumber = z.coerce.number().int('Not a question number.').min(1, 'Not a question number.').max(500, 'Not a question number.');

/** Rule rows on the builder form, by number. */
const RULE_INDEXES = [0, 1, 2, 3] as const;
export const RULE_ROWS = RULE_INDEXES.length;

/** Repeated form fields arrive as a string[], a single one as a string, none as undefined. */
const list = <T extends z.ZodType>(item: T) => z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(item).max(1000));

const optionalInt = (min: number, max: number, message: string) =>
  z
    .preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
      z.coerce.number(message).int(message).min(min, message).max(max, message).nullable().optional(),
    )
    .transform((v) => v ?? null);

/** A datetime-local value, read as UTC (the form says so); blank is none. */
const optionalDate = z
  .string()
  .max(40)
  .optional()
  .transform((v, ctx) => {
    if (!v || v.trim() === '') return null;
    const s = v.trim();
    const d = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(s) ? s : `${s}Z`);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'Enter a date and time, like 2026-03-01T09:00.' });
      return z.NEVER;
    }
    return d;
  });

const checkbox = z.preprocess((v) => v === 'on' || v === '1' || v === 'true' || v === true, z.boolean());

const ruleCount = optionalInt(1, 200, 'A number of questions from 1 to 200, or leave it blank.');
const ruleTopics = list(topicSlug);
type RuleIndex = (typeof RULE_INDEXES)[number];
// Written out so the parsed form's type names each field; `satisfies` fails when a row is added above and not here.
const ruleFields = {
  rule0_count: ruleCount,
  rule0_topics: ruleTopics,
  rule1_count: ruleCount,
  rule1_topics: ruleTopics,
  rule2_count: ruleCount,
  rule2_topics: ruleTopics,
  rule3_count: ruleCount,
  rule3_topics: ruleTopics,
} satisfies Record<`rule${RuleIndex}_${'count' | 'topics'}`, z.ZodType>;

type ReviewFieldName = `review_${string}_${string}`;
/** The name of the builder's checkbox for one review option. */
export const reviewFieldName = (phase: string, flag: string): ReviewFieldName => `review_${phase}_${flag}`;
const reviewFields: Record<ReviewFieldName, typeof checkbox> = {};
for (const p of REVIEW_PHASES) for (const f of REVIEW_FLAGS) reviewFields[reviewFieldName(p, f)] = checkbox;

function readReviewOptions(record: Partial<Record<ReviewFieldName, boolean>>): ReviewOptions {
  const phase = (p: ReviewPhase): ReviewFlags => {
    const on = (f: ReviewFlag) => record[reviewFieldName(p, f)] === true;
    return { score: on('score'), marks: on('marks'), answers: on('answers'), feedback: on('feedback'), source: on('source') };
  };
  return { immediately: phase('immediately'), open: phase('open'), closed: phase('closed') };
}

/** The quiz builder's form (create and edit). Cross-field rules are checked in quizFormRules. */
export const quizForm = z
  .object({
    title: z.string().trim().min(1, 'Give the quiz a title.').max(200, 'Keep the title under 200 characters.'),
    bankIds: list(objectId),
    mode: z.enum(['pick', 'rules'], 'Choose hand-picked questions or rules.'),
    questionIds: list(objectId),
    timeLimitMinutes: optionalInt(1, 600, 'A time limit from 1 to 600 minutes, or leave it blank for none.'),
    opensAt: optionalDate,
    dueAt: optionalDate,
    closesAt: optionalDate,
    attemptsAllowed: z.coerce.number().int().min(0, 'Choose how many attempts.').max(20, 'Choose how many attempts.'),
    gradingMethod: z.enum(GRADING_METHODS, 'Choose a grading method.'),
    shuffleQuestions: checkbox,
    shuffleChoices: checkbox,
    feedbackTiming: z.enum(FEEDBACK_TIMINGS, 'Choose when students see their results.'),
    reviewShows: z.enum(REVIEW_LEVELS, 'Choose what the review shows.').optional(),
    // The builder's review-options grid is read when this marker is posted (an unticked box sends nothing).
    reviewMatrix: z.literal('1').optional(),
    ...reviewFields,
    passMark: optionalInt(0, 100, 'A pass mark from 0 to 100 percent, or leave it blank.'),
    classIds: list(objectId),
    ...ruleFields,
  })
  .transform((f) => {
    const rules: { count: number; topics: string[] }[] = [];
    for (const i of RULE_INDEXES) {
      const count = f[`rule${i}_count` as const];
      if (count) rules.push({ count, topics: f[`rule${i}_topics` as const] });
    }
    return {
      title: f.title,
      bankIds: [...new Set(f.bankIds)],
      mode: f.mode,
      questionIds: [...new Set(f.questionIds)],
      rules,
      classIds: [...new Set(f.classIds)],
      settings: {
        timeLimitMinutes: f.timeLimitMinutes,
        opensAt: f.opensAt,
        dueAt: f.dueAt,
        closesAt: f.closesAt,
        attemptsAllowed: f.attemptsAllowed,
        gradingMethod: f.gradingMethod,
        shuffleQuestions: f.shuffleQuestions,
        shuffleChoices: f.shuffleChoices,
        feedbackTiming: f.feedbackTiming,
        reviewShows: f.reviewShows ?? 'explanations',
        reviewOptions: f.reviewMatrix ? readReviewOptions(f) : reviewOptionsFromLevel(f.reviewShows ?? 'explanations'),
        passMark: f.passMark,
      },
    };
  });
export type QuizInput = z.output<typeof quizForm>;

/** Messages for rules that involve several fields (field → message); empty when all is well. */
export function quizFormRules(q: QuizInput): Record<string, string> {
  const errors: Record<string, string> = {};
  if (q.bankIds.length === 0) errors.bankIds = 'Choose at least one question bank.';
  const { opensAt, dueAt, closesAt } = q.settings;
  if (opensAt && dueAt && dueAt <= opensAt) errors.dueAt = 'The due date must come after the opening time.';
  if (opensAt && closesAt && closesAt <= opensAt) errors.closesAt = 'The closing time must come after the opening time.';
  if (dueAt && closesAt && closesAt < dueAt) errors.closesAt = 'The closing time cannot come before the due date.';
  if (q.mode === 'pick' && q.questionIds.length === 0) errors.questionIds = 'Tick at least one question.';
  if (q.mode === 'rules' && q.rules.length === 0) errors.rule0_count = 'Give at least one rule a number of questions.';
  return errors;
}

const optionalNumber = (min: number, max: number, message: string, int: boolean) =>
  z
    .preprocess(
      (v) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? null : v),
      z.coerce.number(message).min(min, message).max(max, message).nullable(),
    )
    .refine((v) => !int || v === null || Number.isInteger(v), message);

/** The override form on a quiz's page: whom it is for (`user:<id>` or `class:<id>`) and what changes. */
export const overrideForm = z
  .object({
    target: z.string().regex(/^(user|class):[a-f0-9]{24}$/, 'Choose a student or a class.'),
    timeLimitMultiplier: optionalNumber(1, 10, 'A multiplier from 1 to 10 (1.5 is half as long again), or leave it blank.', false),
    extraMinutes: optionalNumber(1, 600, 'Extra minutes from 1 to 600, or leave it blank.', true),
    dueAt: optionalDate,
    closesAt: optionalDate,
    extraAttempts: optionalNumber(1, 20, 'Extra attempts from 1 to 20, or leave it blank.', true),
  })
  .superRefine((f, ctx) => {
    if (f.timeLimitMultiplier === null && f.extraMinutes === null && !f.dueAt && !f.closesAt && f.extraAttempts === null) {
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'Give extra time, a later date or extra attempts.' });
    }
  })
  .transform((f) => {
    // The pattern above let only `user:<id>` and `class:<id>` through.
    const target = f.target.startsWith('user:') ? 'user' : 'class';
    const targetId = f.target.slice(f.target.indexOf(':') + 1);
    return {
      target,
      targetId,
      rule: { timeLimitMultiplier: f.timeLimitMultiplier, extraMinutes: f.extraMinutes, dueAt: f.dueAt, closesAt: f.closesAt, extraAttempts: f.extraAttempts },
    };
  });
export type OverrideInput = z.output<typeof overrideForm>;

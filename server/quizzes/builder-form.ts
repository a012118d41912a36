import { z } from 'zod';
import { fieldsOf } from '../http/body.ts';
import { formValues } from '../http/forms.ts';
import { fieldErrors } from '../http/validate.ts';
import { inputDate, zonedInput } from '../formatting/index.ts';
import type { Caller } from '../accounts/index.ts';
import { QUESTION_TYPES, topicSlug } from '../questions/definition.ts';
import { objectId, quizForm, reviewFieldName, RULE_ROWS, type QuizInput } from './schemas.ts';
import { REVIEW_FLAGS, REVIEW_PHASES, reviewOptionsFromLevel, type ReviewOptions } from './review-policy.ts';
import { quizInputErrors } from './builder-service.ts';
import type { QuizView } from './service.ts';

/* The quiz builder's form: its values, the filter of its pick list, and every error at once. */

const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(item).max(1000)).catch([]);

/**
 * Which questions the pick list shows: banks, topics, a text in the prompt or key, a type. Read from
 * the query of a GET, or from the posted builder itself ("Update the list" posts the whole form, so
 * the title, mode and everything else typed stay on the page).
 */
export const builderFilter = z.object({
  banks: list(objectId),
  topics: list(topicSlug),
  q: z.string().trim().max(100).catch('').default(''),
  type: z.enum(QUESTION_TYPES).or(z.literal('')).catch('').default(''),
});
export type BuilderFilter = z.output<typeof builderFilter>;

/** The filter of a builder request: on a POST its fields are the form's (the banks are the quiz's bankIds). */
export function filterOf(query: unknown, body?: unknown): BuilderFilter {
  if (body === undefined) return builderFilter.parse(query ?? {});
  const b = fieldsOf(body);
  return builderFilter.parse({ banks: b.bankIds, topics: b.filterTopics, q: b.filterText, type: b.filterType });
}

/** Whether a POST asks only to update the pick list (and keep everything typed), not to save. */
export const isListRefresh = (body: unknown) => fieldsOf(body).refresh === '1';

/** A posted form with its datetime-local fields read in `zone` (they arrive without an offset). */
export const withZonedDates = (body: unknown, zone: string): unknown => {
  if (!body || typeof body !== 'object') return body;
  const b = fieldsOf(body);
  for (const k of ['opensAt', 'dueAt', 'closesAt']) if (k in b) b[k] = zonedInput(b[k], zone);
  return b;
};

/** What a field the form refused is read as while the other checks run: nothing, or the plainest choice. */
const NEUTRAL: Record<string, unknown> = {
  title: 'untitled',
  mode: 'pick',
  attemptsAllowed: '1',
  gradingMethod: 'highest',
  feedbackTiming: 'immediately',
  reviewShows: undefined,
};

/**
 * Every error of a builder form in one round: the form's own (blank title, bad numbers) and, read
 * with the refused fields set aside, the rules across fields and against the database (no question
 * ticked, a rule the banks cannot fill, classes not taught, the answer-key rule).
 */
export async function allQuizErrors(caller: Caller, body: unknown): Promise<{ input: QuizInput | null; errors: Record<string, string> }> {
  const parsed = quizForm.safeParse(body);
  if (parsed.success) return { input: parsed.data, errors: await quizInputErrors(caller, parsed.data) };
  const own = fieldErrors(parsed.error);
  const rest = fieldsOf(body);
  for (const key of Object.keys(own)) rest[key] = key in NEUTRAL ? NEUTRAL[key] : undefined;
  const second = quizForm.safeParse(rest);
  // A choice the form refused (the mode) makes the checks that depend on it meaningless: left out.
  const others = second.success ? await quizInputErrors(caller, second.data) : {};
  if ('mode' in own) for (const k of Object.keys(others)) if (k === 'questionIds' || k.startsWith('rule')) delete others[k];
  return { input: null, errors: { ...others, ...own } };
}

/** The review-options grid as form values (one checkbox per phase and flag). */
function reviewValues(options: ReviewOptions): Record<string, boolean> {
  const v: Record<string, boolean> = {};
  for (const p of REVIEW_PHASES) for (const f of REVIEW_FLAGS) v[reviewFieldName(p, f)] = options[p][f];
  return v;
}

/** The builder form's values for a saved quiz (editing). */
export function valuesOf(q: QuizView, zone: string): Record<string, unknown> {
  const v: Record<string, unknown> = {
    title: q.title,
    mode: q.mode,
    bankIds: q.bankIds,
    questionIds: q.questionIds,
    classIds: q.classIds,
    timeLimitMinutes: q.settings.timeLimitMinutes ?? '',
    opensAt: inputDate(q.settings.opensAt, zone),
    dueAt: inputDate(q.settings.dueAt, zone),
    closesAt: inputDate(q.settings.closesAt, zone),
    attemptsAllowed: String(q.settings.attemptsAllowed),
    gradingMethod: q.settings.gradingMethod,
    shuffleQuestions: q.settings.shuffleQuestions,
    shuffleChoices: q.settings.shuffleChoices,
    feedbackTiming: q.settings.feedbackTiming,
    reviewShows: q.settings.reviewShows,
    ...reviewValues(q.settings.reviewOptions),
    passMark: q.settings.passMark ?? '',
  };
  q.rules.forEach((r, i) => {
    v[`rule${i}_count`] = r.count;
    v[`rule${i}_topics`] = r.topics;
  });
  return v;
}

/** The builder form's values from a posted body, lists kept as lists. */
export function postedValues(body: unknown): Record<string, unknown> {
  const b = fieldsOf(body);
  const v: Record<string, unknown> = { ...formValues(body) };
  const asList = (x: unknown) => (Array.isArray(x) ? x : x === undefined ? [] : [x]);
  for (const k of ['bankIds', 'questionIds', 'classIds']) v[k] = asList(b[k]);
  for (let i = 0; i < RULE_ROWS; i++) v[`rule${i}_topics`] = asList(b[`rule${i}_topics`]);
  v.shuffleQuestions = b.shuffleQuestions === 'on';
  v.shuffleChoices = b.shuffleChoices === 'on';
  for (const p of REVIEW_PHASES) for (const f of REVIEW_FLAGS) v[reviewFieldName(p, f)] = b[reviewFieldName(p, f)] === 'on';
  return v;
}

export const DEFAULT_VALUES = {
  mode: 'pick',
  attemptsAllowed: '1',
  gradingMethod: 'highest',
  feedbackTiming: 'immediately',
  reviewShows: 'explanations',
  ...reviewValues(reviewOptionsFromLevel('explanations')),
  shuffleQuestions: false,
  shuffleChoices: false,
};

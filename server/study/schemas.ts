import { z } from 'zod';
import { PASSAGE_ID, TOPIC_SLUG, topicSlug } from '../questions/definition.ts';

import { objectIdSchema as objectId } from '../object-ids.ts';

export { objectId };

/** Which cards a session draws from: a bank, and optionally one of its topics. */
export const studyScopeQuery = z.object({
  bank: objectId,
  topic: z
    .string()
    .regex(TOPIC_SLUG, 'Not a topic.')
    .or(z.literal(''))
    .optional()
    .transform((t) => (t ? t : undefined)),
});
export type StudyScope = { bankId: string; topic?: string };

/** The study page's optional bank pre-selection. */
export const studyHomeQuery = z.object({ bank: objectId.optional().catch(undefined) });

/**
 * A rating: 1 Again, 2 Hard, 3 Good, 4 Easy; with the card's `reps` and `last_review` as shown
 * (empty for a card never reviewed): the guard that makes a repeated rating do nothing.
 */
export const rateInput = z.object({
  rating: z.coerce
    .number({ message: 'A rating is 1, 2, 3 or 4.' })
    .int('A rating is 1, 2, 3 or 4.')
    .min(1, 'A rating is 1, 2, 3 or 4.')
    .max(4, 'A rating is 1, 2, 3 or 4.'),
  reps: z.coerce.number().int().min(0).max(1_000_000),
  lastReview: z
    .string()
    .max(40)
    .refine((s) => s === '' || !Number.isNaN(Date.parse(s)), 'Not a date.')
    .transform((s) => (s === '' ? null : new Date(s))),
  bank: objectId,
  topic: topicSlug
    .or(z.literal(''))
    .optional()
    .transform((t) => (t ? t : undefined)),
});
export type RateInput = z.infer<typeof rateInput>;

/** Undo of a rating: its review log entry, and the session's scope to come back to. */
export const undoInput = z.object({
  log: objectId,
  bank: objectId,
  topic: topicSlug
    .or(z.literal(''))
    .optional()
    .transform((t) => (t ? t : undefined)),
});

const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);

/** The card browser's filters: text in the prompt, bank, topic, state, due by a day; and the page. */
export const browseQuery = z.object({
  q: z.preprocess(blankToUndefined, z.string().trim().max(100, 'Search for at most 100 characters.').optional()),
  bank: z.preprocess(blankToUndefined, objectId.optional()),
  topic: z.preprocess(blankToUndefined, z.string().regex(TOPIC_SLUG, 'Not a topic.').optional()),
  state: z.preprocess(blankToUndefined, z.enum(['new', 'learning', 'review', 'suspended', 'buried'], { message: 'Not a card state.' }).optional()),
  dueBy: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'A date is YYYY-MM-DD.')
      .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'Not a date.')
      .transform((s) => new Date(`${s}T00:00:00Z`))
      .optional(),
  ),
  page: z.preprocess(
    blankToUndefined,
    z.coerce.number({ message: 'Not a page.' }).int('Not a page.').min(1, 'Not a page.').max(100_000, 'Not a page.').default(1),
  ),
});
export type BrowseQuery = z.infer<typeof browseQuery>;

/** What the card browser can do to a card. */
export const CARD_ACTIONS = ['suspend', 'unsuspend', 'reset', 'bury'] as const;
export type CardAction = (typeof CARD_ACTIONS)[number];
export const cardActionParams = z.object({ id: objectId, action: z.enum(CARD_ACTIONS, { message: 'Not a card action.' }) });

/**
 * A custom session once the day's cards are done: study ahead, the cards forgotten this week, one
 * topic or one passage, in one bank; `since` is when the session began (each card comes once).
 */
export const customStudyQuery = z
  .object({
    bank: objectId,
    mode: z.enum(['ahead', 'forgotten', 'topic', 'passage'], { message: 'Choose what to study.' }),
    topic: z.preprocess(blankToUndefined, z.string().regex(TOPIC_SLUG, 'Not a topic.').optional()),
    passage: z.preprocess(blankToUndefined, z.string().regex(PASSAGE_ID, 'Not a passage of the source.').optional()),
    since: z.preprocess(
      blankToUndefined,
      z
        .string()
        .max(40)
        .refine((s) => !Number.isNaN(Date.parse(s)), 'Not a date.')
        .transform((s) => new Date(s))
        .optional(),
    ),
  })
  .superRefine((v, ctx) => {
    if (v.mode === 'topic' && !v.topic) ctx.addIssue({ code: 'custom', path: ['topic'], message: 'Choose a topic.' });
    if (v.mode === 'passage' && !v.passage) ctx.addIssue({ code: 'custom', path: ['passage'], message: 'Choose a passage.' });
  });
export type CustomStudy = Omit<z.infer<typeof customStudyQuery>, 'since'> & { since: Date };

/** The custom session a card page belongs to, carried from the front to the back and the rating (absent: a normal session). */
export const customCarry = z.object({
  mode: z.enum(['ahead', 'forgotten', 'topic', 'passage']).optional().catch(undefined),
  passage: z.string().regex(PASSAGE_ID).optional().catch(undefined),
  since: z
    .string()
    .max(40)
    .refine((s) => !Number.isNaN(Date.parse(s)))
    .optional()
    .catch(undefined),
});

/** Desired retention as a whole percentage, 70..97. */
export const retentionInput = z.object({
  retention: z.coerce.number({ message: 'A percentage between 70 and 97.' }).int('A whole percentage.').min(70, 'At least 70%.').max(97, 'At most 97%.'),
});

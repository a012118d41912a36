import { z } from 'zod';
import { TOPICS } from '../questions/definition.ts';

import { objectIdSchema as objectId } from '../object-ids.ts';

export { objectId };

/** Which cards a session draws from: a bank, and optionally one of its topics. */
export const studyScopeQuery = z.object({
  bank: objectId,
  topic: z.enum(TOPICS, { message: 'Not a topic.' }).or(z.literal('')).optional().transform((t) => (t ? t : undefined)),
});
export type StudyScope = { bankId: string; topic?: (typeof TOPICS)[number] };

/** The study page's optional bank pre-selection. */
export const studyHomeQuery = z.object({ bank: objectId.optional().catch(undefined) });

/**
 * A rating: 1 Again, 2 Hard, 3 Good, 4 Easy; with the card's `reps` and `last_review` as shown
 * (empty for a card never reviewed): the guard that makes a repeated rating do nothing.
 */
export const rateInput = z.object({
  rating: z.coerce.number({ message: 'A rating is 1, 2, 3 or 4.' }).int('A rating is 1, 2, 3 or 4.').min(1, 'A rating is 1, 2, 3 or 4.').max(4, 'A rating is 1, 2, 3 or 4.'),
  reps: z.coerce.number().int().min(0).max(1_000_000),
  lastReview: z
    .string()
    .max(40)
    .refine((s) => s === '' || !Number.isNaN(Date.parse(s)), 'Not a date.')
    .transform((s) => (s === '' ? null : new Date(s))),
  bank: objectId,
  topic: z.enum(TOPICS).or(z.literal('')).optional().transform((t) => (t ? t : undefined)),
});
export type RateInput = z.infer<typeof rateInput>;

import { z } from 'zod';
import { objectIdSchema } from '../object-ids.ts';
import { MAX_ACCEPT_TOP } from './accept-service.ts';

/** Input schemas of the drafts queue's routes. */

/** `:id`: a source id, as server/sources names them. */
export const sourceIdParam = z.string().regex(/^[a-z0-9-]{1,100}$/, 'Not a source id.');
export const draftIdParam = objectIdSchema;

/** "Draft questions": the sections ticked (none: the whole source). */
export const startInput = z.object({
  sections: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.string().regex(/^[a-z0-9-]{1,100}$/, 'Choose sections of this source.')).max(500)),
});

/** The bank a draft goes into. */
export const bankChoice = z.object({ bankId: objectIdSchema });

/** "Accept the top N" into a bank. */
export const acceptTopInput = bankChoice.extend({
  n: z.coerce.number({ error: 'Give a number.' }).int('Give a whole number.').min(1, `1 to ${MAX_ACCEPT_TOP}.`).max(MAX_ACCEPT_TOP, `1 to ${MAX_ACCEPT_TOP}.`),
});

/** The queue page's chosen bank (an unusable value chooses none). */
export const queueQuery = z.object({ bank: objectIdSchema.optional().catch(undefined) });

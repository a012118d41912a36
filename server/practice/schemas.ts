import { z } from 'zod';
import { QUESTION_TYPES, TOPICS } from '../questions/definition.ts';

import { objectIdSchema as objectId } from '../object-ids.ts';

export { objectId };

/** A form sends a repeated field as string[], a single one as a string, none as undefined. */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(item).max(20));

export const PRACTICE_LENGTHS = [5, 10, 20, 30] as const;
export const MAX_PRACTICE_LENGTH = 50;

/** The practice set-up form. `retry` and `weakest` choose their own questions; `types` still filters `weakest`. */
export const startPracticeInput = z.object({
  bankId: objectId.or(z.literal('')).refine((v) => v !== '', 'Choose a question bank.'),
  mode: z.enum(['new', 'retry', 'weakest'], { message: 'Choose what to practise.' }).default('new'),
  topics: list(z.enum(TOPICS, { message: 'Choose topics from the list.' })),
  types: list(z.enum(QUESTION_TYPES, { message: 'Choose question types from the list.' })),
  length: z.coerce
    .number({ message: 'Choose how many questions.' })
    .int('Choose a whole number of questions.')
    .min(1, 'Choose at least 1 question.')
    .max(MAX_PRACTICE_LENGTH, `Choose at most ${MAX_PRACTICE_LENGTH} questions.`)
    .default(10),
  /** Practise the questions that cite one passage (from the paper map). */
  passageId: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^[a-z]+-\d+$/, 'Not a passage of the paper.').optional()),
});
export type StartPracticeInput = z.infer<typeof startPracticeInput>;

/** The fields beside a response on the answer form: which question, at which position. */
export const answerMeta = z.object({
  position: z.coerce.number().int().min(0).max(1000),
  questionId: objectId,
});

export const feedbackParams = z.object({ id: objectId, index: z.coerce.number().int().min(0).max(1000) });

import { z } from 'zod';
import { PASSAGE_ID, QUESTION_TYPES, TOPIC_SLUG } from '../questions/definition.ts';

/** Practice marks answers at once: every type but the essay, which waits for a grader. */
const selfMarkedType = z.enum(QUESTION_TYPES).exclude(['essay'], { message: 'Choose question types from the list.' });

import { objectIdSchema as objectId } from '../object-ids.ts';

export { objectId };

/** A form sends a repeated field as string[], a single one as a string, none as undefined. */
const list = <T extends z.ZodType>(item: T) => z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(item).max(20));

export const PRACTICE_LENGTHS = [5, 10, 20, 30] as const;
export const MAX_PRACTICE_LENGTH = 50;

/** The practice set-up form. `retry` and `weakest` choose their own questions; `types` still filters `weakest`. */
export const startPracticeInput = z.object({
  bankId: objectId.or(z.literal('')).refine((v) => v !== '', 'Choose a question bank.'),
  mode: z.enum(['new', 'retry', 'weakest'], { message: 'Choose what to practise.' }).default('new'),
  topics: list(z.string().regex(TOPIC_SLUG, 'Choose topics from the list.')),
  // Essays are marked by hand, so practice (marked at once) does not offer them.
  types: list(selfMarkedType),
  length: z.coerce
    .number({ message: 'Choose how many questions.' })
    .int('Choose a whole number of questions.')
    .min(1, 'Choose at least 1 question.')
    .max(MAX_PRACTICE_LENGTH, `Choose at most ${MAX_PRACTICE_LENGTH} questions.`)
    .default(10),
  /** Practise the questions that cite one passage (from the paper map). */
  passageId: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(PASSAGE_ID, 'Not a passage of the source.').optional()),
  /** The source of that passage (a bank may be built on several); absent: the bank's first. */
  sourceId: z.preprocess((v) => (v === '' ? undefined : v), z.string().max(100).optional()),
});
export type StartPracticeInput = z.infer<typeof startPracticeInput>;

/** The fields beside a response on the answer form: which question, at which position. */
export const answerMeta = z.object({
  position: z.coerce.number().int().min(0).max(1000),
  questionId: objectId,
});

export const feedbackParams = z.object({ id: objectId, index: z.coerce.number().int().min(0).max(1000) });

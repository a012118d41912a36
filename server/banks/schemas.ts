import { z } from 'zod';
import { QUESTION_TYPES, TOPICS } from '../questions/definition.ts';
import { objectIdSchema as objectId } from '../object-ids.ts';

/** Input schemas of the bank editor's routes. The question form itself is read by question-form.ts. */



/** `:id` and `:questionId` route params. */
export const bankIdParam = objectId;
export const questionIdParam = objectId;

/** The new-bank and bank-settings form. */
export const bankInput = z.object({
  title: z.string().trim().min(1, 'Give the bank a title.').max(200, 'The title is too long: at most 200 characters.'),
  description: z.string().trim().max(2000, 'The description is too long: at most 2000 characters.').default(''),
});
export type BankInput = z.infer<typeof bankInput>;

/** The editor's question table filters (?topic=…&type=…); anything unknown is ignored. */
export const questionTableQuery = z.object({
  topic: z.enum(TOPICS).optional().catch(undefined),
  type: z.enum(QUESTION_TYPES).optional().catch(undefined),
});

/** `?type=` of the new-question page. */
export const newQuestionQuery = z.object({ type: z.enum(QUESTION_TYPES).catch('mcq') });

/** The version a question form was loaded at, so a concurrent edit is not silently overwritten. */
export const questionVersionInput = z.object({ version: z.coerce.number().int().min(1).max(1_000_000) });

export const IMPORT_FORMATS = ['json', 'gift'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * The import form: the text and its format; for GIFT, optional defaults for questions without a
 * `// lectern:` comment. `commit` is set by the "Import N questions" button of the preview.
 */
export const importInput = z.object({
  format: z.enum(IMPORT_FORMATS, 'Choose JSON or GIFT.'),
  text: z.string().trim().min(1, 'Paste the questions to import.').max(2_500_000, 'That is too long to import at once: split it into parts.'),
  defaultTopic: z.union([z.enum(TOPICS), z.literal('')], 'Choose a topic from the list.').default(''),
  defaultPassageId: z.union([z.string().regex(/^[a-z]+-\d+$/), z.literal('')], 'Choose a passage from the list.').default(''),
  defaultQuote: z.string().trim().max(1000, 'The quote is too long: at most 1000 characters.').default(''),
  commit: z.literal('1').optional(),
});
export type ImportInput = z.infer<typeof importInput>;

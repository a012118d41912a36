import { z } from 'zod';
import { PASSAGE_ID, QUESTION_TYPES, topicSlug } from '../questions/definition.ts';
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

/** The bank's sources form: the ticked sources (the first source always stays). */
export const bankSourcesInput = z.object({
  sourceIds: z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(z.string().min(1).max(100)).max(20)),
});

/** The editor's question table filters (?topic=…&type=…); anything unknown is ignored. */
export const questionTableQuery = z.object({
  topic: topicSlug.optional().catch(undefined),
  type: z.enum(QUESTION_TYPES).optional().catch(undefined),
});

/** `?type=` of the new-question page. */
export const newQuestionQuery = z.object({ type: z.enum(QUESTION_TYPES).catch('mcq') });

/** The version a question form was loaded at, so a concurrent edit is not silently overwritten. */
export const questionVersionInput = z.object({ version: z.coerce.number().int().min(1).max(1_000_000) });

export const IMPORT_FORMATS = ['json', 'gift', 'aiken', 'anki', 'quizlet', 'csv', 'moodle'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * The import form: the text and its format; for GIFT, optional defaults for questions without a
 * `// lectern:` comment. `commit` is set by the "Import N questions" button of the preview.
 */
export const importInput = z.object({
  format: z.enum(IMPORT_FORMATS, 'Choose one of the formats listed.'),
  text: z.string().trim().min(1, 'Paste the questions to import.').max(2_500_000, 'That is too long to import at once: split it into parts.'),
  defaultTopic: z.union([topicSlug, z.literal('')], 'Choose a topic from the list.').default(''),
  defaultPassageId: z.union([z.string().regex(PASSAGE_ID), z.literal('')], 'Choose a passage from the list.').default(''),
  defaultQuote: z.string().trim().max(1000, 'The quote is too long: at most 1000 characters.').default(''),
  /** Quizlet's separators: a name (tab, comma, newline, semicolon) or the characters themselves. */
  quizletTerm: z.string().max(10, 'A separator is at most 10 characters.').default(''),
  quizletRow: z.string().max(10, 'A separator is at most 10 characters.').default(''),
  commit: z.literal('1').optional(),
  /** Set by "Import the N questions, skip M": the questions that can be imported go in, the rest are listed. */
  skipBad: z.literal('1').optional(),
});
export type ImportInput = z.infer<typeof importInput>;

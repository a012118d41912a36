import { z } from 'zod';

import { objectIdSchema as objectId } from '../object-ids.ts';

export { objectId };

/** Creating or renaming a class. */
export const classForm = z.object({
  name: z.string().trim().min(1, 'Give the class a name.').max(120, 'Keep the name under 120 characters.'),
});

/** Joining a class with the code the instructor shared. */
export const joinForm = z.object({
  code: z.string().max(40, 'A join code is 8 letters and digits, like K7QM-2XPA.'),
});

// Sizes are checked again, in bytes, when the file is read (roster-csv.ts).
const ROSTER_TEXT_MAX = 256 * 1024;

/** Reading a roster: a file upload, or the same text pasted. */
export const enrolUploadForm = z.object({
  text: z.string().max(ROSTER_TEXT_MAX, 'The text is larger than 256 KB. Split it into smaller files.').optional().default(''),
});

/** Confirming a previewed roster: the file again, and how to hand out the reset links. */
export const enrolConfirmForm = z.object({
  csv: z.string({ error: 'The file to enrol is missing; read it again.' }).max(ROSTER_TEXT_MAX, 'The text is larger than 256 KB.'),
  format: z.enum(['html', 'csv']).optional().default('html'),
});

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

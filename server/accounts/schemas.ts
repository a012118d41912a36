import { z } from 'zod';
import { ROLES } from './roles.ts';

// Strings only: a form field that arrives as an array or object (e.g. `email[$ne]=x`) is refused here.
const email = z
  .string({ error: 'Enter your email address.' })
  .trim()
  .min(1, 'Enter your email address.')
  .max(254, 'An email address is at most 254 characters.')
  .toLowerCase()
  .pipe(z.email({ error: 'Enter an email address like name@example.com.' }));

const name = z
  .string({ error: 'Enter your name.' })
  .transform((s) => s.normalize('NFC').replace(/[\p{Cc}\p{Cf}]/gu, '').replace(/\s+/g, ' ').trim())
  .pipe(z.string().min(1, 'Enter your name.').max(100, 'A name is at most 100 characters.'));

const newPassword = z
  .string({ error: 'Choose a password.' })
  .min(10, 'A password needs at least 10 characters.')
  .max(200, 'A password is at most 200 characters.');

const password = z
  .string({ error: 'Enter your password.' })
  .min(1, 'Enter your password.')
  .max(200, 'A password is at most 200 characters.');

export const registerInput = z.object({ name, email, password: newPassword });
export const loginInput = z.object({ email, password });
export const changeNameInput = z.object({ name });
export const changePasswordInput = z
  .object({ currentPassword: password, newPassword, confirmPassword: z.string({ error: 'Repeat the new password.' }) })
  .refine((v) => v.newPassword === v.confirmPassword, { message: 'The two new passwords differ.', path: ['confirmPassword'] });
export const inviteCodeInput = z.object({
  code: z.string({ error: 'Enter the invite code.' }).trim().min(1, 'Enter the invite code.').max(200, 'That code is too long.'),
});
export const setRoleInput = z.object({ role: z.enum(ROLES, { error: 'Choose student, instructor or admin.' }) });
export { objectIdSchema as objectIdParam } from '../object-ids.ts';

export type RegisterInput = z.infer<typeof registerInput>;

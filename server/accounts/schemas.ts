import { z } from 'zod';
import { ROLES } from './roles.ts';
import { canonicalTimeZone } from '../formatting/index.ts';

// Strings only: a form field that arrives as an array or object (e.g. `email[$ne]=x`) is refused here.
export const emailSchema = z
  .string({ error: 'Enter your email address.' })
  .trim()
  .min(1, 'Enter your email address.')
  .max(254, 'An email address is at most 254 characters.')
  .toLowerCase()
  .pipe(z.email({ error: 'Enter an email address like name@example.com.' }));

export const nameSchema = z
  .string({ error: 'Enter your name.' })
  .transform((s) =>
    s
      .normalize('NFC')
      .replace(/[\p{Cc}\p{Cf}]/gu, '')
      .replace(/\s+/g, ' ')
      .trim(),
  )
  .pipe(z.string().min(1, 'Enter your name.').max(100, 'A name is at most 100 characters.'));

const newPassword = z
  .string({ error: 'Choose a password.' })
  .min(10, 'A password needs at least 10 characters.')
  .max(200, 'A password is at most 200 characters.');

const password = z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.').max(200, 'A password is at most 200 characters.');

// Filled by the browser's script (Intl): a missing or unknown zone is no fault of the person's, so it is dropped.
const detectedZone = z
  .unknown()
  .optional()
  .transform((v) => canonicalTimeZone(v));

export const registerInput = z.object({ name: nameSchema, email: emailSchema, password: newPassword, timeZone: detectedZone });
export const loginInput = z.object({ email: emailSchema, password, timeZone: detectedZone });
export const changeClockInput = z.object({
  timeZone: z.unknown().transform((v, ctx) => {
    const zone = canonicalTimeZone(typeof v === 'string' ? v.trim() : v);
    if (!zone) {
      ctx.addIssue({ code: 'custom', message: 'Choose a time zone from the list, like Europe/London.' });
      return z.NEVER;
    }
    return zone;
  }),
  dayStartHour: z.coerce
    .number({ error: 'Choose an hour from 0 to 23.' })
    .int('Choose an hour from 0 to 23.')
    .min(0, 'Choose an hour from 0 to 23.')
    .max(23, 'Choose an hour from 0 to 23.'),
});
export const changeNameInput = z.object({ name: nameSchema });
export const changePasswordInput = z
  .object({ currentPassword: password, newPassword, confirmPassword: z.string({ error: 'Repeat the new password.' }) })
  .refine((v) => v.newPassword === v.confirmPassword, { message: 'The two new passwords differ.', path: ['confirmPassword'] });
export const inviteCodeInput = z.object({
  code: z.string({ error: 'Enter the invite code.' }).trim().min(1, 'Enter the invite code.').max(200, 'That code is too long.'),
});
export const inviteNoteInput = z.object({
  note: z.string({ error: 'Say who the invite is for.' }).trim().min(1, 'Say who the invite is for.').max(200, 'At most 200 characters.'),
});
export const setRoleInput = z.object({ role: z.enum(ROLES, { error: 'Choose student, instructor or admin.' }) });
export const userSearchQuery = z.object({
  q: z.string().max(200, 'Search for at most 200 characters.').optional().default(''),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});
export const forgotInput = z.object({ email: emailSchema });
export const resetPasswordInput = z
  .object({ newPassword, confirmPassword: z.string({ error: 'Repeat the new password.' }) })
  .refine((v) => v.newPassword === v.confirmPassword, { message: 'The two passwords differ.', path: ['confirmPassword'] });
export { objectIdSchema as objectIdParam } from '../object-ids.ts';

export type RegisterInput = z.infer<typeof registerInput>;

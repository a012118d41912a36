import type { Response } from 'express';
import type { z } from 'zod';
import { fieldErrors } from './validate.ts';
import { ValidationError } from './errors.ts';

/** Echoes back only the string fields of a body, so a re-rendered form keeps what was typed. */
export function formValues(body: unknown, omit: string[] = []): Record<string, string> {
  const values: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body)) {
      if (typeof v === 'string' && !omit.includes(k) && k !== '_csrf') values[k] = v.slice(0, 500);
    }
  }
  return values;
}

/** Re-renders a form with status 400, the message and the messages beside their fields. */
export function renderInvalid(
  res: Response,
  view: string,
  err: z.ZodError | ValidationError,
  locals: Record<string, unknown>,
): void {
  const errors = err instanceof ValidationError ? err.fields : fieldErrors(err);
  const message = err instanceof ValidationError ? err.message : 'Please correct the fields marked below.';
  res.status(400).render(view, { ...locals, errors, message });
}

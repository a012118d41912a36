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
export function renderInvalid(res: Response, view: string, err: z.ZodError | ValidationError, locals: Record<string, unknown>): void {
  const errors = err instanceof ValidationError ? err.fields : fieldErrors(err);
  const message = err instanceof ValidationError ? err.message : 'Please correct the fields marked below.';
  res.status(400).render(view, { ...locals, errors, message });
}

/**
 * Runs a form: parses the body, then the action. Bad input, or a ValidationError from the
 * action, re-renders the form with status 400 and the messages; returns whether it succeeded.
 */
export async function runForm<S extends z.ZodType>(
  res: Response,
  view: string,
  locals: Record<string, unknown>,
  schema: S,
  body: unknown,
  action: (data: z.infer<S>) => Promise<void>,
): Promise<boolean> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    renderInvalid(res, view, parsed.error, locals);
    return false;
  }
  try {
    await action(parsed.data);
    return true;
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    renderInvalid(res, view, err, locals);
    return false;
  }
}

import type { z } from 'zod';
import { ValidationError } from './errors.ts';

/** Field messages from a zod error: the first message for each top-level field. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '_form');
    fields[key] ??= issue.message;
  }
  return fields;
}

/** Parses input with a schema or throws a ValidationError carrying the field messages. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, message = 'Please correct the fields marked below.'): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(message, fieldErrors(result.error));
  return result.data;
}

/**
 * A parsed request body (or any value) as a record of its fields: `{}` for anything that is not
 * an object. Routes read form fields through this instead of casting `req.body`.
 */
export function fieldsOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value)) : {};
}

/** A field that holds a list (a form's repeated field), as its strings; undefined when it is no list. */
export function stringsOf(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

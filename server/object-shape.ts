/**
 * Narrowing values whose shape TypeScript cannot know (parsed JSON, parser output, Mixed fields
 * of stored documents) instead of asserting it: a check here is a check at run time too.
 */

/** An object (not null, not an array) whose fields are still to be checked one by one. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a string is one of a list of literals (`as const` lists such as QUESTION_TYPES). */
export function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return list.some((item) => item === value);
}

/** The `code` an error carries (Node's, multer's, the driver's), if it is an object with one. */
export function errorCode(err: unknown): unknown {
  return isRecord(err) ? err.code : undefined;
}

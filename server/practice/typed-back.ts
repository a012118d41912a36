/**
 * What the learner typed, shaped for views/questions/_question to show again when the answer was
 * refused (a numeric answer that is not a number): the page keeps the text instead of clearing it.
 * Only the typed fields come back, as text, for display; nothing here is graded.
 */
export function typedBack(type: string, body: Record<string, unknown>, blankCount = 0): object | undefined {
  const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 1000) : '');
  if (type === 'numeric') return { type, value: str(body.value) };
  if (type === 'short') return { type, text: str(body.text) };
  if (type === 'cloze') return { type, blanks: Array.from({ length: Math.min(blankCount, 50) }, (_, i) => str(body[`blank${i + 1}`])) };
  return undefined;
}

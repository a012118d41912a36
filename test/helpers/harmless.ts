import assert from 'node:assert/strict';

/** Rich text as rendered: no element outside the Markdown subset, no event or style attribute, no unsafe link. */
export function assertHarmless(html: string, what = html): void {
  assert.doesNotMatch(html, /<(?!\/?(em|strong|code|a|br|p|ul|ol|li)\b)[a-z]/i, `an element outside the subset: ${what}`);
  assertNothingRuns(html, what);
}

/** A page (or part of one): no script, style, frame, image or SVG element, no event attribute, no unsafe link. */
export function assertNothingRuns(html: string, what = html): void {
  assert.doesNotMatch(html, /<(script|style|iframe|img|svg|object|embed)\b/i, `an element that runs or loads: ${what}`);
  assert.doesNotMatch(html, /<[^>]*\son[a-z]+\s*=/i, `an event attribute: ${what}`);
  assert.doesNotMatch(html, /<a\b[^>]*\shref="(?!https?:|mailto:|\/|#)/i, `an unsafe link: ${what}`);
  assert.doesNotMatch(html, /<(?!input|textarea|div|span|p|section|fieldset)[a-z]+\b[^>]*\sstyle\s*=/i, `a style attribute: ${what}`);
}

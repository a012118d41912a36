import { htmlToMarkdown, htmlToText } from '../../../formatting/index.ts';

/** GIFT's escapes and the search that skips them. */

const SPECIAL = /[~=#{}:\\]/g;

/** Escapes GIFT's special characters; newlines become `\n` so that a text stays on its line. */
export function escapeGift(text: string): string {
  return text.replace(SPECIAL, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');
}

export function unescapeGift(text: string): string {
  return text.replace(/\\(.)/gs, (whole, c: string) => (c === 'n' ? '\n' : '~=#{}:\\'.includes(c) ? c : whole));
}

/** Moodle's text-format markers, allowed before the question text and any answer, item or feedback. */
export const FORMAT_MARKER = /^\s*\[(html|moodle|plain|markdown)\]\s*/i;

/**
 * An unescaped text with its format marker read: [html] becomes Lectern's Markdown subset (or,
 * `asText`, its words only, for answers that are matched rather than shown); the others are kept
 * as written ([markdown] is the subset's own syntax).
 */
export function formattedText(text: string, asText = false): string {
  const m = FORMAT_MARKER.exec(text);
  if (!m) return text;
  const rest = text.slice(m[0].length);
  if (m[1]!.toLowerCase() !== 'html') return rest;
  return asText ? htmlToText(rest) : htmlToMarkdown(rest);
}

/** An answer, item or feedback as text: unescaped, trimmed, its format marker read. */
export function answerText(raw: string, asText = false): string {
  return formattedText(unescapeGift(raw).trim(), asText);
}

/** Index of the first `needle` not preceded by an escaping backslash, or -1. */
export function findUnescaped(s: string, needle: string, from = 0): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s.startsWith(needle, i)) return i;
  }
  return -1;
}

/** An error at an offset of a question's text; the parser turns the offset into a line. */
export class GiftSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

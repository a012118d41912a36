/**
 * Finding an author's quote in a passage when the two disagree only in quote marks: people type
 * straight quotes and apostrophes, papers print curly ones. The fold is one character for one,
 * so a position in the folded text is the same position in the original.
 */

const SINGLE = /[\u2018\u2019\u201A\u201B\u02BC\u2032]/g;
const DOUBLE = /[\u201C\u201D\u201E\u201F\u2033]/g;

/** Straight and typographic quotes and apostrophes as one character each (length preserved). */
export function foldQuoteMarks(text: string): string {
  return text.replace(SINGLE, "'").replace(DOUBLE, '"');
}

/** The passage's own span for a quote (curly or straight marks alike), or null when it is not there. */
export function findQuote(passageText: string, quote: string): string | null {
  if (passageText.includes(quote)) return quote;
  const at = foldQuoteMarks(passageText).indexOf(foldQuoteMarks(quote));
  return at < 0 ? null : passageText.slice(at, at + quote.length);
}

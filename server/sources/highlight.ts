/** A piece of passage text, marked when it is the quoted span. */
export interface TextPiece {
  text: string;
  mark: boolean;
}

/** Splits a passage around the first verbatim occurrence of a quote, so the page can mark it. */
export function highlightQuote(text: string, quote: string | undefined | null): TextPiece[] {
  const at = quote ? text.indexOf(quote) : -1;
  if (!quote || at < 0) return [{ text, mark: false }];
  return [
    { text: text.slice(0, at), mark: false },
    { text: quote, mark: true },
    { text: text.slice(at + quote.length), mark: false },
  ].filter((p) => p.text.length > 0);
}

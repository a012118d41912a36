import type { Block, ReadDocument } from './blocks.ts';

/** A heading line may name the slug its passages' ids use: "Water rights {#water}". */
export const HEADING_ID = /\s*\{#([a-z0-9][a-z0-9-]{0,39})\}\s*$/;

/** Whether a line reads as a heading: short, capitalised, no sentence punctuation at the end. */
function headingLike(line: string): boolean {
  const t = line.replace(HEADING_ID, '').trim();
  return t.length > 0 && t.length <= 80 && t.split(/\s+/).length <= 10 && /^[\p{Lu}\p{N}]/u.test(t) && !/[.,;:!"”’)\]]$/.test(t);
}

/**
 * Reads pasted or uploaded plain text. Paragraphs are separated by blank lines; lines inside a
 * paragraph are wrapped prose. A one-line paragraph that reads as a heading is one, and so is a
 * paragraph's first line when it is short and the next line starts a numbered note ("Endnotes" /
 * "1 Charter of ..."). Headings are guessed, so the preview says how many were found.
 */
export function readText(raw: string): ReadDocument {
  const blocks: Block[] = [];
  let guessed = 0;
  const heading = (line: string) => {
    const id = HEADING_ID.exec(line)?.[1];
    guessed += 1;
    blocks.push({ kind: 'heading', level: 2, text: line.replace(HEADING_ID, '').trim(), ...(id ? { id } : {}) });
  };
  for (const chunk of raw.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/)) {
    const lines = chunk.split('\n').filter((l) => l.trim());
    if (!lines.length) continue;
    const [first, second] = [lines[0]!, lines[1]];
    if (lines.length === 1 && headingLike(first)) {
      heading(first.trim());
      continue;
    }
    if (second !== undefined && headingLike(first) && /^\s*\d+\s+\S/.test(second)) {
      heading(first.trim());
      lines.shift();
    }
    blocks.push({ kind: 'paragraph', text: lines.join('\n') });
  }
  return { blocks, guesses: guessed ? [`Guessed ${guessed} heading${guessed === 1 ? '' : 's'} from short lines standing alone.`] : [] };
}

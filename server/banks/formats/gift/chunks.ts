import type { GiftError } from './types.ts';

/** One question's text as the file splits it (questions are separated by blank lines). */
export interface Chunk {
  /** The question's lines (comments removed) joined with newlines. */
  text: string;
  /** Line number (1-based) of each line of `text`. */
  lines: number[];
  meta?: { json: string; line: number };
}

export const META_PREFIX = /^\s*\/\/\s*lectern:/;

/** Converts an offset in a chunk's text to the file line it came from. */
export function lineOf(chunk: Chunk, offset: number): number {
  const before = chunk.text.slice(0, Math.max(0, offset)).split('\n').length - 1;
  return chunk.lines[Math.min(before, chunk.lines.length - 1)] ?? chunk.lines[0] ?? 1;
}

/** Splits a file into questions at blank lines, keeping each `// lectern:` comment with the question after it. */
export function splitChunks(text: string, errors: GiftError[]): Chunk[] {
  const chunks: Chunk[] = [];
  let pending: Chunk['meta'];
  let current: Chunk | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '') {
      current = undefined;
      return;
    }
    if (META_PREFIX.test(raw)) {
      if (current) errors.push({ line, message: 'a "// lectern:" comment must come before its question, not inside it' });
      else if (pending) errors.push({ line: pending.line, message: 'this "// lectern:" comment has no question after it' });
      pending = { json: raw.replace(META_PREFIX, ''), line };
      return;
    }
    // Whole-line comments and Moodle's category commands carry nothing Lectern keeps.
    if (trimmed.startsWith('//') || /^\$CATEGORY:/i.test(trimmed)) return;
    if (!current) {
      current = { text: '', lines: [], ...(pending ? { meta: pending } : {}) };
      pending = undefined;
      chunks.push(current);
    }
    current.text += (current.lines.length ? '\n' : '') + raw;
    current.lines.push(line);
  });
  if (pending) errors.push({ line: pending.line, message: 'this "// lectern:" comment has no question after it' });
  return chunks;
}

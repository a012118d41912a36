/** The extraction core: any document's bytes or text to sections and passages. No I/O beyond the bytes given. */
import type { ProgressFn, ReadDocument } from './blocks.ts';
import { readDocx } from './docx.ts';
import { REFUSALS, SourceFileError } from './errors.ts';
import { readMarkdown } from './markdown.ts';
import { readPdf } from './pdf.ts';
import { splitDocument, type SplitDocument } from './split.ts';
import { readText } from './text.ts';

export { REFUSALS, SourceFileError } from './errors.ts';
export type { SplitDocument } from './split.ts';
export type { ProgressFn } from './blocks.ts';

export type SourceFormat = 'text' | 'markdown' | 'pdf' | 'docx';

export interface ExtractLimits {
  maxPages: number;
  maxPassages: number;
}

/** What to read: the format, the bytes, and slugs to give headings of known titles. */
export interface ExtractInput {
  format: SourceFormat;
  bytes: Uint8Array;
  headingSlugs?: ReadonlyArray<{ title: string; slug: string }>;
}

/** The format a file is read as, from its name; the bytes must then agree (checked by the reader). */
export function formatOf(fileName: string): SourceFormat {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'txt' || ext === 'text') return 'text';
  if (ext === 'md' || ext === 'markdown') return 'markdown';
  if (ext === 'pdf') return 'pdf';
  if (ext === 'docx') return 'docx';
  throw new SourceFileError(REFUSALS.unknownType);
}

/**
 * Text files must be UTF-8 text: a NUL byte, a byte sequence that is not UTF-8, or many control
 * characters mean binary data under a text name.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.includes(0)) throw new SourceFileError(REFUSALS.binaryText);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SourceFileError(REFUSALS.binaryText);
  }
  let controls = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if ((c > 0 && c < 9) || (c > 13 && c < 32) || c === 127) controls += 1;
  }
  if (controls > Math.max(2, text.length / 1000)) throw new SourceFileError(REFUSALS.binaryText);
  return text.replace(/^\uFEFF/, '');
}

/** Reads and splits one document; refuses bad files with a SourceFileError saying why. */
export async function extractDocument(input: ExtractInput, limits: ExtractLimits, progress?: ProgressFn): Promise<SplitDocument> {
  let read: ReadDocument;
  if (input.format === 'pdf') read = await readPdf(input.bytes, limits, progress);
  else if (input.format === 'docx') {
    if (!(input.bytes[0] === 0x50 && input.bytes[1] === 0x4b)) throw new SourceFileError(REFUSALS.notDocx);
    read = await readDocx(input.bytes);
  } else {
    const text = decodeText(input.bytes);
    read = input.format === 'markdown' ? readMarkdown(text) : readText(text);
  }
  const doc = splitDocument(read, input.headingSlugs);
  if (!doc.passages.length) throw new SourceFileError(REFUSALS.empty);
  if (doc.passages.length > limits.maxPassages)
    throw new SourceFileError(
      `This document has ${doc.passages.length} passages; Lectern takes at most ${limits.maxPassages}. Upload the part you teach from.`,
    );
  return doc;
}

import { ValidationError } from '../../http/errors.ts';

/** Why a file was refused; each answer names what the instructor can do about it. */
export const REFUSALS = {
  notPdf: 'This file is not a PDF: it does not start the way every PDF does. Export it as PDF again, or upload it as text.',
  encrypted: 'This PDF is encrypted (password-protected). Remove the protection and upload it again.',
  noText: 'This PDF has no text we can read: it looks like a scan. Run it through text recognition (OCR) first, or paste the text.',
  unreadablePdf: 'This PDF is damaged and could not be read.',
  notDocx: 'This file is not a Word document (.docx). Save it as .docx, or upload it as PDF or text.',
  binaryText: 'This file is not text: it holds binary data. Upload a .txt, .md, .pdf or .docx file.',
  empty: 'This document has no text to split into passages.',
  unknownType: 'We can read .txt, .md, .pdf and .docx files only.',
} as const;

/** A document Lectern will not store; the message is shown beside the file field. */
export class SourceFileError extends ValidationError {
  override name = 'SourceFileError';
  constructor(message: string) {
    super(message, { file: message });
  }
}

/** Small PDF and DOCX files made by the tests themselves. */
import { PDFDocument, StandardFonts, PDFName, PDFString } from 'pdf-lib';
import { Document, Packer, Paragraph, HeadingLevel, TextRun, FootnoteReferenceRun } from 'docx';

export interface PdfLine {
  text: string;
  size?: number;
  /** Extra space before the line (a paragraph break). */
  gap?: number;
  /** A footnote marker set raised and small after the line. */
  marker?: string;
}

/** A PDF whose pages hold the given lines, with an optional running header and page numbers. */
export async function makePdf(
  pages: PdfLine[][],
  opts: { header?: string; pageNumbers?: boolean; outline?: string[]; title?: string } = {},
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  if (opts.title !== undefined) doc.setTitle(opts.title);
  const font = await doc.embedFont(StandardFonts.TimesRoman);
  for (const [n, lines] of pages.entries()) {
    const page = doc.addPage([595, 842]);
    if (opts.header) page.drawText(opts.header, { x: 72, y: 800, size: 9, font });
    let y = 760;
    for (const l of lines) {
      const size = l.size ?? 11;
      y -= (l.gap ?? 0) + size * 1.3;
      page.drawText(l.text, { x: 72, y, size, font });
      if (l.marker) page.drawText(l.marker, { x: 72 + font.widthOfTextAtSize(l.text, size) + 0.5, y: y + size * 0.4, size: size * 0.6, font });
    }
    if (opts.pageNumbers) page.drawText(String(n + 1), { x: 290, y: 40, size: 9, font });
  }
  return doc.save();
}

/** A PDF with nothing but a drawn rectangle on its page: what a scan without OCR reads as. */
export async function makeImageOnlyPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawRectangle({ x: 50, y: 50, width: 400, height: 600 });
  return doc.save();
}

/** A PDF whose trailer says it is encrypted with a password we do not have. */
export async function makeEncryptedPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage().drawText('secret', { x: 50, y: 50 });
  const ctx = doc.context;
  const enc = ctx.obj({ Filter: 'Standard', V: 1, R: 2, P: -4, O: PDFString.of('0'.repeat(32)), U: PDFString.of('1'.repeat(32)) });
  ctx.trailerInfo.Encrypt = ctx.register(enc);
  ctx.trailerInfo.ID = ctx.obj([PDFString.of('abc'), PDFString.of('abc')]);
  void PDFName;
  return doc.save({ useObjectStreams: false });
}

/** A DOCX with headings, paragraphs and a footnote. */
export async function makeDocx(): Promise<Uint8Array> {
  const doc = new Document({
    footnotes: { 1: { children: [new Paragraph('Charter of the organisation, 2002.')] } },
    sections: [
      {
        children: [
          new Paragraph({ text: 'Water policy', heading: HeadingLevel.HEADING_1 }),
          new Paragraph('Rivers cross borders, and so do their quarrels.'),
          new Paragraph({ text: 'Allocation', heading: HeadingLevel.HEADING_2 }),
          new Paragraph({ children: [new TextRun('Quotas are set each spring.'), new FootnoteReferenceRun(1)] }),
          new Paragraph('Trading lets farmers sell what they do not use.'),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

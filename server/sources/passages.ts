import { createHash } from 'node:crypto';

/** A paragraph of a source document, addressed by a stable id (section slug and position). */
export interface Passage {
  id: string;
  section: string;
  sectionTitle: string;
  position: number;
  text: string;
  hash: string;
  /** A footnote or endnote. */
  note?: boolean;
  /** Set by a new version of the source that no longer has this passage. */
  removed?: boolean;
}

export interface SourceSection {
  slug: string;
  title: string;
}

export interface ParsedSource {
  sections: SourceSection[];
  passages: Passage[];
}

/** The section headings of a document and the short slugs its passage ids use. */
export type HeadingMap = ReadonlyArray<{ title: string; slug: string }>;

const BODY_DIVIDER = /^# -{10,}\s*$/m;

/** Folds the hard-wrapped lines of a paragraph into one line, so quotes can be matched verbatim. */
export function normaliseParagraph(lines: string): string {
  return lines.replace(/\s+/g, ' ').trim();
}

/** Short content hash of a passage: lets a bank notice that the text it cites has changed. */
export function passageHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * Splits a plain-text source into sections and passages. Paragraphs are separated by blank lines;
 * a paragraph equal to a known heading starts a new section; text before the first heading is the
 * introduction. In an "endnotes" section every numbered line starts its own passage.
 */
export function splitSource(raw: string, headings: HeadingMap, introSlug = 'intro'): ParsedSource {
  const divider = BODY_DIVIDER.exec(raw);
  const body = divider ? raw.slice(divider.index + divider[0].length) : raw;
  const sections: SourceSection[] = [{ slug: introSlug, title: 'Introduction' }];
  const passages: Passage[] = [];
  let current = sections[0]!;
  let position = 0;

  const push = (text: string) => {
    position += 1;
    passages.push({
      id: `${current.slug}-${position}`,
      section: current.slug,
      sectionTitle: current.title,
      position,
      text,
      hash: passageHash(text),
    });
  };

  for (let block of body.split(/\n\s*\n/)) {
    // A heading is its own first line; the extraction sometimes runs its paragraph on after it.
    const firstLine = normaliseParagraph(block.split('\n', 1)[0] ?? '');
    const heading = headings.find((h) => h.title === firstLine);
    if (heading) {
      current = { slug: heading.slug, title: heading.title };
      sections.push(current);
      position = 0;
      block = block.slice(block.indexOf('\n') + 1 || block.length);
    }
    const text = normaliseParagraph(block);
    if (!text) continue;
    if (current.slug === 'endnotes') {
      // Endnotes wrap across lines; a line that starts with a number starts a new note.
      const notes = block
        .split(/\n(?=\s*\d+\s)/)
        .map(normaliseParagraph)
        .filter(Boolean);
      notes.forEach(push);
    } else {
      push(text);
    }
  }
  return { sections, passages };
}

import { slugify } from '../../slug.ts';
import { passageHash, type Passage, type ParsedSource, type SourceSection } from '../passages.ts';
import type { ReadDocument } from './blocks.ts';
import { joinLines, normaliseSpace, rejoinLigatures, vocabulary, type RepairCounts } from './repair.ts';

/** A section whose numbered lines are notes, each its own passage. */
const NOTES_TITLE = /^(?:end\s?notes|foot\s?notes|notes)$/i;
const INTRO: SourceSection = { slug: 'intro', title: 'Introduction' };

/** A document split into sections and passages, with what had to be guessed or repaired. */
export interface SplitDocument extends ParsedSource {
  title: string | undefined;
  guesses: string[];
  pages: number | undefined;
}

/**
 * Splits a read document into sections (one per heading; text before the first is the
 * introduction) and passages (one per paragraph; in a notes section one per numbered note).
 * Ids are the section slug and the passage's position in it, so the same text always gets the
 * same ids; a heading may name its slug ({#slug}), or the caller may give slugs by title.
 */
export function splitDocument(doc: ReadDocument, headingSlugs: ReadonlyArray<{ title: string; slug: string }> = []): SplitDocument {
  const guesses = [...doc.guesses];
  const all = doc.blocks.map((b) => b.text).join('\n');
  const vocab = vocabulary(all);
  const counts: RepairCounts = { hyphenation: 0, ligatures: 0 };
  const clean = (raw: string) => rejoinLigatures(joinLines(raw.split('\n'), vocab, counts), vocab, counts);

  let title = doc.title;
  let blocks = doc.blocks;
  const first = blocks[0];
  if (!title && first?.kind === 'heading' && first.level === 1 && !blocks.slice(1).some((b) => b.kind === 'heading' && b.level === 1)) {
    title = normaliseSpace(first.text);
    blocks = blocks.slice(1);
  }

  const sections: SourceSection[] = [INTRO];
  const passages: Passage[] = [];
  const used = new Set([INTRO.slug]);
  let current = INTRO;
  let position = 0;
  const openSection = (section: SourceSection) => {
    sections.push(section);
    used.add(section.slug);
    current = section;
    position = passages.filter((p) => p.section === section.slug).length;
  };
  const uniqueSlug = (wanted: string) => {
    const base = slugify(wanted, 40) || 'section';
    let slug = base;
    for (let n = 2; used.has(slug); n += 1) slug = `${base}-${n}`;
    return slug;
  };
  const push = (text: string, note = false) => {
    if (!text) return;
    position += 1;
    passages.push({
      id: `${current.slug}-${position}`,
      section: current.slug,
      sectionTitle: current.title,
      position,
      text,
      hash: passageHash(text),
      ...(note ? { note: true } : {}),
    });
  };

  const notes: string[] = [];
  for (const block of blocks) {
    if (block.kind === 'heading') {
      const text = normaliseSpace(block.text);
      // A slug given for this title (a previous version's, or the shipped paper's) keeps its ids.
      const given = headingSlugs.find((h) => h.title === text)?.slug;
      if (text) openSection({ slug: uniqueSlug(block.id ?? given ?? text), title: text });
    } else if (block.kind === 'note') {
      notes.push(clean(block.text));
    } else if (NOTES_TITLE.test(current.title)) {
      // Notes wrap across lines; a line that starts with a number starts the next note.
      for (const note of block.text.split(/\n(?=\s*\d+\s)/)) push(clean(note), true);
    } else {
      push(clean(block.text));
    }
  }
  if (notes.length) {
    const existing = sections.find((s) => NOTES_TITLE.test(s.title));
    if (existing) {
      current = existing;
      position = passages.filter((p) => p.section === existing.slug).length;
    } else openSection({ slug: uniqueSlug('notes'), title: 'Notes' });
    for (const n of notes) push(n, true);
  }

  const kept = sections.filter((s) => s !== INTRO || passages.some((p) => p.section === INTRO.slug));
  if (kept.length === 1 && passages.length > 1) guesses.push('No headings found: the document is one section.');
  if (counts.hyphenation) guesses.push(`Rejoined ${counts.hyphenation} word${counts.hyphenation === 1 ? '' : 's'} hyphenated at line ends.`);
  if (counts.ligatures) guesses.push(`Rejoined ${counts.ligatures} word${counts.ligatures === 1 ? '' : 's'} split at ligatures (such as "fi gures").`);
  if (notes.length) guesses.push(`${notes.length} note${notes.length === 1 ? '' : 's'} became passages of their own.`);
  return { title, sections: kept, passages, guesses, pages: doc.pages };
}

import type { MasteryGroup } from './mastery.ts';
import { percentValue } from '../formatting/index.ts';

/**
 * The paper map: every passage of a source as a block, shaded by how well the questions that
 * cite it are known. Shades are five bands, each with a text label (never colour alone).
 */

export interface MapPassage {
  id: string;
  section: string;
  sectionTitle: string;
  text: string;
}

/** The shade bands, low to high; 'none' = no question cites it, 'unstudied' = not yet studied. */
export const SHADES = ['none', 'unstudied', 'weak', 'shaky', 'fair', 'good', 'strong'] as const;
export type Shade = (typeof SHADES)[number];

export interface MapBlock {
  id: string;
  /** The start of the passage, for the block's text. */
  excerpt: string;
  shade: Shade;
  /** Mastery as a whole percentage; null when not yet studied or nothing cites it. */
  percent: number | null;
  /** What the block says in words: "72% known", "Not yet studied", "No questions". */
  label: string;
  questions: number;
  studied: number;
}

export interface MapSection {
  slug: string;
  title: string;
  blocks: MapBlock[];
}

/** The band of a mastery percentage. */
export function shadeOf(pct: number | null, questions: number): Shade {
  if (questions === 0) return 'none';
  if (pct === null) return 'unstudied';
  if (pct < 40) return 'weak';
  if (pct < 60) return 'shaky';
  if (pct < 75) return 'fair';
  if (pct < 90) return 'good';
  return 'strong';
}

/** The first words of a passage, cut at a word boundary. */
export function excerptOf(text: string, max = 90): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const at = cut.lastIndexOf(' ');
  return `${(at > max / 2 ? cut.slice(0, at) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

/**
 * Builds the map of one source from its passages and the mastery per passage (keyed by passage id).
 * `noneLabel` names a passage without questions: the class map counts only assigned quiz questions.
 */
export function paperMap(passages: readonly MapPassage[], byPassage: ReadonlyMap<string, MasteryGroup>, noneLabel = 'No questions'): MapSection[] {
  const sections: MapSection[] = [];
  for (const p of passages) {
    let section = sections[sections.length - 1];
    if (!section || section.slug !== p.section) {
      section = { slug: p.section, title: p.sectionTitle, blocks: [] };
      sections.push(section);
    }
    const g = byPassage.get(p.id);
    const questions = g?.questions ?? 0;
    const pct = g ? percentValue(g.mastery) : null;
    const shade = shadeOf(pct, questions);
    const label = shade === 'none' ? noneLabel : pct === null ? 'Not yet studied' : `${pct}% known`;
    section.blocks.push({ id: p.id, excerpt: excerptOf(p.text), shade, percent: pct, label, questions, studied: g?.studied ?? 0 });
  }
  return sections;
}

/**
 * A draft: a question written from one sentence of a document, for an instructor to approve. Its
 * key is the passage's own words (a span found by nlp.ts), its quote is the sentence verbatim, and
 * its `key` names the fact it asks, stably across runs, so a rejected draft is recognised next time.
 */
import { createHash } from 'node:crypto';
import { TOPIC_SLUG, type Difficulty, type Level, type QuestionDefinition, type Topic } from '../questions/definition.ts';
import { slugify } from '../slug.ts';
import { normaliseAnswer } from '../questions/normalise-answer.ts';
import type { Sentence, Span, SpanKind } from './nlp.ts';

/** What drafting reads of a source: any document split into passages (server/sources). */
export interface SourcePassage {
  id: string;
  sectionTitle: string;
  text: string;
}

export const DRAFT_KINDS = ['cloze', 'short', 'numeric', 'mcq', 'truefalse', 'matching', 'ordering'] as const;
export type DraftKind = (typeof DRAFT_KINDS)[number];

export interface Draft {
  /** The fact asked, stable across runs: kind, passage, quote and answer. */
  key: string;
  kind: DraftKind;
  passageId: string;
  sectionTitle: string;
  question: QuestionDefinition;
  /** The key terms the draft turns on (shown to the instructor beside the topics). */
  terms: string[];
  /** How informative the sentence and the blank are, 0..1 (ranking adds the quality flags). */
  informativeness: number;
  /** A true/false draft and its swapped twin share this; ranking keeps one of them. */
  pairKey?: string;
}

/** One mention of a kind somewhere in the document: where distractors and swaps come from. */
export interface Mention {
  text: string;
  value?: number;
  sub?: Span['sub'];
  passageId: string;
  sectionTitle: string;
}

/** The whole document as the generators see it. */
export interface DocumentIndex {
  passages: readonly SourcePassage[];
  sentences: ReadonlyMap<string, readonly Sentence[]>;
  /** Distinct mentions by kind, in document order (first mention kept). */
  mentions: ReadonlyMap<SpanKind, readonly Mention[]>;
  /** "WHO" → "World Health Organization", as the document defines them. */
  abbreviations: ReadonlyMap<string, string>;
  /** What the document is about (its most named organisation, person or place): never a key, as it is guessed without reading. */
  subject: ReadonlySet<string>;
  /** The text of the whole document, folded, to check a changed statement is not said elsewhere. */
  folded: string;
}

/** What a generator is given: one sentence of one passage, the document, and a random source. */
export interface SentenceInput {
  passage: SourcePassage;
  sentence: Sentence;
  index: DocumentIndex;
  random: () => number;
}

/** Short stable hex hash. */
export function hashOf(...parts: string[]): string {
  return createHash('sha1').update(parts.join('\u0000')).digest('hex').slice(0, 12);
}

// Drafting folds the same few hundred names many thousand times; a bounded memo keeps that cheap.
const folded = new Map<string, string>();

/** Folded for comparisons: case, punctuation and quote marks do not make two texts differ. */
export function fold(text: string): string {
  let f = folded.get(text);
  if (f === undefined) {
    if (folded.size > 20_000) folded.clear();
    f = normaliseAnswer(text);
    folded.set(text, f);
  }
  return f;
}

/** The forms of a name the document uses: a name and its abbreviation ("WHO" and "World Health Organization"). */
export function variantsOf(text: string, index: DocumentIndex): string[] {
  const out = [text];
  const full = index.abbreviations.get(text);
  if (full) out.push(full);
  for (const [abbr, name] of index.abbreviations) if (fold(name) === fold(text)) out.push(abbr);
  // "1990’s" is also written "1990s".
  if (/\d[’']s$/.test(text)) out.push(text.replace(/[’']s$/, 's'));
  return [...new Set(out)];
}

/** Whether two mentions name the same thing (same words, or a name and its abbreviation). */
export function sameThing(a: string, b: string, index: DocumentIndex): boolean {
  const fa = fold(a);
  return variantsOf(b, index).some((v) => fold(v) === fa);
}

const KIND_WORD: Record<SpanKind, string> = {
  person: 'person',
  place: 'place',
  organisation: 'organisation',
  date: 'date',
  year: 'year',
  number: 'number',
  percent: 'percentage',
};

/** The noun a prompt asks for: "which place", "which year". */
export const kindWord = (kind: SpanKind): string => KIND_WORD[kind];

/** The sentence with one or more spans replaced (offsets are the passage's; the sentence's start is subtracted). */
export function replaceSpans(sentence: Sentence, spans: readonly Span[], by: (span: Span, i: number) => string): string {
  let out = '';
  let at = sentence.start;
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  sorted.forEach((s, i) => {
    out += sentence.text.slice(at - sentence.start, s.start - sentence.start) + by(s, i);
    at = s.end;
  });
  return out + sentence.text.slice(at - sentence.start);
}

/**
 * Topics for a draft: the section heading it comes from, then its key term and, for a dated key,
 * "dates". Topics are a bank's own (server/questions/definition.ts), so these are slugs an
 * instructor keeps, renames or maps onto the bank's topics when accepting the draft.
 */
export function suggestTopics(sectionTitle: string, keyTerms: readonly string[], keyKind: SpanKind | null): Topic[] {
  const topics = new Set<Topic>();
  const add = (text: string) => {
    const s = slugify(text, 40);
    if (s && TOPIC_SLUG.test(s)) topics.add(s);
  };
  add(sectionTitle);
  if (keyKind === 'date' || keyKind === 'year') add('dates');
  for (const t of keyTerms) if (topics.size < 3 && keyKind !== 'date' && keyKind !== 'year' && keyKind !== 'number' && keyKind !== 'percent') add(t);
  if (!topics.size) topics.add('general');
  return [...topics].slice(0, 3);
}

/** Difficulty from what must be recalled: a name in a short sentence is easy, a number in a long one hard. */
export function suggestDifficulty(sentence: string, keyKind: SpanKind | null, blanks = 1): Difficulty {
  const words = sentence.split(/\s+/).length;
  let points = blanks - 1 + (words > 30 ? 1 : 0);
  if (keyKind === 'number' || keyKind === 'percent' || keyKind === 'date') points += 1;
  return points <= 0 ? 'easy' : points === 1 ? 'medium' : 'hard';
}

/** Cognitive level: a sentence that gives a reason or a contrast asks for understanding, a fact for recall. */
export function suggestLevel(sentence: string): Level {
  return /\b(?:because|since|so that|therefore|thus|as a result|due to|in order to|however|although|whereas|but|rather than|instead)\b/i.test(sentence)
    ? 'understand'
    : 'recall';
}

/** The explanation: what the document says, in its words, and where. */
export function explanationFrom(sentence: string, sectionTitle: string): string {
  return `The document says, in "${sectionTitle}": “${sentence}”`;
}

/** Informativeness of a sentence for a question: typed facts, a standalone subject, a sensible length. */
export function sentenceScore(sentence: Sentence): number {
  const words = sentence.text.split(/\s+/).length;
  let score = Math.min(1, sentence.spans.length / 3) * 0.5;
  if (words >= 8 && words <= 40) score += 0.3;
  else if (words >= 6 && words <= 60) score += 0.1;
  // "It", "This", "They": the sentence leans on the one before and reads badly alone.
  if (!/^(?:It|Its|This|These|That|Those|They|Their|Such|He|She|His|Her|And|But|Or)\b/.test(sentence.text)) score += 0.2;
  return Math.round(score * 100) / 100;
}

/** Informativeness of a blank by kind: a name or a figure is a fact; a small count ("two") says little. */
export function spanScore(span: Span): number {
  if (span.kind === 'number' && (span.value ?? 0) < 3) return 0.2;
  if (span.kind === 'organisation' && span.text.length <= 2) return 0.3;
  return { person: 1, place: 0.8, organisation: 0.9, date: 1, year: 0.9, number: 0.6, percent: 1 }[span.kind];
}

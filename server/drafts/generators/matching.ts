import nlp from 'compromise';
import type { Sentence } from '../nlp.ts';
import { fold, hashOf, sameThing, suggestLevel, suggestTopics, variantsOf, type Draft, type DocumentIndex, type SourcePassage } from '../draft.ts';
import { MIN_MATCHING_PAIRS } from '../../banks/quality/structure.ts';
import { contentStems, jaccard } from '../../banks/quality/text.ts';
import { MAX_SENTENCE } from './blanks.ts';
import { citeMost } from './cite.ts';

/** Most pairs in one draft: more is a chore to match, and the definition allows ten. */
export const MAX_MATCHING_PAIRS = 6;
/** A left or right side longer than this is refused by the definition. */
const MAX_SIDE = 300;

interface Pair {
  left: string;
  right: string;
  /** A term and its definition ("X is a …"), rather than an actor and what it did. */
  definition: boolean;
  passage: SourcePassage;
  sentence: Sentence;
}

/** Openers that lean on the sentence before, or are no term at all ("This was …", "There is …"). */
const NO_TERM =
  /^(?:It|Its|This|These|That|Those|They|Their|There|Here|Such|He|She|His|Her|We|Our|One|Some|Many|Most|All|Both|Each|Every|Any|No|None|Other|Another|Neither|Either|However|Thus|Yet|But|And|Or|So|Instead|Also|Even|Only)\b/;
/**
 * "X is/was/means …": a term of one to four words (or "Beijing’s strategic goal", a name's thing)
 * and what the document says it is.
 */
const DEFINITION =
  /^((?:(?:The|A|An)\s+)?(?:[A-Z][\p{L}-]*(?:\s+[A-Z][\p{L}-]*)*[’']s\s+)?[\p{L}-]+(?:\s+[\p{L}-]+){0,3})\s+(is|are|was|were|means|refers to|denotes|is defined as|is known as)\s+(.+?)[.!?]?$/u;
/** A term that is no name is defined only as a thing ("… is a forum …", "… is the Regional …"), not by a judgement ("… is unlikely"). */
const CLASS_OF = /^(?:(?:an?|the|one of|another|any|its|their)\b|[A-Z])/;
/** Capitalised words that make a longer name of a place: "Central Asia" tagged as "Asia". */
const NAME_PREFIX = /^(?:The\s+)?(?:(?:Central|North|South|East|West|Northern|Southern|Eastern|Western|Upper|Lower|Greater|New)\s+)*$/;

const isNamed = (kind: string) => kind === 'organisation' || kind === 'place' || kind === 'person';

interface TermJson {
  offset: { start: number };
  terms: Array<{ tags: string[] }>;
}

/**
 * Whether what follows the actor reads as something said of it: no list or clause starts it, and
 * it holds a verb (tagged in the whole sentence: alone, "requested full membership" reads as a noun).
 */
function readsAsPredicate(sentence: Sentence, from: number, right: string): boolean {
  if (right.length > MAX_SIDE || right.includes('->') || /\n/.test(right) || right.split(/\s+/).length < 4) return false;
  if (/^(?:[’']s\b|[,(—–;:]|and\b|or\b|nor\b)/.test(right)) return false;
  const terms = nlp(sentence.text).terms().json({ offset: true }) as TermJson[];
  return terms.some((t) => t.offset.start >= from - sentence.start && t.terms[0]!.tags.includes('Verb'));
}

/** The pair a sentence makes, if any: a defined term, or a named actor opening the sentence and what it says of it. */
function pairOf(passage: SourcePassage, sentence: Sentence, index: DocumentIndex): Pair | null {
  if (sentence.text.length > MAX_SENTENCE || NO_TERM.test(sentence.text)) return null;
  const named = (text: string) => sentence.spans.some((s) => isNamed(s.kind) && s.text === text);
  const def = DEFINITION.exec(sentence.text);
  if (def && !/\b(?:and|or|not|no)\b/.test(def[1]!)) {
    const [, term, verb, right] = def as unknown as [string, string, string, string];
    const bare = term.replace(/^(?:The|A|An)\s+/, '');
    // A name may be said to be anything; another term only a thing, or what it "means".
    if (
      !index.subject.has(bare) &&
      (named(bare) || !/^(?:is|are|was|were)$/.test(verb) || CLASS_OF.test(right)) &&
      right.length <= MAX_SIDE &&
      right.split(/\s+/).length >= 3 &&
      !right.includes('->')
    ) {
      return { left: term, right, definition: true, passage, sentence };
    }
  }
  const lead = sentence.spans.find((s) => isNamed(s.kind) && NAME_PREFIX.test(passage.text.slice(sentence.start, s.start)));
  if (!lead) return null;
  const left = passage.text.slice(sentence.start, lead.end).replace(/^The\s+/, '');
  // "The World Health Organization (WHO) was founded …": what follows the abbreviation is said of it.
  const right = passage.text
    .slice(lead.end, sentence.end)
    .replace(/[.!?]$/, '')
    .replace(/^\s*\([A-Z][A-Za-z0-9&]{1,11}\)/, '')
    .trim();
  if (index.subject.has(lead.text) || !readsAsPredicate(sentence, lead.end, right)) return null;
  return { left, right, definition: false, passage, sentence };
}

/** Whether a pair's right side names a left (its own gives its match away, another's misleads). */
function names(right: string, left: string, index: DocumentIndex): boolean {
  const r = ` ${fold(right)} `;
  if (variantsOf(left, index).some((v) => r.includes(` ${fold(v)} `))) return true;
  // "China" in "Chinese", "Russia" in "Russian".
  const head = fold(left).split(' ').pop()!;
  return head.length >= 4 && new RegExp(`\\b${head.slice(0, Math.max(4, head.length - 1))}`).test(r);
}

/**
 * Whether a right side fits another left as well: the document says much the same of that other
 * one (60% of its words in a sentence naming it), or the two rights say much the same.
 */
function fitsAnother(p: Pair, q: Pair, index: DocumentIndex): boolean {
  const mine = [...contentStems(p.right)];
  if (jaccard(new Set(mine), contentStems(q.right)) >= 0.5) return true;
  if (mine.length < 2) return false;
  for (const passage of index.passages) {
    for (const s of index.sentences.get(passage.id) ?? []) {
      if (s === p.sentence || (!s.spans.some((x) => sameThing(x.text, q.left, index)) && !` ${fold(s.text)} `.includes(` ${fold(q.left)} `))) continue;
      const theirs = contentStems(s.text);
      if (mine.filter((m) => theirs.has(m)).length >= 0.6 * mine.length) return true;
    }
  }
  return false;
}

/** Whether a pair may join the others: a new left, a right naming none of them, and nothing that fits two. */
function fits(p: Pair, chosen: readonly Pair[], index: DocumentIndex): boolean {
  if (names(p.right, p.left, index)) return false;
  return chosen.every(
    (q) =>
      !sameThing(q.left, p.left, index) &&
      fold(q.right) !== fold(p.right) &&
      !names(p.right, q.left, index) &&
      !names(q.right, p.left, index) &&
      !fitsAnother(p, q, index) &&
      !fitsAnother(q, p, index),
  );
}

/** The explanation: every sentence the pairs come from, in the document's words. */
function explanationOf(sectionTitle: string, pairs: readonly Pair[]): string {
  const quoted = `In “${sectionTitle}”, the document says: ${[...new Set(pairs.map((p) => `“${p.sentence.text}”`))].join(' ')}`;
  return quoted.length <= 2000 ? quoted : `In “${sectionTitle}”: ${pairs.map((p) => `${p.left}: ${p.right}.`).join(' ')}`.slice(0, 2000);
}

/**
 * Matching drafts: from one section, four to six terms and what the document says they are, or
 * actors and what it says of each (never the two mixed); each right side is the document's own words. A pair is left out when
 * it could be matched two ways (two rights alike, or the document says the same of another left)
 * or when its right side names a left. The draft cites the passage holding most of its pairs.
 */
export function matchingDrafts(index: DocumentIndex): Draft[] {
  // Terms and actors are matched apart: a definition reads as a noun, what an actor did as a verb,
  // so mixed together the grammar alone would sort the pairs in two.
  const groups = new Map<string, Pair[]>();
  for (const passage of index.passages) {
    for (const sentence of index.sentences.get(passage.id) ?? []) {
      const pair = pairOf(passage, sentence, index);
      const group = `${passage.sectionTitle}\u0000${pair?.definition}`;
      if (pair) (groups.get(group) ?? groups.set(group, []).get(group)!).push(pair);
    }
  }
  const drafts: Draft[] = [];
  for (const all of groups.values()) {
    const sectionTitle = all[0]!.passage.sectionTitle;
    // The passage with most pairs first, so the quote proves as many of them as it can.
    const count = (id: string) => all.filter((p) => p.passage.id === id).length;
    let rest = [...all].sort((a, b) => count(b.passage.id) - count(a.passage.id));
    while (rest.length >= MIN_MATCHING_PAIRS) {
      const pairs: Pair[] = [];
      for (const p of rest) if (pairs.length < MAX_MATCHING_PAIRS && fits(p, pairs, index)) pairs.push(p);
      if (pairs.length < MIN_MATCHING_PAIRS) break;
      rest = rest.filter((p) => !pairs.includes(p) && !pairs.some((q) => sameThing(q.left, p.left, index)));
      // Shown in the document's order.
      pairs.sort((a, b) => index.passages.indexOf(a.passage) - index.passages.indexOf(b.passage) || a.sentence.start - b.sentence.start);
      const { passage, quote, covered } = citeMost(pairs);
      const key = hashOf('matching', sectionTitle, ...pairs.map((p) => p.left));
      const definitions = pairs[0]!.definition;
      const understand = pairs.filter((p) => suggestLevel(p.sentence.text) === 'understand').length * 2 >= pairs.length;
      drafts.push({
        key,
        kind: 'matching',
        passageId: passage.id,
        sectionTitle,
        terms: pairs.map((p) => p.left),
        informativeness: Math.round((0.8 + (covered.length / pairs.length) * 0.2) * 100) / 100,
        question: {
          id: `d-${key}`,
          type: 'matching',
          prompt: definitions
            ? `Match each term to what it is, as “${sectionTitle}” defines it.`
            : `Match each one to what the document says of it in “${sectionTitle}”.`,
          pairs: pairs.map((p) => ({ left: p.left, right: p.right })),
          topics: suggestTopics(sectionTitle, [], null),
          difficulty: pairs.length > 4 || new Set(pairs.map((p) => p.passage.id)).size > 2 ? 'hard' : 'medium',
          level: understand ? 'understand' : 'recall',
          source: { passageId: passage.id, quote },
          explanation: explanationOf(sectionTitle, pairs),
        },
      });
    }
  }
  return drafts;
}

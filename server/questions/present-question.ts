import type { QuestionDefinition, QuestionType } from './definition.ts';
import { opaqueId } from './opaque-id.ts';
import { shuffle } from './random.ts';

/**
 * What a learner is shown: plain JSON (an attempt freezes it), and never the key. Choice ids are
 * the author's; matching and ordering ids are hashes of the item text (see opaque-id.ts).
 */

/** An item a learner can pick or place: an id to send back and the text to show. */
export interface PresentedItem {
  id: string;
  text: string;
}

/** A piece of cloze text: words to show, or the number (1-based) of a blank to fill in. */
export type ClozeSegment = { kind: 'text'; text: string } | { kind: 'blank'; blank: number };

interface PresentedBase<T extends QuestionType> {
  id: string;
  type: T;
  prompt: string;
}

/** One choice to pick; choices in authored order, or shuffled by the caller's rng. */
export type PresentedMcq = PresentedBase<'mcq'> & { choices: PresentedItem[] };
/** Any number of choices to tick (how many is not said, as in Moodle). */
export type PresentedMulti = PresentedBase<'multi'> & { choices: PresentedItem[] };
/** A statement to judge. */
export type PresentedTrueFalse = PresentedBase<'truefalse'>;
/** A prompt answered in a few words. */
export type PresentedShort = PresentedBase<'short'>;
/** A number to type, with the unit shown beside the input. */
export type PresentedNumeric = PresentedBase<'numeric'> & { unit?: string };
/** Text with numbered blanks to fill in. */
export type PresentedCloze = PresentedBase<'cloze'> & { segments: ClozeSegment[]; blankCount: number };
/** Lefts to match with rights; ids are text hashes and rights are never in pairing order. */
export type PresentedMatching = PresentedBase<'matching'> & { lefts: PresentedItem[]; rights: PresentedItem[] };
/** Items to put in order; ids are text hashes and the order shown is never the answer. */
export type PresentedOrdering = PresentedBase<'ordering'> & { items: PresentedItem[] };

/** An essay to write in a textarea; `wordLimit` is shown (and enforced when saving). */
export type PresentedEssay = PresentedBase<'essay'> & { wordLimit?: number; maxMark: number };
/**
 * A self-rated card: the front, and the back to reveal before the learner says whether they knew
 * it. The back is the key, but a card is never in a graded quiz, so there is nothing to hide.
 */
export type PresentedCard = PresentedBase<'card'> & { back: string };

/** A question as a learner sees it, one shape per type. */
export type PresentedQuestion =
  | PresentedMcq
  | PresentedMulti
  | PresentedTrueFalse
  | PresentedShort
  | PresentedNumeric
  | PresentedCloze
  | PresentedMatching
  | PresentedOrdering
  | PresentedEssay
  | PresentedCard;

const byText = (a: PresentedItem, b: PresentedItem) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);

/** Without a random source the order must still hide the key, so it is alphabetical, not authored. */
function hiddenOrder(items: PresentedItem[], rng?: () => number): PresentedItem[] {
  return rng ? shuffle(items, rng) : [...items].sort(byText);
}

/** Splits cloze text at its {{n}} marks. */
export function clozeSegments(text: string): ClozeSegment[] {
  const segments: ClozeSegment[] = [];
  let last = 0;
  for (const m of text.matchAll(/\{\{(\d+)\}\}/g)) {
    if (m.index > last) segments.push({ kind: 'text', text: text.slice(last, m.index) });
    segments.push({ kind: 'blank', blank: Number(m[1]) });
    last = m.index + m[0].length;
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  return segments;
}

const asItem = (text: string): PresentedItem => ({ id: opaqueId(text), text });

/** Derives what a learner sees from a definition; choices, rights and items are shuffled when `rng` is given. */
export function presentQuestion(def: QuestionDefinition, rng?: () => number): PresentedQuestion {
  const base = { id: def.id, prompt: def.prompt };
  switch (def.type) {
    case 'mcq':
    case 'multi': {
      const choices = def.choices.map((c) => ({ id: c.id, text: c.text }));
      return { ...base, type: def.type, choices: rng ? shuffle(choices, rng) : choices };
    }
    case 'truefalse':
    case 'short':
      return { ...base, type: def.type };
    case 'numeric':
      return def.unit ? { ...base, type: 'numeric', unit: def.unit } : { ...base, type: 'numeric' };
    case 'cloze':
      return { ...base, type: 'cloze', segments: clozeSegments(def.text), blankCount: def.blanks.length };
    case 'matching':
      return {
        ...base,
        type: 'matching',
        // Lefts keep the authored order (it reveals nothing while the rights are mixed).
        lefts: def.pairs.map((p) => asItem(p.left)),
        rights: hiddenOrder(
          def.pairs.map((p) => asItem(p.right)),
          rng,
        ),
      };
    case 'ordering':
      return { ...base, type: 'ordering', items: hiddenOrder(def.items.map(asItem), rng) };
    case 'essay':
      // Neither the rubric nor the model answer: they are the grader's, and the key.
      return { ...base, type: 'essay', maxMark: def.maxMark, ...(def.wordLimit ? { wordLimit: def.wordLimit } : {}) };
    case 'card':
      return { ...base, type: 'card', back: def.back };
  }
}

/** The order of what a learner sees, as ids: all an attempt needs to store to show the same question again. */
export interface PresentationOrder {
  choices?: string[];
  rights?: string[];
  items?: string[];
}

/** Records the shuffled order of a presented question. */
export function presentationOrder(q: PresentedQuestion): PresentationOrder {
  switch (q.type) {
    case 'mcq':
    case 'multi':
      return { choices: q.choices.map((c) => c.id) };
    case 'matching':
      return { rights: q.rights.map((r) => r.id) };
    case 'ordering':
      return { items: q.items.map((i) => i.id) };
    default:
      return {};
  }
}

/** Orders items by a stored list of ids; items missing from it (the question was edited) go last, alphabetically. */
function inStoredOrder(items: PresentedItem[], ids: readonly string[] | undefined): PresentedItem[] {
  if (!ids) return items;
  const rank = new Map(ids.map((id, i) => [id, i]));
  const known = items.filter((i) => rank.has(i.id)).sort((a, b) => rank.get(a.id)! - rank.get(b.id)!);
  const rest = items.filter((i) => !rank.has(i.id)).sort(byText);
  return [...known, ...rest];
}

/** Presents a question again in the order an attempt froze, with the definition's current text. */
export function presentInOrder(def: QuestionDefinition, order: PresentationOrder): PresentedQuestion {
  const q = presentQuestion(def);
  switch (q.type) {
    case 'mcq':
    case 'multi':
      return { ...q, choices: inStoredOrder(q.choices, order.choices) };
    case 'matching':
      return { ...q, rights: inStoredOrder(q.rights, order.rights) };
    case 'ordering':
      return { ...q, items: inStoredOrder(q.items, order.items) };
    default:
      return q;
  }
}

import { questionDefinition, TOPIC_SLUG, type QuestionDefinition } from '../../questions/definition.ts';
import { slugify } from '../../slug.ts';
import type { IdAllocator } from '../unique-ids.ts';
import type { GiftDefaults, GiftError, GiftQuestion } from './gift/types.ts';

/* A front/back card from a foreign deck (Anki, Quizlet), checked like any question. */

/** What a card is told when the deck says nothing: shown on the flashcard's back. */
export const DEFAULT_CARD_EXPLANATION = 'From an imported deck: say how well you knew the back.';

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export interface CardFields {
  front: string;
  back: string;
  /** Tags from the deck: those that are the bank's topics become its topics. */
  tags?: string[];
  /** An id the deck carries (Anki's guid column, as Lectern exports it). */
  id?: string;
  line: number;
}

/** The card as a question, or the reason (at its line) why it cannot be one. */
export function buildCard(fields: CardFields, defaults: GiftDefaults, ids: IdAllocator): GiftQuestion | GiftError {
  const { line } = fields;
  const front = fields.front.trim();
  const back = fields.back.trim();
  if (!front) return { line, message: 'the front (first field) is empty' };
  if (!back) return { line, message: 'the back (second field) is empty' };
  if (!defaults.source) return { line, message: 'no source: a deck cannot say one, so choose a default passage and quote' };
  const known = new Set(defaults.bankTopics ?? []);
  const tagged = [...new Set((fields.tags ?? []).map((t) => t.toLowerCase()).filter((t) => TOPIC_SLUG.test(t) && known.has(t)))].slice(0, 5);
  const topics = tagged.length ? tagged : defaults.topics;
  if (!topics) return { line, message: 'no topics: none of its tags is a topic of this bank, so choose a default topic' };
  const candidate = {
    id: 'card',
    prompt: front,
    topics,
    difficulty: defaults.difficulty ?? 'medium',
    source: defaults.source,
    explanation: defaults.explanation ?? DEFAULT_CARD_EXPLANATION,
    type: 'card' as const,
    back,
  };
  const parsed = questionDefinition.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const what = issue.path[0] === 'prompt' ? 'the front' : issue.path[0] === 'back' ? 'the back' : String(issue.path.join('.') || 'card');
    return { line, message: `${what}: ${issue.code === 'too_big' ? `too long (at most ${String(issue.maximum)} characters)` : issue.message}` };
  }
  const given = fields.id && ID.test(fields.id) ? fields.id : '';
  const wanted = given || slugify(front, 64) || 'card';
  const definition: QuestionDefinition = { ...parsed.data, id: ids.take(wanted, wanted.slice(0, 60)) };
  return { definition, line };
}

/** A question as the two sides of a card, for decks: a card as it is; any other question as its prompt and its answer. */
export function cardSides(def: QuestionDefinition, answerKey: (d: QuestionDefinition) => string): { front: string; back: string } {
  if (def.type === 'card') return { front: def.prompt, back: def.back };
  const letter = (i: number) => String.fromCharCode(65 + i);
  let front = def.prompt;
  if (def.type === 'mcq' || def.type === 'multi') front += `\n\n${def.choices.map((c, i) => `${letter(i)}. ${c.text}`).join('\n')}`;
  if (def.type === 'cloze') front += `\n\n${def.text.replace(/\{\{\d+\}\}/g, '_____')}`;
  if (def.type === 'matching') front += `\n\n${def.pairs.map((p) => p.left).join('\n')}`;
  return { front, back: answerKey(def) };
}

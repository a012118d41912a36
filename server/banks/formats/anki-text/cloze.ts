import { questionDefinition, TOPIC_SLUG } from '../../../questions/definition.ts';
import { slugify } from '../../../slug.ts';
import type { IdAllocator } from '../../unique-ids.ts';
import type { GiftDefaults, GiftError, GiftQuestion } from '../gift/types.ts';
import { DEFAULT_CLOZE_PROMPT } from '../gift/question.ts';

/**
 * An Anki cloze note (`{{c1::answer}}`, `{{c2::answer::hint}}`) as a Lectern cloze: each deletion,
 * in reading order, one blank {{1}}, {{2}}, … accepting its answer; the hint is dropped (Lectern
 * shows no hints); the note's second field ("Back Extra") is the explanation.
 */
export function buildAnkiCloze(
  note: { text: string; extra?: string; tags: string[]; id?: string; line: number },
  defaults: GiftDefaults,
  ids: IdAllocator,
): GiftQuestion | GiftError {
  const { line } = note;
  const blanks: { answers: string[] }[] = [];
  const text = note.text.replace(/\{\{c\d+::(.*?)(?:::(.*?))?\}\}/g, (_, answer: string) => {
    blanks.push({ answers: [answer.trim()] });
    return `{{${blanks.length}}}`;
  });
  if (!blanks.length) return { line, message: 'a cloze note needs at least one {{c1::…}} deletion in its first field' };
  if (blanks.length > 10) return { line, message: `${blanks.length} deletions: a Lectern cloze holds at most 10 blanks` };
  if (blanks.some((b) => !b.answers[0])) return { line, message: 'a {{c1::…}} deletion is empty' };
  if (!defaults.source) return { line, message: 'no source: a deck cannot say one, so choose a default passage and quote' };
  const known = new Set(defaults.bankTopics ?? []);
  const tagged = [...new Set(note.tags.map((t) => t.toLowerCase()).filter((t) => TOPIC_SLUG.test(t) && known.has(t)))].slice(0, 5);
  const topics = tagged.length ? tagged : defaults.topics;
  if (!topics) return { line, message: 'no topics: none of its tags is a topic of this bank, so choose a default topic' };
  const parsed = questionDefinition.safeParse({
    id: 'cloze',
    prompt: DEFAULT_CLOZE_PROMPT,
    topics,
    difficulty: defaults.difficulty ?? 'medium',
    source: defaults.source,
    explanation: note.extra?.trim() || defaults.explanation || `The blanks read: ${blanks.map((b) => b.answers[0]).join(', ')}.`,
    type: 'cloze',
    text,
    blanks,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { line, message: `${issue.path.join('.') || 'cloze'}: ${issue.message}` };
  }
  const wanted = (note.id && /^[a-z0-9][a-z0-9-]{0,63}$/.test(note.id) ? note.id : '') || slugify(text.replace(/\{\{\d+\}\}/g, ' '), 64) || 'cloze';
  return { definition: { ...parsed.data, id: ids.take(wanted, wanted.slice(0, 60)) }, line };
}

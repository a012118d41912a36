import { z } from 'zod';
import { questionDefinition, QUESTION_TYPES, TOPIC_SLUG } from '../../../questions/definition.ts';
import { answerKeyText } from '../../../questions/answer-key.ts';
import { slugify } from '../../../slug.ts';
import { IdAllocator } from '../../unique-ids.ts';
import type { GiftDefaults, GiftError, GiftQuestion, ReadGiftResult } from '../gift/types.ts';
import { DEFAULT_CLOZE_PROMPT } from '../gift/question.ts';
import { attr, child, children, fileIn, parseMoodleXml, rawText, type XmlNode } from './xml.ts';
import { bodyOf, plain } from './bodies.ts';

/**
 * Moodle XML (https://docs.moodle.org/en/Moodle_XML_format), read with fast-xml-parser.
 * multichoice → mcq (single) or multi; truefalse; shortanswer → short; numerical → numeric;
 * matching; ordering (the qtype_ordering plugin) → ordering; cloze/multianswer with
 * SHORTANSWER blanks → cloze; essay → essay (defaultgrade, maxwordlimit, graderinfo as the
 * rubric), except Lectern's own cards (an essay with the back as its grader information); description → skipped with that reason; categories are
 * passed over. Per-answer feedback and partial credit are kept as GIFT's are. What Moodle cannot
 * say travels in a `<!-- lectern: {…} -->` comment inside the question; without it tags that are
 * the bank's topics become its topics and the import form's defaults apply. Questions with a
 * `<file>` or an @@PLUGINFILE@@ or <img> reference are refused (Lectern stores no files).
 */

export { exportMoodleXml } from './export.ts';

export const MAX_MOODLE_QUESTIONS = 20_000;

export const moodleMeta = z
  .object({
    type: z.enum(QUESTION_TYPES).optional(),
    topics: z.array(z.string()).max(5).optional(),
    difficulty: z.string().optional(),
    level: z.string().optional(),
    source: z.object({ sourceId: z.string().optional(), passageId: z.string(), quote: z.string() }).optional(),
    choiceIds: z.array(z.string()).optional(),
    prompt: z.string().optional(),
    /** An essay's model answer: Moodle's essay has no field for it. */
    modelAnswer: z.string().max(4000).optional(),
  })
  .strict();
export type MoodleMeta = z.infer<typeof moodleMeta>;

function metaOf(node: XmlNode): MoodleMeta | string {
  const comments = [node['#comment']].flat().filter((c): c is string => typeof c === 'string');
  const found = comments.map((c) => /^\s*lectern:\s*([\s\S]*)$/.exec(c)).find(Boolean);
  if (!found) return {};
  try {
    const parsed = moodleMeta.safeParse(JSON.parse(found[1]!));
    return parsed.success ? parsed.data : `the "lectern:" comment: ${parsed.error.issues[0]!.message}`;
  } catch {
    return 'the "lectern:" comment is not valid JSON';
  }
}

function build(node: XmlNode, line: number, defaults: GiftDefaults, ids: IdAllocator): GiftQuestion | GiftError {
  const type = attr(node, 'type');
  const file = fileIn(node);
  if (file) return { line, message: `the question carries a file (${file}): Lectern stores no files, so it is not imported` };
  const meta = metaOf(node);
  if (typeof meta === 'string') return { line, message: meta };
  const made = bodyOf(type, node, meta);
  if ('reason' in made) return { line, message: made.reason };
  let prompt: string;
  let explanation: string;
  try {
    prompt = made.body.type === 'cloze' ? (meta.prompt ?? DEFAULT_CLOZE_PROMPT) : plain(node.questiontext, 'question text');
    explanation = plain(node.generalfeedback, 'general feedback');
  } catch (err) {
    return { line, message: err instanceof Error ? err.message : String(err) };
  }
  const known = new Set(defaults.bankTopics ?? []);
  const tags = children(child(node, 'tags'), 'tag')
    .map((t) => rawText(t).trim().toLowerCase())
    .filter((t) => TOPIC_SLUG.test(t) && known.has(t));
  const topics = meta.topics ?? (tags.length ? [...new Set(tags)].slice(0, 5) : defaults.topics);
  if (!topics) return { line, message: 'no topics: none of its tags is a topic of this bank, so choose a default topic' };
  const stranger = defaults.bankTopics && topics.find((t) => !known.has(t));
  if (stranger) return { line, message: `topics: not a topic of this bank: "${stranger}" (add it on the bank's topics page)` };
  const source = meta.source ?? defaults.source;
  if (!source) return { line, message: 'no source: Moodle cannot say one, so choose a default passage and quote' };
  const candidate = {
    id: 'moodle',
    prompt,
    topics,
    difficulty: meta.difficulty ?? defaults.difficulty ?? 'medium',
    ...(meta.level ? { level: meta.level } : {}),
    source,
    explanation: 'x',
    ...made.body,
  };
  const parsed = questionDefinition.safeParse({
    ...candidate,
    explanation: explanation || defaults.explanation || `The answer is ${answerKeyText(made.body)}.`,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { line, message: `${issue.path.join('.') || 'question'}: ${issue.message}` };
  }
  const name = slugify(rawText(node.name), 64);
  const wanted = name || slugify(prompt, 64) || 'question';
  return { definition: { ...parsed.data, id: ids.take(wanted, wanted.slice(0, 60)) }, line };
}

/** Every question of a Moodle XML file, and a line-numbered reason for each other one. */
export function readMoodleXml(text: string, defaults: GiftDefaults): ReadGiftResult {
  const parsed = parseMoodleXml(text.replace(/^\uFEFF/, ''));
  if ('error' in parsed) return { questions: [], errors: [parsed.error], refused: 0 };
  const questions: GiftQuestion[] = [];
  const errors: GiftError[] = [];
  const ids = new IdAllocator();
  let refused = 0;
  for (const { node, line } of parsed.questions) {
    if (attr(node, 'type') === 'category') continue;
    if (questions.length + refused >= MAX_MOODLE_QUESTIONS) {
      errors.push({ line, message: `more than ${MAX_MOODLE_QUESTIONS} questions in one file: split it into parts` });
      return { questions: [], errors, refused: refused + questions.length };
    }
    const made = build(node, line, defaults, ids);
    if ('message' in made) {
      errors.push(made);
      refused += 1;
    } else questions.push(made);
  }
  if (!questions.length && !errors.length) errors.push({ line: 1, message: 'the file holds no questions' });
  return { questions, errors, refused };
}

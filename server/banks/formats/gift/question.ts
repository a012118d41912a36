import { z } from 'zod';
import { QUESTION_TYPES, type QuestionBody } from '../../../questions/definition.ts';
import { FORMAT_MARKER, GiftSyntaxError, answerText, findUnescaped, unescapeGift } from './escape.ts';
import { htmlToMarkdown } from '../../../formatting/index.ts';
import { creditOf, splitAnswers, type Answer } from './answers.ts';
import { parseNumeric } from './numeric.ts';
import { lineOf, type Chunk } from './chunks.ts';

export const DEFAULT_CLOZE_PROMPT = 'Fill in the blank.';
const BLANK = '_____';

/** What a `// lectern: {…}` comment may say about the question after it. */
export const giftMeta = z
  .object({
    type: z.enum(QUESTION_TYPES).optional(),
    topics: z.array(z.string()).optional(),
    difficulty: z.string().optional(),
    level: z.string().optional(),
    source: z.object({ passageId: z.string(), quote: z.string() }).optional(),
    unit: z.string().optional(),
    choiceIds: z.array(z.string()).optional(),
    prompt: z.string().optional(),
    // An essay's marking, which GIFT's `{}` cannot say (checked with the rest of the definition).
    essay: z.object({ maxMark: z.number(), wordLimit: z.number(), rubric: z.string(), modelAnswer: z.string() }).partial().strict().optional(),
  })
  .strict();
export type GiftMeta = z.infer<typeof giftMeta>;

export const defaultChoiceIds = (n: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(97 + i));

export interface ParsedQuestion {
  title?: string;
  prompt: string;
  body: QuestionBody;
  explanation?: string;
  line: number;
}

const withFeedback = (feedback: string | undefined) => (feedback ? { feedback } : {});

/** `{T}`, `{FALSE#shown if wrong#shown if right}`: Moodle's first feedback is for the wrong answer. */
function trueFalse(content: string): QuestionBody | null {
  const m = /^\s*(TRUE|FALSE|T|F)\s*(#|$)/i.exec(content);
  if (!m) return null;
  const answer = m[1]!.toUpperCase().startsWith('T');
  const rest = content.slice(content.search(/\S/) + m[1]!.length);
  const parts: string[] = [];
  let from = findUnescaped(rest, '#');
  while (from >= 0 && parts.length < 2) {
    const next = findUnescaped(rest, '#', from + 1);
    parts.push(answerText(rest.slice(from + 1, next < 0 ? undefined : next)));
    from = next;
  }
  const [wrong, right] = parts;
  const onTrue = answer ? right : wrong;
  const onFalse = answer ? wrong : right;
  return { type: 'truefalse', answer, ...(onTrue ? { feedbackTrue: onTrue } : {}), ...(onFalse ? { feedbackFalse: onFalse } : {}) };
}

/** `=a -> 1 =b -> 2`: every answer a pair. */
function matching(answers: Answer[]): QuestionBody {
  const pairs = answers.map((a) => {
    const arrow = findUnescaped(a.text, '->');
    if (a.marker !== '=' || arrow < 0) throw new GiftSyntaxError(a.offset, 'every answer of a matching question is "=item -> match"');
    const left = answerText(a.text.slice(0, arrow));
    const right = answerText(a.text.slice(arrow + 2));
    if (!left || !right) throw new GiftSyntaxError(a.offset, 'matching distractors (an empty side of "->") are not supported: Lectern pairs every item');
    return { left, right };
  });
  return { type: 'matching', pairs };
}

/** Only `=` answers: a short answer, weights giving partial credit and `*` the catch-all feedback. */
function shortAnswer(answers: Answer[], texts: string[]): QuestionBody {
  const full: string[] = [];
  const feedback: { answer: string; text: string }[] = [];
  const partial: { answer: string; credit: number; feedback?: string }[] = [];
  let otherwise: string | undefined;
  answers.forEach((a, i) => {
    const credit = creditOf(a);
    if (credit < 0) throw new GiftSyntaxError(a.offset, `a negative weight on a short answer: Moodle allows 0% to 100% here`);
    if (texts[i] === '*') {
      if (credit > 0) throw new GiftSyntaxError(a.offset, 'the answer "*" accepts anything, so it cannot earn marks: give it %0% and a #feedback');
      otherwise = a.feedback;
      return;
    }
    if (credit === 1) {
      full.push(texts[i]!);
      if (a.feedback) feedback.push({ answer: texts[i]!, text: a.feedback });
    } else partial.push({ answer: texts[i]!, credit, ...withFeedback(a.feedback) });
  });
  if (!full.length) throw new GiftSyntaxError(answers[0]?.offset ?? 0, 'no short answer earns full marks: give one "=" answer without a weight, or with %100%');
  return {
    type: 'short',
    answers: full,
    ...(partial.length ? { partial } : {}),
    ...(feedback.length ? { feedback } : {}),
    ...(otherwise ? { otherwise } : {}),
  };
}

/** `~` among the answers: one right choice (an `=`), or several (no `=`, positive weights). */
function choices(answers: Answer[], texts: string[], ids: string[], open: number, meta: GiftMeta): QuestionBody {
  const list = texts.map((t, i) => ({ id: ids[i]!, text: t, ...withFeedback(answers[i]!.feedback) }));
  const rights = answers.filter((a) => a.marker === '=');
  const positive = answers.map((a, i) => (creditOf(a) > 0 ? i : -1)).filter((i) => i >= 0);
  // Moodle: an "=" among the answers makes it single-answer; without one, the learner ticks several.
  // One 100% choice and no "=" is a single answer too, unless Lectern wrote it as a several-answer question.
  const single = rights.length > 0 || (positive.length === 1 && creditOf(answers[positive[0]!]!) === 1 && meta.type !== 'multi');
  if (single) {
    const answerIndex = answers.findIndex((a) => creditOf(a) === 1);
    if (answerIndex < 0) throw new GiftSyntaxError(open, 'no choice earns full marks: mark the right one with "=" (or %100%)');
    return {
      type: 'mcq',
      answer: ids[answerIndex]!,
      // A negative weight on a single-answer choice is worth what a wrong one is: Moodle never goes below 0.
      choices: list.map((c, i) => {
        const credit = creditOf(answers[i]!);
        return i !== answerIndex && credit > 0 ? { ...c, credit } : c;
      }),
    };
  }
  if (positive.length === 0) throw new GiftSyntaxError(open, 'no right answer: mark it with = or give it a positive ~%weight%');
  return { type: 'multi', choices: list, answers: positive.map((i) => ids[i]!) };
}

/** Reads one question's text into a title, a prompt and a type-specific body. */
export function parseQuestion(chunk: Chunk, meta: GiftMeta): ParsedQuestion {
  const text = chunk.text;
  let pos = 0;
  let title: string | undefined;
  const lead = text.length - text.trimStart().length;
  if (text.startsWith('::', lead)) {
    const close = findUnescaped(text, '::', lead + 2);
    if (close < 0) throw new GiftSyntaxError(lead, 'the title "::…" is never closed with "::"');
    title = unescapeGift(text.slice(lead + 2, close)).trim();
    pos = close + 2;
  }
  const format = FORMAT_MARKER.exec(text.slice(pos));
  if (format) pos += format[0].length;
  const asFormatted = (t: string): string => (format?.[1]?.toLowerCase() === 'html' ? htmlToMarkdown(t) : t);

  const open = findUnescaped(text, '{', pos);
  const strayClose = findUnescaped(text.slice(0, open < 0 ? text.length : open), '}', pos);
  if (strayClose >= 0) throw new GiftSyntaxError(strayClose, '"}" without a "{" before it (escape a literal brace as \\})');
  if (open < 0) throw new GiftSyntaxError(pos, 'no answer block {…}: this is a description (text between questions), which Lectern does not import');
  const close = findUnescaped(text, '}', open + 1);
  const nested = findUnescaped(text.slice(0, close < 0 ? text.length : close), '{', open + 1);
  if (close < 0 || nested >= 0) {
    throw new GiftSyntaxError(open, '"{" is never closed with "}" (escape a literal brace as \\{)');
  }
  const rest = text.slice(close + 1);
  const again = Math.max(findUnescaped(rest, '{'), findUnescaped(rest, '}'));
  if (again >= 0)
    throw new GiftSyntaxError(close + 1 + again, 'a second answer block: separate questions with a blank line, or escape literal braces as \\{ \\}');

  const before = asFormatted(unescapeGift(text.slice(pos, open)));
  const after = asFormatted(unescapeGift(rest));
  const missingWord = after.trim() !== '';
  const prompt = missingWord ? `${before.trimStart()}${BLANK}${after.trimEnd()}` : before.trim();
  const line = lineOf(chunk, pos + (text.slice(pos).length - text.slice(pos).trimStart().length));

  let content = text.slice(open + 1, close);
  let explanation: string | undefined;
  const general = findUnescaped(content, '####');
  if (general >= 0) {
    explanation = answerText(content.slice(general + 4));
    content = content.slice(0, general);
  }
  const base = open + 1;
  const trimmed = content.trim();
  const done = (body: QuestionBody, p = prompt): ParsedQuestion => ({
    prompt: p,
    body,
    line,
    ...(title !== undefined ? { title } : {}),
    ...(explanation ? { explanation } : {}),
  });

  // Moodle's essay: an empty block (general feedback aside), marked by hand.
  if (trimmed === '') return done({ type: 'essay', maxMark: 10, ...meta.essay });
  if (trimmed.startsWith('#')) {
    const hash = content.indexOf('#');
    const spec = parseNumeric(content.slice(hash + 1), base + hash + 1);
    return done({
      type: 'numeric',
      answer: spec.answer,
      tolerance: spec.tolerance,
      ...(meta.unit ? { unit: meta.unit } : {}),
      ...withFeedback(spec.feedback),
      ...(spec.alternatives.length ? { alternatives: spec.alternatives } : {}),
      ...(spec.otherwise ? { otherwise: spec.otherwise } : {}),
    });
  }
  const tf = trueFalse(content);
  if (tf) return done(tf);

  const answers = splitAnswers(content, base);
  const texts = answers.map((a) => answerText(a.text));
  texts.forEach((t, i) => {
    if (t === '') throw new GiftSyntaxError(answers[i]!.offset, 'an answer is empty: write its text after the = or ~');
  });
  if (answers.some((a) => findUnescaped(a.text, '->') >= 0)) return done(matching(answers));

  if (answers.every((a) => a.marker === '=')) {
    // Short answers are matched against what students type: an [html] answer gives its words.
    const short = shortAnswer(
      answers,
      answers.map((a) => answerText(a.text, true)),
    );
    // A blank in the sentence becomes a cloze, when nothing a cloze cannot hold (feedback, credit) is lost.
    const plain = short.type === 'short' && !short.partial && !short.feedback && !short.otherwise;
    if (plain && (missingWord || meta.type === 'cloze') && meta.type !== 'short') {
      return done(
        { type: 'cloze', text: `${before.trimStart()}{{1}}${after.trimEnd()}`, blanks: [{ answers: short.answers }] },
        meta.prompt ?? DEFAULT_CLOZE_PROMPT,
      );
    }
    return done(short);
  }

  const ids = meta.choiceIds ?? defaultChoiceIds(answers.length);
  if (ids.length !== answers.length) {
    throw new GiftSyntaxError(open, `the lectern comment names ${ids.length} choice ids for ${answers.length} choices`);
  }
  return done(choices(answers, texts, ids, open, meta));
}

import { z } from 'zod';
import {
  QUESTION_TYPES,
  questionDefinition,
  type Difficulty,
  type QuestionBody,
  type QuestionDefinition,
  type SourceRef,
  type Topic,
} from '../questions/definition.ts';
import { answerKeyText } from '../questions/answer-key.ts';

/**
 * Moodle's GIFT format, in and out (https://docs.moodle.org/en/GIFT_format).
 *
 * Mapping: `{=a ~b}` → mcq; `{~%50%a ~%50%b ~%-100%c}` → multi (positive weight = right choice,
 * graded our way: +1/k, −1/k); `{T}`/`{F}`/`{TRUE}`/`{FALSE}` → truefalse; `{=a =b}` at the end →
 * short; `{#42:0.5}`, `{#42}`, `{#1..3}` → numeric (a range becomes its midpoint ± half-width);
 * `{=a -> 1 =b -> 2}` → matching; text on both sides of the braces ("missing word") → mcq/multi
 * with "_____" in the prompt, or a one-blank cloze when the answers are all `=`.
 *
 * What GIFT cannot say travels in a comment right before the question:
 * `// lectern: {"type":…,"topics":[…],"difficulty":…,"source":{…},"unit":…,"choiceIds":[…],"prompt":…}`.
 * Without it the caller's defaults apply: topics and source must come from one or the other;
 * difficulty defaults to "medium"; explanation is the general feedback (`####…`), else the
 * caller's default, else "The answer is …"; the id is the title slugged, else the prompt slugged;
 * mcq/multi choice ids are a, b, c…; a cloze's prompt is "Fill in the blank.".
 *
 * Not imported (an error on the line): essays `{}`, descriptions (no braces), partial credit
 * other than in multiple answers, several numeric answers, matching distractors. Per-answer
 * feedback (`~wrong#why`) is dropped: Lectern has one explanation per question.
 */

/** What an import fills in when a question has no `// lectern:` comment (or the comment omits a field). */
export interface GiftDefaults {
  topics?: Topic[];
  difficulty?: Difficulty;
  source?: SourceRef;
  explanation?: string;
}

/** A problem with an imported file, at a 1-based line. */
export interface GiftError {
  line: number;
  message: string;
}

/** All the questions of a file, or every error found in it (never a partial import). */
export type ParseGiftResult = { questions: QuestionDefinition[] } | { errors: GiftError[] };

/** Exported GIFT text, and the questions GIFT cannot express with the reason why. */
export interface ExportGiftResult {
  text: string;
  skipped: { id: string; reason: string }[];
}

const DEFAULT_CLOZE_PROMPT = 'Fill in the blank.';
const BLANK = '_____';
const META_PREFIX = /^\s*\/\/\s*lectern:/;

const giftMeta = z
  .object({
    type: z.enum(QUESTION_TYPES).optional(),
    topics: z.array(z.string()).optional(),
    difficulty: z.string().optional(),
    source: z.object({ passageId: z.string(), quote: z.string() }).optional(),
    unit: z.string().optional(),
    choiceIds: z.array(z.string()).optional(),
    prompt: z.string().optional(),
  })
  .strict();
type GiftMeta = z.infer<typeof giftMeta>;

class GiftSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// Escapes

const SPECIAL = /[~=#{}:\\]/g;

/** Escapes GIFT's special characters; newlines become `\n` so that a text stays on its line. */
function escapeGift(text: string): string {
  return text.replace(SPECIAL, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');
}

function unescapeGift(text: string): string {
  return text.replace(/\\(.)/gs, (whole, c: string) => (c === 'n' ? '\n' : '~=#{}:\\'.includes(c) ? c : whole));
}

/** Index of the first `needle` not preceded by an escaping backslash, or -1. */
function findUnescaped(s: string, needle: string, from = 0): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s.startsWith(needle, i)) return i;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Import

interface Chunk {
  /** The question's lines (comments removed) joined with newlines. */
  text: string;
  /** Line number (1-based) of each line of `text`. */
  lines: number[];
  meta?: { json: string; line: number };
}

/** Converts an offset in a chunk's text to the file line it came from. */
function lineOf(chunk: Chunk, offset: number): number {
  const before = chunk.text.slice(0, Math.max(0, offset)).split('\n').length - 1;
  return chunk.lines[Math.min(before, chunk.lines.length - 1)] ?? chunk.lines[0] ?? 1;
}

/** Splits a file into questions at blank lines, keeping each `// lectern:` comment with the question after it. */
function splitChunks(text: string, errors: GiftError[]): Chunk[] {
  const chunks: Chunk[] = [];
  let pending: Chunk['meta'];
  let current: Chunk | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '') {
      current = undefined;
      return;
    }
    if (META_PREFIX.test(raw)) {
      if (current) errors.push({ line, message: 'a "// lectern:" comment must come before its question, not inside it' });
      else if (pending) errors.push({ line: pending.line, message: 'this "// lectern:" comment has no question after it' });
      pending = { json: raw.replace(META_PREFIX, ''), line };
      return;
    }
    // Whole-line comments and Moodle's category commands carry nothing Lectern keeps.
    if (trimmed.startsWith('//') || /^\$CATEGORY:/i.test(trimmed)) return;
    if (!current) {
      current = { text: '', lines: [], ...(pending ? { meta: pending } : {}) };
      pending = undefined;
      chunks.push(current);
    }
    current.text += (current.lines.length ? '\n' : '') + raw;
    current.lines.push(line);
  });
  if (pending) errors.push({ line: pending.line, message: 'this "// lectern:" comment has no question after it' });
  return chunks;
}

interface Answer {
  marker: '=' | '~';
  weight?: number;
  text: string;
  offset: number;
}

/** Splits `=a ~b#feedback =%50%c` into answers; per-answer feedback is dropped. */
function splitAnswers(content: string, base: number): Answer[] {
  const answers: Answer[] = [];
  let i = 0;
  while (i < content.length && /\s/.test(content[i]!)) i++;
  if (i < content.length && content[i] !== '=' && content[i] !== '~') {
    throw new GiftSyntaxError(base + i, `unknown answer marker "${content[i]}": answers start with = (right) or ~ (wrong)`);
  }
  while (i < content.length) {
    const marker = content[i] as '=' | '~';
    let end = i + 1;
    for (; end < content.length; end++) {
      if (content[end] === '\\') end++;
      else if (content[end] === '=' || content[end] === '~') break;
    }
    let body = content.slice(i + 1, end);
    const hash = findUnescaped(body, '#');
    if (hash >= 0) body = body.slice(0, hash);
    const w = /^\s*%(-?\d+(?:\.\d+)?)%/.exec(body);
    if (w) body = body.slice(w[0].length);
    answers.push({ marker, text: body, offset: base + i, ...(w ? { weight: Number(w[1]) } : {}) });
    i = end;
  }
  return answers;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

function parseNumeric(content: string, base: number): { answer: number; tolerance: number } {
  let spec = content.trim();
  if (findUnescaped(spec, '=') >= 0) {
    const answers = splitAnswers(spec, base);
    if (answers.length !== 1) throw new GiftSyntaxError(base, 'several numeric answers (with partial credit) are not supported: give one answer and a tolerance');
    if (answers[0]!.weight !== undefined && answers[0]!.weight !== 100) throw new GiftSyntaxError(base, 'partial credit on a numeric answer is not supported');
    spec = answers[0]!.text;
  } else {
    const hash = findUnescaped(spec, '#');
    if (hash >= 0) spec = spec.slice(0, hash);
  }
  spec = unescapeGift(spec).trim();
  const num = (s: string): number => {
    const t = s.trim();
    if (!NUMBER.test(t)) throw new GiftSyntaxError(base, `"${t}" is not a number`);
    return Number(t);
  };
  const range = /^(.+?)\.\.(.+)$/.exec(spec);
  if (range) {
    const lo = num(range[1]!);
    const hi = num(range[2]!);
    if (hi < lo) throw new GiftSyntaxError(base, `the range ${lo}..${hi} runs backwards`);
    return { answer: (lo + hi) / 2, tolerance: (hi - lo) / 2 };
  }
  const colon = spec.lastIndexOf(':');
  if (colon > 0) return { answer: num(spec.slice(0, colon)), tolerance: Math.abs(num(spec.slice(colon + 1))) };
  return { answer: num(spec), tolerance: 0 };
}

const defaultChoiceIds = (n: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(97 + i));

/** Lowercase, dash-separated, at most 64 characters: the shape of a question id. */
function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 64)
    .replace(/^-+|-+$/g, '');
}

interface ParsedQuestion {
  title?: string;
  prompt: string;
  body: QuestionBody;
  explanation?: string;
  line: number;
}

/** Reads one question's text into a title, a prompt and a type-specific body. */
function parseQuestion(chunk: Chunk, meta: GiftMeta): ParsedQuestion {
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
  const format = /^\s*\[(?:html|moodle|plain|markdown)\]/i.exec(text.slice(pos));
  if (format) pos += format[0].length;

  const open = findUnescaped(text, '{', pos);
  const strayClose = findUnescaped(text.slice(0, open < 0 ? text.length : open), '}', pos);
  if (strayClose >= 0) throw new GiftSyntaxError(strayClose, '"}" without a "{" before it (escape a literal brace as \\})');
  if (open < 0) throw new GiftSyntaxError(pos, 'no answer block {…}: descriptions and essays are not imported');
  const close = findUnescaped(text, '}', open + 1);
  const nested = findUnescaped(text.slice(0, close < 0 ? text.length : close), '{', open + 1);
  if (close < 0 || nested >= 0) {
    throw new GiftSyntaxError(open, '"{" is never closed with "}" (escape a literal brace as \\{)');
  }
  const rest = text.slice(close + 1);
  const again = Math.max(findUnescaped(rest, '{'), findUnescaped(rest, '}'));
  if (again >= 0) throw new GiftSyntaxError(close + 1 + again, 'a second answer block: separate questions with a blank line, or escape literal braces as \\{ \\}');

  const before = unescapeGift(text.slice(pos, open));
  const after = unescapeGift(rest);
  const missingWord = after.trim() !== '';
  const blankPrompt = `${before.trimStart()}${BLANK}${after.trimEnd()}`;
  const prompt = missingWord ? blankPrompt : before.trim();
  const line = lineOf(chunk, pos + (text.slice(pos).length - text.slice(pos).trimStart().length));

  let content = text.slice(open + 1, close);
  let explanation: string | undefined;
  const general = findUnescaped(content, '####');
  if (general >= 0) {
    explanation = unescapeGift(content.slice(general + 4)).trim();
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

  if (trimmed === '') throw new GiftSyntaxError(open, 'an empty answer block {} is an essay question, which Lectern does not import');
  if (trimmed.startsWith('#')) {
    const { answer, tolerance } = parseNumeric(trimmed.slice(1), base + content.indexOf('#') + 1);
    return done({ type: 'numeric', answer, tolerance, ...(meta.unit ? { unit: meta.unit } : {}) });
  }
  const tf = /^(TRUE|FALSE|T|F)\s*(?:#|$)/i.exec(trimmed);
  if (tf) return done({ type: 'truefalse', answer: tf[1]!.toUpperCase().startsWith('T') });

  const answers = splitAnswers(content, base);
  const texts = answers.map((a) => unescapeGift(a.text).trim());
  const at = (i: number) => answers[i]!.offset;
  texts.forEach((t, i) => {
    if (t === '') throw new GiftSyntaxError(at(i), 'an answer is empty');
  });

  if (answers.some((a) => findUnescaped(a.text, '->') >= 0)) {
    const pairs = answers.map((a, i) => {
      const arrow = findUnescaped(a.text, '->');
      if (a.marker !== '=' || arrow < 0) throw new GiftSyntaxError(at(i), 'every answer of a matching question is "=item -> match"');
      const left = unescapeGift(a.text.slice(0, arrow)).trim();
      const right = unescapeGift(a.text.slice(arrow + 2)).trim();
      if (!left || !right) throw new GiftSyntaxError(at(i), 'matching distractors (an empty side of "->") are not supported');
      return { left, right };
    });
    return done({ type: 'matching', pairs });
  }

  const rights = answers.filter((a) => a.marker === '=');
  const wrongs = answers.filter((a) => a.marker === '~');
  if (wrongs.length === 0) {
    const partial = answers.findIndex((a) => a.weight !== undefined && a.weight !== 100);
    if (partial >= 0) throw new GiftSyntaxError(at(partial), 'partial credit on a short answer is not supported');
    if ((missingWord || meta.type === 'cloze') && meta.type !== 'short') {
      return done(
        { type: 'cloze', text: `${before.trimStart()}{{1}}${after.trimEnd()}`, blanks: [{ answers: texts }] },
        meta.prompt ?? DEFAULT_CLOZE_PROMPT,
      );
    }
    return done({ type: 'short', answers: texts });
  }

  const ids = meta.choiceIds ?? defaultChoiceIds(answers.length);
  if (ids.length !== answers.length) {
    throw new GiftSyntaxError(open, `the lectern comment names ${ids.length} choice ids for ${answers.length} choices`);
  }
  const choices = texts.map((t, i) => ({ id: ids[i]!, text: t }));
  if (rights.length === 1) {
    const partial = answers.findIndex((a) => a.marker === '~' && a.weight !== undefined && a.weight > 0);
    if (partial >= 0) throw new GiftSyntaxError(at(partial), 'partial credit on a single-answer choice is not supported (for several right answers use ~%50% weights and no =)');
    return done({ type: 'mcq', choices, answer: ids[answers.indexOf(rights[0]!)]! });
  }
  if (rights.length > 1) throw new GiftSyntaxError(open, 'more than one "=" among "~" choices: for several right answers use ~%50% weights');
  const chosen = answers.map((a, i) => (a.weight !== undefined && a.weight > 0 ? ids[i]! : null)).filter((id) => id !== null);
  if (chosen.length === 0) throw new GiftSyntaxError(open, 'no right answer: mark it with = or give it a positive ~%weight%');
  return done({ type: 'multi', choices, answers: chosen });
}

/** Parses GIFT text into validated questions; any error anywhere refuses the whole file. */
export function parseGift(text: string, defaults: GiftDefaults = {}): ParseGiftResult {
  const errors: GiftError[] = [];
  const questions: QuestionDefinition[] = [];
  const ids = new Set<string>();
  for (const chunk of splitChunks(text, errors)) {
    let meta: GiftMeta = {};
    if (chunk.meta) {
      let json: unknown;
      try {
        json = JSON.parse(chunk.meta.json);
      } catch {
        errors.push({ line: chunk.meta.line, message: 'the "// lectern:" comment is not valid JSON' });
        continue;
      }
      const parsed = giftMeta.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        errors.push({ line: chunk.meta.line, message: `the "// lectern:" comment: ${issue.path.join('.') || 'value'}: ${issue.message}` });
        continue;
      }
      meta = parsed.data;
    }
    let q: ParsedQuestion;
    try {
      q = parseQuestion(chunk, meta);
    } catch (err) {
      if (!(err instanceof GiftSyntaxError)) throw err;
      errors.push({ line: lineOf(chunk, err.offset), message: err.message });
      continue;
    }
    if (meta.type && meta.type !== q.body.type && !(meta.type === 'short' && q.body.type === 'cloze')) {
      errors.push({ line: q.line, message: `the lectern comment says ${meta.type} but the answers make a ${q.body.type} question` });
      continue;
    }
    let id = slug(q.title ?? '') || slug(q.prompt) || `question-${questions.length + 1}`;
    if (ids.has(id)) {
      if (q.title !== undefined) {
        errors.push({ line: q.line, message: `the title "${q.title}" gives the id "${id}", already used by another question` });
        continue;
      }
      let n = 2;
      while (ids.has(`${id.slice(0, 60)}-${n}`)) n++;
      id = `${id.slice(0, 60)}-${n}`;
    }
    ids.add(id);
    const source = meta.source ?? defaults.source;
    const topics = meta.topics ?? defaults.topics;
    if (!source) errors.push({ line: q.line, message: 'no source: add "source" to a "// lectern:" comment or give a default source' });
    if (!topics) errors.push({ line: q.line, message: 'no topics: add "topics" to a "// lectern:" comment or give default topics' });
    if (!source || !topics) continue;
    const candidate = {
      id,
      prompt: q.prompt,
      topics,
      difficulty: meta.difficulty ?? defaults.difficulty ?? 'medium',
      source,
      ...q.body,
    };
    const explanation =
      q.explanation ?? defaults.explanation ?? `The answer is ${answerKeyText(candidate as QuestionDefinition)}.`;
    const result = questionDefinition.safeParse({ ...candidate, explanation });
    if (!result.success) {
      for (const issue of result.error.issues) {
        errors.push({ line: q.line, message: `${issue.path.join('.') || 'question'}: ${issue.message}` });
      }
      continue;
    }
    questions.push(result.data);
  }
  return errors.length ? { errors: errors.sort((a, b) => a.line - b.line) } : { questions };
}

// ---------------------------------------------------------------------------------------------
// Export

/** A weight Moodle accepts for k right answers (it lists 33.33333, 14.28571, …). */
function weight(k: number): string {
  return String(Number((100 / k).toFixed(5)));
}

/** Why a definition cannot round-trip through GIFT, or null when it can. */
function unexportable(def: QuestionDefinition): string | null {
  if (def.type === 'ordering') return 'GIFT has no ordering questions';
  if (def.type === 'cloze' && def.blanks.length > 1) return 'GIFT has one answer block per question, so one blank at most';
  // GIFT has no escape for "->" or for a leading "%50%", so answers holding them would be misread.
  const answers =
    def.type === 'mcq' || def.type === 'multi'
      ? def.choices.map((c) => c.text)
      : def.type === 'short'
        ? def.answers
        : def.type === 'cloze'
          ? def.blanks.flatMap((b) => b.answers)
          : [];
  if (answers.some((t) => t.includes('->'))) return 'an answer contains "->", which GIFT reads as a matching arrow';
  if (answers.some((t) => /^%-?\d+(?:\.\d+)?%/.test(t))) return 'an answer starts like a GIFT weight (%50%)';
  if (def.type === 'matching' && def.pairs.some((p) => p.left.includes('->') || p.right.includes('->'))) {
    return 'an item contains "->", which GIFT reads as the pairing arrow';
  }
  return null;
}

function metaComment(def: QuestionDefinition): string {
  const meta: GiftMeta = { type: def.type, topics: def.topics, difficulty: def.difficulty, source: def.source };
  if (def.type === 'numeric' && def.unit) meta.unit = def.unit;
  if (def.type === 'mcq' || def.type === 'multi') {
    const ids = def.choices.map((c) => c.id);
    if (ids.join() !== defaultChoiceIds(ids.length).join()) meta.choiceIds = ids;
  }
  if (def.type === 'cloze' && def.prompt !== DEFAULT_CLOZE_PROMPT) meta.prompt = def.prompt;
  return `// lectern: ${JSON.stringify(meta)}`;
}

function answerLines(def: Exclude<QuestionDefinition, { type: 'cloze' | 'ordering' }>): string[] {
  switch (def.type) {
    case 'mcq':
      return def.choices.map((c) => `${c.id === def.answer ? '=' : '~'}${escapeGift(c.text)}`);
    case 'multi':
      return def.choices.map((c) => `~%${def.answers.includes(c.id) ? weight(def.answers.length) : '-100'}%${escapeGift(c.text)}`);
    case 'truefalse':
      return [def.answer ? 'TRUE' : 'FALSE'];
    case 'short':
      return def.answers.map((a) => `=${escapeGift(a)}`);
    case 'numeric':
      return [`#${def.answer}:${def.tolerance}`];
    case 'matching':
      return def.pairs.map((p) => `=${escapeGift(p.left)} -> ${escapeGift(p.right)}`);
  }
}

function exportOne(def: QuestionDefinition): string {
  const head = `${metaComment(def)}\n::${escapeGift(def.id)}:: `;
  const feedback = `####${escapeGift(def.explanation)}`;
  if (def.type === 'ordering') throw new Error('unreachable: ordering is skipped');
  if (def.type === 'cloze') {
    const [before, after] = def.text.split('{{1}}') as [string, string];
    const block = `{${def.blanks[0]!.answers.map((a) => `=${escapeGift(a)}`).join(' ')} ${feedback}}`;
    return `${head}${escapeGift(before)}${block}${escapeGift(after)}`;
  }
  return `${head}${escapeGift(def.prompt)} {\n${[...answerLines(def), feedback].map((l) => `\t${l}`).join('\n')}\n}`;
}

/** Writes questions as GIFT (with Lectern's metadata in comments); lists those GIFT cannot hold. */
export function exportGift(defs: readonly QuestionDefinition[]): ExportGiftResult {
  const skipped: ExportGiftResult['skipped'] = [];
  const blocks: string[] = [];
  for (const def of defs) {
    const reason = unexportable(def);
    if (reason) skipped.push({ id: def.id, reason });
    else blocks.push(exportOne(def));
  }
  return { text: blocks.length ? `${blocks.join('\n\n')}\n` : '', skipped };
}


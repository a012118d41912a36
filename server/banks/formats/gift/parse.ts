import { questionDefinition } from '../../../questions/definition.ts';
import { answerKeyText } from '../../../questions/answer-key.ts';
import { slugify } from '../../../slug.ts';
import { IdAllocator } from '../../unique-ids.ts';
import { GiftSyntaxError } from './escape.ts';
import { lineOf, splitChunks, type Chunk } from './chunks.ts';
import { giftMeta, parseQuestion, type GiftMeta, type ParsedQuestion } from './question.ts';
import type { GiftDefaults, GiftError, GiftQuestion, ParseGiftResult, ReadGiftResult } from './types.ts';

/** At most this many questions are read from one file (a bank holds at most 5,000 too). */
export const MAX_GIFT_QUESTIONS = 20_000;

/** Lowercase, dash-separated, at most 64 characters: the shape of a question id. */
const slug = (text: string) => slugify(text, 64);

/** Parses GIFT text into validated questions; any error anywhere refuses the whole file. */
export function parseGift(text: string, defaults: GiftDefaults = {}): ParseGiftResult {
  return allOrNothing(drain(readGiftSteps(text, defaults)));
}

function allOrNothing(read: ReadGiftResult): ParseGiftResult {
  return read.errors.length ? { errors: read.errors } : { questions: read.questions.map((q) => q.definition) };
}

function drain<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Questions parsed between two yields to the event loop in the yielding reads. */
const QUESTIONS_PER_TURN = 200;

async function drainYielding<T>(steps: Generator<void, T>): Promise<T> {
  for (let n = 1; ; n++) {
    const step = steps.next();
    if (step.done) return step.value;
    if (n % QUESTIONS_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * parseGift that gives the event loop a turn every few hundred questions, so a file of
 * thousands of questions never holds up other users' requests while it is read.
 */
export async function parseGiftYielding(text: string, defaults: GiftDefaults = {}): Promise<ParseGiftResult> {
  return allOrNothing(await drainYielding(readGiftSteps(text, defaults)));
}

/** Every question that can be read, and a line-numbered reason for each one that cannot (yielding). */
export function readGiftYielding(text: string, defaults: GiftDefaults = {}): Promise<ReadGiftResult> {
  return drainYielding(readGiftSteps(text, defaults));
}

/** Every question that can be read, and a line-numbered reason for each one that cannot. */
export function readGift(text: string, defaults: GiftDefaults = {}): ReadGiftResult {
  return drain(readGiftSteps(text, defaults));
}

/** The `// lectern:` comment of a chunk, or the error that refuses its question. */
function readMeta(chunk: Chunk): GiftMeta | GiftError {
  if (!chunk.meta) return {};
  let json: unknown;
  try {
    json = JSON.parse(chunk.meta.json);
  } catch {
    return { line: chunk.meta.line, message: 'the "// lectern:" comment is not valid JSON' };
  }
  const parsed = giftMeta.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  return { line: chunk.meta.line, message: `the "// lectern:" comment: ${issue.path.join('.') || 'value'}: ${issue.message}` };
}

const isError = (x: GiftMeta | GiftError): x is GiftError => 'message' in x && 'line' in x;

/** The parse itself, yielding after each question so that callers choose when to pause. */
function* readGiftSteps(text: string, defaults: GiftDefaults): Generator<void, ReadGiftResult> {
  const errors: GiftError[] = [];
  const questions: GiftQuestion[] = [];
  const ids = new IdAllocator();
  const chunks = splitChunks(text, errors);
  // Stray comments are refused one by one; each refused question counts once below.
  let refused = errors.length;
  if (chunks.length > MAX_GIFT_QUESTIONS) {
    const line = chunks[MAX_GIFT_QUESTIONS]!.lines[0] ?? 1;
    return { questions: [], errors: [{ line, message: `more than ${MAX_GIFT_QUESTIONS} questions in one file: split it into parts` }], refused: chunks.length };
  }
  for (const chunk of chunks) {
    yield;
    const before = errors.length;
    const question = readOne(chunk, defaults, ids, questions.length, errors);
    if (question) questions.push(question);
    if (errors.length > before) refused += 1;
  }
  return { questions, errors: errors.sort((a, b) => a.line - b.line), refused };
}

/** One chunk as a validated question, or its errors pushed onto `errors`. */
function readOne(chunk: Chunk, defaults: GiftDefaults, ids: IdAllocator, index: number, errors: GiftError[]): GiftQuestion | null {
  const meta = readMeta(chunk);
  if (isError(meta)) {
    errors.push(meta);
    return null;
  }
  let q: ParsedQuestion;
  try {
    q = parseQuestion(chunk, meta);
  } catch (err) {
    if (!(err instanceof GiftSyntaxError)) throw err;
    errors.push({ line: lineOf(chunk, err.offset), message: err.message });
    return null;
  }
  if (meta.type && meta.type !== q.body.type && !(meta.type === 'short' && q.body.type === 'cloze')) {
    errors.push({ line: q.line, message: `the lectern comment says ${meta.type} but the answers make a ${q.body.type} question` });
    return null;
  }
  const source = meta.source ?? defaults.source;
  const topics = meta.topics ?? defaults.topics;
  if (!source) errors.push({ line: q.line, message: 'no source: add "source" to a "// lectern:" comment or give a default source' });
  if (!topics) errors.push({ line: q.line, message: 'no topics: add "topics" to a "// lectern:" comment or give default topics' });
  if (!source || !topics) return null;
  const foreign = defaults.bankTopics ? topics.filter((t) => !defaults.bankTopics!.includes(t)) : [];
  if (foreign.length) {
    errors.push({ line: q.line, message: `topics: not a topic of this bank: ${foreign.map((t) => `"${t}"`).join(', ')} (add it on the bank's topics page)` });
    return null;
  }
  // Moodle allows duplicate titles, so titled questions are suffixed like untitled ones.
  const wanted = slug(q.title ?? '') || slug(q.prompt) || `question-${index + 1}`;
  const candidate = {
    id: wanted,
    prompt: q.prompt,
    topics,
    difficulty: meta.difficulty ?? defaults.difficulty ?? 'medium',
    ...(meta.level ? { level: meta.level } : {}),
    source,
    ...q.body,
  };
  const fallback = q.body.type === 'essay' ? 'An essay, marked by your instructor.' : `The answer is ${answerKeyText(q.body)}.`;
  const explanation = q.explanation ?? defaults.explanation ?? fallback;
  const result = questionDefinition.safeParse({ ...candidate, explanation });
  if (!result.success) {
    for (const issue of result.error.issues) errors.push({ line: q.line, message: `${issue.path.join('.') || 'question'}: ${issue.message}` });
    return null;
  }
  // The id is taken only by a question that is kept, so a refused one leaves its id free.
  const id = ids.take(wanted, wanted.slice(0, 60));
  return { definition: { ...result.data, id }, line: q.line };
}

import { DIFFICULTIES, LEVELS, QUESTION_TYPES, questionDefinition, TOPIC_SLUG, type QuestionBody } from '../../../questions/definition.ts';
import { isOneOf } from '../../../object-shape.ts';
import { answerKeyText } from '../../../questions/answer-key.ts';
import { slugify } from '../../../slug.ts';
import { IdAllocator } from '../../unique-ids.ts';
import type { GiftDefaults, GiftError, GiftQuestion, ReadGiftResult } from '../gift/types.ts';
import { DEFAULT_CLOZE_PROMPT, defaultChoiceIds } from '../gift/question.ts';
import { DEFAULT_CARD_EXPLANATION } from '../card.ts';
import { readCsvRows } from '../csv-rows.ts';
import { CSV_COLUMNS, splitList, type CsvColumn } from './columns.ts';

/**
 * Lectern's CSV of questions, for authoring in a spreadsheet (docs/formats.md documents each
 * column; CSV_TEMPLATE is the template the import page offers). The first row names the
 * columns (any order, any case; only `type` and, but for a cloze, `prompt` are needed); each
 * further row is one question. Comma-separated, or semicolon-separated when the header has
 * semicolons and no commas (as spreadsheets in many locales write it).
 */

export const MAX_CSV_QUESTIONS = 20_000;

type Cells = Partial<Record<CsvColumn, string>>;

/** Which column a schema issue at a definition path belongs to. */
function columnOf(path: readonly PropertyKey[]): string {
  const head = String(path[0] ?? '');
  const map: Record<string, string> = {
    choices: 'choices',
    pairs: 'choices',
    items: 'choices',
    answers: 'answer',
    answer: 'answer',
    back: 'answer',
    blanks: 'answer',
    text: 'text',
    source: path[1] === 'quote' ? 'quote' : 'passage',
  };
  return map[head] ?? (head || 'row');
}

/** Every question of a CSV file, and a line-numbered reason for each row that is not one. */
export function readCsvQuestions(text: string, defaults: GiftDefaults): ReadGiftResult {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) return { questions: [], errors: [{ line: 1, message: 'the file is empty' }], refused: 0 };
  const delimiter = lines[first]!.includes(',') || !lines[first]!.includes(';') ? ',' : ';';
  const { rows, errors } = readCsvRows(lines, first, delimiter);
  const questions: GiftQuestion[] = [];
  let refused = errors.length;
  const [head, ...body] = rows;
  if (!head || head.line !== first + 1) return { questions, errors: [{ line: first + 1, message: 'the first row must name the columns' }], refused: 0 };
  const names = head.fields.map((f) => f.trim().toLowerCase());
  const unknown = names.filter((n) => n && !isOneOf(CSV_COLUMNS, n));
  const headErrors: GiftError[] = [];
  if (unknown.length)
    headErrors.push({
      line: head.line,
      message: `unknown column${unknown.length === 1 ? '' : 's'} ${unknown.map((u) => `"${u}"`).join(', ')}: the columns are ${CSV_COLUMNS.join(', ')}`,
    });
  if (!names.includes('type')) headErrors.push({ line: head.line, message: 'no "type" column: the first row must name the columns, type among them' });
  const twice = names.filter((n, i) => n && names.indexOf(n) !== i);
  if (twice.length) headErrors.push({ line: head.line, message: `the column "${twice[0]}" is named twice` });
  if (headErrors.length) return { questions, errors: headErrors, refused: 0 };
  const ids = new IdAllocator();
  for (const row of body) {
    if (questions.length + refused >= MAX_CSV_QUESTIONS) {
      errors.push({ line: row.line, message: `more than ${MAX_CSV_QUESTIONS} questions in one file: split it into parts` });
      return { questions: [], errors, refused: refused + questions.length };
    }
    if (row.fields.length > names.length && row.fields.slice(names.length).some((f) => f.trim())) {
      errors.push({ line: row.line, message: `${row.fields.length} cells where the first row names ${names.length} columns: is a comma missing its quotes?` });
      refused += 1;
      continue;
    }
    const cells: Cells = {};
    // Every name is a column by now, or '' (a column without a name, whose cells are not read).
    names.forEach((n, i) => {
      if (isOneOf(CSV_COLUMNS, n)) cells[n] = (row.fields[i] ?? '').trim();
    });
    const made = rowToQuestion(cells, row.line, defaults, ids);
    if ('message' in made) {
      errors.push(made);
      refused += 1;
    } else questions.push(made);
  }
  return { questions, errors: errors.sort((a, b) => a.line - b.line), refused };
}

/** A choice named by its text, else by its letter (A, B, …). */
function choiceFor(answer: string, choices: string[], ids: string[]): string | undefined {
  const at = choices.indexOf(answer);
  if (at >= 0) return ids[at];
  return /^[A-Za-z]$/.test(answer) ? ids[answer.toUpperCase().charCodeAt(0) - 65] : undefined;
}

function bodyOf(type: string, c: Cells): QuestionBody | string {
  const choices = splitList(c.choices ?? '', '|');
  const choiceIds = c.choice_ids ? splitList(c.choice_ids, '|') : defaultChoiceIds(choices.length);
  if ((type === 'mcq' || type === 'multi') && choiceIds.length !== choices.length)
    return `column "choice_ids": ${choiceIds.length} ids for ${choices.length} choices`;
  const withIds = () => choices.map((text, i) => ({ id: choiceIds[i]!, text }));
  switch (type) {
    case 'mcq': {
      const answer = choiceFor(c.answer ?? '', choices, choiceIds);
      if (!answer) return `column "answer": "${c.answer ?? ''}" is not one of the choices (write its text or its letter)`;
      return { type, choices: withIds(), answer };
    }
    case 'multi': {
      const named = splitList(c.answer ?? '', '|');
      const answers = named.map((a) => choiceFor(a, choices, choiceIds));
      const missing = named.find((_, i) => !answers[i]);
      if (missing !== undefined || !named.length)
        return `column "answer": ${missing === undefined ? 'name the right choices' : `"${missing}" is not one of the choices`}, separated by |`;
      return { type, choices: withIds(), answers: answers.filter((a) => a !== undefined) };
    }
    case 'truefalse': {
      const v = (c.answer ?? '').toLowerCase();
      if (!['true', 'false', 't', 'f'].includes(v)) return 'column "answer": write true or false';
      return { type, answer: v.startsWith('t') };
    }
    case 'short':
      return { type, answers: splitList(c.answer ?? '', '|') };
    case 'numeric': {
      const num = (s: string) => (/^[+-]?(\d+([.,]\d*)?|[.,]\d+)(e[+-]?\d+)?$/i.test(s) ? Number(s.replace(',', '.')) : NaN);
      const answer = num(c.answer ?? '');
      const tolerance = c.tolerance ? num(c.tolerance) : 0;
      if (!Number.isFinite(answer)) return `column "answer": "${c.answer ?? ''}" is not a number`;
      if (!Number.isFinite(tolerance)) return `column "tolerance": "${c.tolerance ?? ''}" is not a number`;
      return { type, answer, tolerance, ...(c.unit ? { unit: c.unit } : {}) };
    }
    case 'cloze':
      return { type, text: c.text ?? '', blanks: splitList(c.answer ?? '', ';').map((b) => ({ answers: splitList(b, '|') })) };
    case 'matching': {
      const pairs = choices.map((p) => {
        const at = p.indexOf('->');
        return at < 0 ? null : { left: p.slice(0, at).trim(), right: p.slice(at + 2).trim() };
      });
      const written = pairs.filter((p) => p !== null);
      if (written.length < pairs.length) return 'column "choices": write each pair as left -> right, separated by |';
      return { type, pairs: written };
    }
    case 'ordering':
      return { type, items: choices };
    case 'card':
      return { type, back: c.answer ?? '' };
    case 'essay':
      // Marked by hand out of 10; the answer column, when given, is the model answer.
      return { type, maxMark: 10, ...(c.answer ? { modelAnswer: c.answer } : {}) };
    default:
      return `column "type": "${type}" is not a type; the types are ${QUESTION_TYPES.join(', ')}`;
  }
}

function rowToQuestion(c: Cells, line: number, defaults: GiftDefaults, ids: IdAllocator): GiftQuestion | GiftError {
  const type = (c.type ?? '').toLowerCase();
  const body = bodyOf(type, c);
  if (typeof body === 'string') return { line, message: body };
  const known = new Set(defaults.bankTopics ?? []);
  const named = splitList(c.topics ?? '', '|').map((t) => (known.has(t) ? t : slugify(t, 40)));
  const stranger = named.find((t) => !TOPIC_SLUG.test(t) || (defaults.bankTopics && !known.has(t)));
  if (stranger !== undefined) return { line, message: `column "topics": "${stranger}" is not a topic of this bank (add it on the bank's topics page)` };
  const topics = named.length ? named : defaults.topics;
  if (!topics) return { line, message: 'column "topics": empty, so choose a default topic' };
  const difficulty = (c.difficulty ?? '').toLowerCase() || defaults.difficulty || 'medium';
  if (!isOneOf(DIFFICULTIES, difficulty)) return { line, message: `column "difficulty": easy, medium or hard, not "${c.difficulty}"` };
  const level = (c.level ?? '').toLowerCase();
  if (level && !isOneOf(LEVELS, level)) return { line, message: `column "level": ${LEVELS.join(', ')} or empty, not "${c.level}"` };
  if (!c.passage !== !c.quote)
    return {
      line,
      message: c.passage ? 'column "quote": copy the supporting words from the passage' : 'column "passage": name the passage the quote comes from',
    };
  const source = c.passage ? { ...(c.source ? { sourceId: c.source } : {}), passageId: c.passage, quote: c.quote! } : defaults.source;
  if (!source) return { line, message: 'columns "passage" and "quote": empty, so choose a default passage and quote' };
  const prompt = c.prompt || (type === 'cloze' ? DEFAULT_CLOZE_PROMPT : '');
  const candidate = { id: 'csv', prompt, topics, difficulty, ...(level ? { level } : {}), source, ...body };
  const explanation = c.explanation || defaults.explanation || (type === 'card' ? DEFAULT_CARD_EXPLANATION : `The answer is ${answerKeyText(body)}.`);
  const parsed = questionDefinition.safeParse({ ...candidate, explanation });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { line, message: `column "${columnOf(issue.path)}": ${issue.message}` };
  }
  if (c.id && !/^[a-z0-9][a-z0-9-]{0,63}$/.test(c.id)) return { line, message: 'column "id": lowercase letters, digits and dashes, or empty' };
  const wanted = c.id || slugify(prompt === DEFAULT_CLOZE_PROMPT && type === 'cloze' ? (c.text ?? '').replace(/\{\{\d+\}\}/g, ' ') : prompt, 64) || 'question';
  return { definition: { ...parsed.data, id: ids.take(wanted, wanted.slice(0, 60)) }, line };
}

import { fieldsOf } from '../http/body.ts';
import { QUESTION_TYPES, questionDefinition, type QuestionBody, type QuestionDefinition, type QuestionType } from '../questions/definition.ts';
import { keepAnswerDetails } from './answer-details.ts';
import { isOneOf } from '../object-shape.ts';
import { emptyEssayForm, essayBodyFromForm, essayToForm, ESSAY_FIELDS, type EssayFormValues } from './essay-form.ts';

/**
 * The question editor's form, as plain text fields that work without JavaScript, and its
 * conversion to and from a QuestionDefinition. Pure: no I/O; the caller checks the quote
 * against the source (that needs the passages).
 *
 * Type-specific syntax (shown beside each field in the form):
 * - mcq / multi `choices`: one choice per line; put `*` before each correct one.
 * - truefalse `truefalse`: "true" or "false".
 * - short `answers`: accepted answers, one per line.
 * - numeric `numericAnswer`, `tolerance` (default 0), `unit` (optional).
 * - cloze `clozeText` marks blanks {{1}}, {{2}}, …; `blanks`: one line per blank, its
 *   accepted answers separated by `|`.
 * - matching `pairs`: one pair per line, `left -> right`.
 * - ordering `items`: one item per line, in the correct order.
 * - essay `maxMark`, `wordLimit`, `rubric`, `modelAnswer` (essay-form.ts).
 * - card `back`: the back of a front/back card (the prompt is its front).
 */
export interface QuestionFormValues extends EssayFormValues {
  type: string;
  prompt: string;
  topics: string[];
  difficulty: string;
  /** '' (untagged), or one of LEVELS. */
  level: string;
  passageId: string;
  quote: string;
  explanation: string;
  choices: string;
  truefalse: string;
  answers: string;
  numericAnswer: string;
  tolerance: string;
  unit: string;
  clozeText: string;
  blanks: string;
  pairs: string;
  items: string;
  back: string;
}

export type QuestionFormField = keyof QuestionFormValues;

const TEXT_FIELDS = [
  'type',
  'prompt',
  'difficulty',
  'level',
  'passageId',
  'quote',
  'explanation',
  'choices',
  'truefalse',
  'answers',
  'numericAnswer',
  'tolerance',
  'unit',
  'clozeText',
  'blanks',
  'pairs',
  'items',
  ...ESSAY_FIELDS,
  'back',
] as const satisfies readonly QuestionFormField[];

/** Longest text kept from a submitted field: longer input is refused by the schema anyway. */
export const MAX_FORM_FIELD = 20_000;

/** The empty form for a new question of a type. */
export function emptyQuestionForm(type: QuestionType = 'mcq'): QuestionFormValues {
  return {
    type,
    prompt: '',
    topics: [],
    difficulty: 'medium',
    level: '',
    passageId: '',
    quote: '',
    explanation: '',
    choices: '',
    truefalse: '',
    answers: '',
    numericAnswer: '',
    tolerance: '0',
    unit: '',
    clozeText: '',
    blanks: '',
    pairs: '',
    items: '',
    ...emptyEssayForm(),
    back: '',
  };
}

/**
 * Reads a submitted form body into form values: strings only (anything else, such as a
 * `topics[$ne]` key or an object where text belongs, is ignored), clipped to MAX_FORM_FIELD.
 * Whether the text fields were over-long is reported, so the form can refuse them.
 */
export function readQuestionForm(body: unknown): { values: QuestionFormValues; tooLong: QuestionFormField[] } {
  const src = fieldsOf(body);
  const values = emptyQuestionForm();
  values.tolerance = '';
  values.difficulty = '';
  values.type = '';
  const tooLong: QuestionFormField[] = [];
  for (const field of TEXT_FIELDS) {
    const v = src[field];
    if (typeof v !== 'string') continue;
    if (v.length > MAX_FORM_FIELD) tooLong.push(field);
    values[field] = v.slice(0, MAX_FORM_FIELD);
  }
  const topics = src.topics;
  const list = typeof topics === 'string' ? [topics] : Array.isArray(topics) ? topics : [];
  values.topics = list
    .filter((t): t is string => typeof t === 'string')
    .slice(0, 20)
    .map((t) => t.slice(0, 100));
  return { values, tooLong };
}

/** The editor form showing a stored definition. */
export function definitionToForm(def: QuestionDefinition): QuestionFormValues {
  const form = emptyQuestionForm(def.type);
  form.prompt = def.prompt;
  form.topics = [...def.topics];
  form.difficulty = def.difficulty;
  form.level = def.level ?? '';
  // A passage of a source other than the bank's first is named with its source: "source#passage".
  form.passageId = def.source.sourceId ? `${def.source.sourceId}#${def.source.passageId}` : def.source.passageId;
  form.quote = def.source.quote;
  form.explanation = def.explanation;
  switch (def.type) {
    case 'mcq':
      form.choices = def.choices.map((c) => `${c.id === def.answer ? '*' : ''}${c.text}`).join('\n');
      break;
    case 'multi':
      form.choices = def.choices.map((c) => `${def.answers.includes(c.id) ? '*' : ''}${c.text}`).join('\n');
      break;
    case 'truefalse':
      form.truefalse = def.answer ? 'true' : 'false';
      break;
    case 'short':
      form.answers = def.answers.join('\n');
      break;
    case 'numeric':
      form.numericAnswer = String(def.answer);
      form.tolerance = String(def.tolerance);
      form.unit = def.unit ?? '';
      break;
    case 'cloze':
      form.clozeText = def.text;
      form.blanks = def.blanks.map((b) => b.answers.join(' | ')).join('\n');
      break;
    case 'matching':
      form.pairs = def.pairs.map((p) => `${p.left} -> ${p.right}`).join('\n');
      break;
    case 'ordering':
      form.items = def.items.join('\n');
      break;
    case 'essay':
      return { ...form, ...essayToForm(def) };
    case 'card':
      form.back = def.back;
      break;
  }
  return form;
}

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

const CHOICE_IDS = 'abcdefghijklmnopqrstuvwxyz'.split('');

/**
 * Choice ids for the choices' texts: a choice whose text is unchanged keeps its old id (so a
 * stored response still names it), new ones take the first free letter.
 */
function choiceIds(texts: string[], previous: QuestionDefinition | undefined): string[] {
  const old = previous && (previous.type === 'mcq' || previous.type === 'multi') ? previous.choices : [];
  const used = new Set<string>();
  const ids: (string | null)[] = texts.map((t) => {
    const match = old.find((c) => c.text === t && !used.has(c.id));
    if (!match) return null;
    used.add(match.id);
    return match.id;
  });
  return ids.map((id) => {
    if (id) return id;
    const free = CHOICE_IDS.find((c) => !used.has(c)) ?? `c${used.size + 1}`;
    used.add(free);
    return free;
  });
}

/** A decimal number as a person types it ("1,5" and "1 000" included), or NaN. */
function parseNumber(text: string): number {
  const t = text
    .trim()
    .replace(/[\s\u00a0]/g, '')
    .replace(/^(-?\d+),(\d+)$/, '$1.$2');
  return /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(t) ? Number(t) : Number.NaN;
}

type Errors = Partial<Record<QuestionFormField, string>>;

/** The type-specific part of a definition from the form's syntax, or the field errors. */
function bodyFromForm(form: QuestionFormValues, type: QuestionType, previous: QuestionDefinition | undefined, errors: Errors): QuestionBody {
  switch (type) {
    case 'mcq':
    case 'multi': {
      const rows = lines(form.choices).map((l) => ({ correct: l.startsWith('*'), text: l.replace(/^\*\s*/, '') }));
      if (rows.length === 0) errors.choices = 'Write the choices, one per line, with * before each correct one.';
      const ids = choiceIds(
        rows.map((r) => r.text),
        previous,
      );
      const choices = rows.map((r, i) => ({ id: ids[i]!, text: r.text }));
      const correct = choices.filter((_, i) => rows[i]!.correct).map((c) => c.id);
      if (rows.length && correct.length === 0) errors.choices = 'Mark the correct choice with * at the start of its line.';
      if (type === 'mcq') {
        if (correct.length > 1) errors.choices = 'A multiple-choice question has one correct choice: mark only one with *, or make it "several correct".';
        return { type, choices, answer: correct[0] ?? '' };
      }
      return { type, choices, answers: correct };
    }
    case 'truefalse':
      if (form.truefalse !== 'true' && form.truefalse !== 'false') errors.truefalse = 'Choose whether the statement is true or false.';
      return { type, answer: form.truefalse === 'true' };
    case 'short': {
      const answers = lines(form.answers);
      if (!answers.length) errors.answers = 'Write at least one accepted answer.';
      return { type, answers };
    }
    case 'numeric': {
      const answer = parseNumber(form.numericAnswer);
      if (Number.isNaN(answer)) errors.numericAnswer = 'Write the answer as a number, such as 42 or 0.5.';
      const tolerance = form.tolerance.trim() === '' ? 0 : parseNumber(form.tolerance);
      if (Number.isNaN(tolerance) || tolerance < 0) errors.tolerance = 'The tolerance is a number of 0 or more.';
      const unit = form.unit.trim();
      return { type, answer, tolerance, ...(unit ? { unit } : {}) };
    }
    case 'cloze': {
      const blanks = lines(form.blanks).map((l) => ({
        answers: l
          .split('|')
          .map((a) => a.trim())
          .filter((a) => a !== ''),
      }));
      if (!blanks.length) errors.blanks = 'Write the answers for each blank: one line per blank.';
      else if (blanks.some((b) => b.answers.length === 0)) errors.blanks = 'Each blank needs at least one accepted answer.';
      return { type, text: form.clozeText.trim(), blanks };
    }
    case 'matching': {
      const rows = lines(form.pairs);
      const pairs = rows.map((l) => {
        const at = l.indexOf('->');
        return at < 0 ? null : { left: l.slice(0, at).trim(), right: l.slice(at + 2).trim() };
      });
      if (!rows.length) errors.pairs = 'Write one pair per line, as: left -> right.';
      else if (pairs.some((p) => p === null)) errors.pairs = `Line ${pairs.findIndex((p) => p === null) + 1} has no "->": write each pair as left -> right.`;
      return { type, pairs: pairs.filter((p) => p !== null) };
    }
    case 'ordering': {
      const items = lines(form.items);
      if (!items.length) errors.items = 'Write the items one per line, in the correct order.';
      return { type, items };
    }
    case 'essay':
      return essayBodyFromForm(form, errors);
    case 'card':
      return { type, back: form.back.trim() };
  }
}

/** Which form field shows a schema issue at a definition path. */
function fieldOf(path: readonly PropertyKey[], type: string): QuestionFormField {
  const [head, next] = path.map(String);
  switch (head) {
    case 'source':
      return next === 'passageId' ? 'passageId' : 'quote';
    case 'prompt':
    case 'topics':
    case 'difficulty':
    case 'level':
    case 'explanation':
    case 'type':
      return head;
    case 'choices':
    case 'answers':
      return type === 'short' ? 'answers' : 'choices';
    case 'answer':
      return type === 'numeric' ? 'numericAnswer' : type === 'truefalse' ? 'truefalse' : 'choices';
    case 'tolerance':
    case 'unit':
      return head;
    case 'text':
      return 'clozeText';
    case 'blanks':
      return 'blanks';
    case 'pairs':
      return 'pairs';
    case 'items':
    case 'maxMark':
    case 'wordLimit':
    case 'rubric':
    case 'modelAnswer':
      return head;
    case 'back':
      return 'back';
    default:
      return 'prompt';
  }
}

const FIELD_NAMES: Partial<Record<QuestionFormField, string>> = {
  prompt: 'The prompt',
  explanation: 'The explanation',
  quote: 'The quote',
  choices: 'Each choice',
  answers: 'Each answer',
  clozeText: 'The text',
  blanks: 'Each answer',
  pairs: 'Each item',
  items: 'Each item',
  back: 'The back',
  unit: 'The unit',
  rubric: 'The rubric',
  modelAnswer: 'The model answer',
};

/** A schema issue in words a teacher reads beside the field. */
const PICK_FROM_LIST: Partial<Record<QuestionFormField, string>> = {
  topics: 'Choose topics from the list.',
  difficulty: 'Choose a difficulty from the list.',
  level: 'Choose a level from the list.',
};

function friendly(issue: { code: string; message: string; maximum?: unknown; minimum?: unknown; origin?: unknown }, field: QuestionFormField): string {
  const what = FIELD_NAMES[field] ?? 'This field';
  if (issue.code === 'too_big') {
    return issue.origin === 'array' ? `Too many: at most ${String(issue.maximum)}.` : `${what} is too long: at most ${String(issue.maximum)} characters.`;
  }
  if (issue.code === 'too_small') {
    if (issue.origin === 'array') return field === 'topics' ? 'Choose at least one topic.' : `Too few: at least ${String(issue.minimum)}.`;
    return `${what} is required.`;
  }
  // zod 4 reports a value outside an enum as invalid_value.
  if (issue.code === 'invalid_value') return PICK_FROM_LIST[field] ?? 'Choose a value from the list.';
  if (issue.code === 'invalid_format')
    return field === 'passageId' ? 'Choose a passage from the list.' : field === 'topics' ? 'Choose topics from the list.' : issue.message;
  return issue.message.charAt(0).toUpperCase() + issue.message.slice(1) + (issue.message.endsWith('.') ? '' : '.');
}

/** The form's passage ("passage" or "source#passage") as a source reference. */
function passageRef(value: string, quote: string): { sourceId?: string; passageId: string; quote: string } {
  const at = value.lastIndexOf('#');
  return at > 0 ? { sourceId: value.slice(0, at), passageId: value.slice(at + 1), quote } : { passageId: value, quote };
}

export type FormToDefinitionResult = { ok: true; definition: QuestionDefinition } | { ok: false; errors: Partial<Record<QuestionFormField, string>> };

/**
 * Builds a definition from the editor form and validates it with the same schema as the seed.
 * `key` is the question's stable id; `previous` (when editing) lets unchanged choices keep their ids.
 */
export function formToDefinition(form: QuestionFormValues, key: string, previous?: QuestionDefinition): FormToDefinitionResult {
  const errors: Errors = {};
  if (!isOneOf(QUESTION_TYPES, form.type)) {
    return { ok: false, errors: { type: 'Choose a question type from the list.' } };
  }
  const body = keepAnswerDetails(bodyFromForm(form, form.type, previous, errors), previous);
  const candidate = {
    id: key,
    prompt: form.prompt.trim(),
    topics: form.topics,
    difficulty: form.difficulty,
    ...(form.level.trim() ? { level: form.level.trim() } : {}),
    source: passageRef(form.passageId.trim(), form.quote.trim()),
    explanation: form.explanation.trim(),
    ...body,
  };
  const parsed = questionDefinition.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = fieldOf(issue.path, form.type);
      errors[field] ??= friendly(issue, field);
    }
  }
  if (Object.keys(errors).length || !parsed.success) return { ok: false, errors };
  return { ok: true, definition: parsed.data };
}

import { z } from 'zod';
import { MAX_ESSAY_LENGTH, type QuestionDefinition, type QuestionType } from './definition.ts';
import { opaqueId } from './opaque-id.ts';
import { isRecord } from '../object-shape.ts';

/**
 * A learner's response, one shape per type, tagged with the type so that stored responses are
 * self-describing. Every shape can say "not answered" (null, empty string or empty list): an
 * unanswered question is graded 0, not rejected.
 */
export type McqResponse = { type: 'mcq'; choice: string | null };
/** Ticked choice ids, in definition order. */
export type MultiResponse = { type: 'multi'; choices: string[] };
export type TrueFalseResponse = { type: 'truefalse'; value: boolean | null };
export type ShortResponse = { type: 'short'; text: string };
export type NumericResponse = { type: 'numeric'; value: number | null };
/** `blanks[i]` answers blank i+1. */
export type ClozeResponse = { type: 'cloze'; blanks: string[] };
/** Left id → right id (opaque ids from presentQuestion); a left left out is unanswered. */
export type MatchingResponse = { type: 'matching'; pairs: Record<string, string> };
/** Item ids in the order the learner put them; empty when unanswered. */
export type OrderingResponse = { type: 'ordering'; order: string[] };
/** A self-rated card: whether the learner says they knew the back. */
export type CardResponse = { type: 'card'; knew: boolean | null };

/** An essay's text, as written (line breaks kept). */
export type EssayResponse = { type: 'essay'; text: string };

/** Any response, discriminated by `type`. */
export type QuestionResponse =
  | McqResponse
  | MultiResponse
  | TrueFalseResponse
  | ShortResponse
  | NumericResponse
  | ClozeResponse
  | MatchingResponse
  | OrderingResponse
  | EssayResponse
  | CardResponse;

/** The result of parsing untrusted input: a response, or one sentence saying what is wrong (for a 400). */
export type ParseResponseResult = { ok: true; response: QuestionResponse } | { ok: false; error: string };

/** Options for reading a form that holds several questions: each question's fields carry a prefix. */
export interface ParseResponseOptions {
  namePrefix?: string;
}

/** Longest text accepted in any one field: generous for an answer, small enough to store. */
export const MAX_ANSWER_LENGTH = 1000;

class ResponseError extends Error {}
const fail = (message: string): never => {
  throw new ResponseError(message);
};

const text = z.string().max(MAX_ANSWER_LENGTH);
const textList = z.array(text).max(50);
/** Repeated form fields arrive as string[], a single one as string. */
const oneOrMany = z.union([text, textList]);

function read<T>(schema: z.ZodType<T>, value: unknown, name: string, expected: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const long = (v: unknown) => typeof v === 'string' && v.length > MAX_ANSWER_LENGTH;
  return fail(
    long(value) || (Array.isArray(value) && value.some(long)) ? `"${name}" is longer than ${MAX_ANSWER_LENGTH} characters` : `"${name}" must be ${expected}`,
  );
}

const optionalText = (value: unknown, name: string): string => read(text.optional(), value, name, 'a single piece of text') ?? '';

/**
 * Reads a number as people type it: "1.5", "1,5", "1,234.5", "- 3", and "8%" when the unit is %.
 * A comma is a decimal point unless a dot is present too (then it separates thousands), or
 * `wholeNumber` is set and every comma is followed by three digits ("2,002" is 2002).
 */
export function parseNumberText(raw: string, unit?: string, wholeNumber = false): number | null {
  let s = raw.trim();
  if (unit && s.toLowerCase().endsWith(unit.toLowerCase())) s = s.slice(0, s.length - unit.length);
  s = s.replace(/\s+/g, '');
  // Where the answer is a whole number, "2,002" means two thousand and two, not 2.002.
  if (wholeNumber && /^[+-]?\d{1,3}(?:,\d{3})+$/.test(s)) s = s.replace(/,/g, '');
  else if (s.includes('.')) s = s.replace(/,(?=\d{3}(?:\D|$))/g, '');
  else if ((s.match(/,/g) ?? []).length === 1) s = s.replace(',', '.');
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** Words as a reader counts them: runs of letters, digits and joining marks between spaces. */
export function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

function parseOrThrow(def: QuestionDefinition, raw: unknown, prefix: string): QuestionResponse {
  if (!isRecord(raw)) return fail('the response must be an object');
  const body = raw;
  if (body.type !== undefined && body.type !== def.type) fail(`this is a ${def.type} question, not ${String(body.type)}`);
  // Only prefixed names: an unprefixed field on a multi-question page belongs to another question.
  const field = (name: string): unknown => body[prefix + name];

  switch (def.type) {
    case 'mcq': {
      const choice = read(text.nullable().optional(), field('choice'), 'choice', 'a single choice id') ?? '';
      if (choice === '') return { type: 'mcq', choice: null };
      if (!def.choices.some((c) => c.id === choice)) fail(`"${choice}" is not one of this question's choices`);
      return { type: 'mcq', choice };
    }
    case 'multi': {
      const value = read(oneOrMany.optional(), field('choices'), 'choices', 'a list of choice ids') ?? [];
      const choices = (typeof value === 'string' ? [value] : value).filter((c) => c !== '');
      for (const c of choices) if (!def.choices.some((d) => d.id === c)) fail(`"${c}" is not one of this question's choices`);
      if (new Set(choices).size !== choices.length) fail('a choice was selected twice');
      // Definition order, so that equal selections are equal responses whatever the shuffle.
      return { type: 'multi', choices: def.choices.map((c) => c.id).filter((c) => choices.includes(c)) };
    }
    case 'truefalse': {
      const value = read(z.union([z.boolean(), z.enum(['true', 'false', '']), z.null()]).optional(), field('value'), 'value', 'true or false');
      return { type: 'truefalse', value: value === true || value === 'true' ? true : value === false || value === 'false' ? false : null };
    }
    case 'short':
      return { type: 'short', text: optionalText(field('text'), 'text').trim() };
    case 'numeric': {
      const value = read(z.union([z.number(), text, z.null()]).optional(), field('value'), 'value', 'a number');
      if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
        return { type: 'numeric', value: null };
      }
      const n = typeof value === 'number' ? (Number.isFinite(value) ? value : null) : parseNumberText(value, def.unit, Number.isInteger(def.answer));
      if (n === null) fail(`"${String(value)}" is not a number (write it like 42, 1.5 or 1,5)`);
      return { type: 'numeric', value: n };
    }
    case 'cloze': {
      const n = def.blanks.length;
      const json = field('blanks');
      const blanks =
        json !== undefined
          ? read(textList, json, 'blanks', 'a list of texts')
          : Array.from({ length: n }, (_, i) => optionalText(field(`blank${i + 1}`), `blank${i + 1}`));
      if (blanks.length > n) fail(`this question has ${n} blank${n === 1 ? '' : 's'}, not ${blanks.length}`);
      return { type: 'cloze', blanks: Array.from({ length: n }, (_, i) => (blanks[i] ?? '').trim()) };
    }
    case 'matching': {
      const lefts = new Set(def.pairs.map((p) => opaqueId(p.left)));
      const rights = new Set(def.pairs.map((p) => opaqueId(p.right)));
      const json = field('pairs');
      const entries: [string, unknown][] =
        json !== undefined
          ? Object.entries(read(z.record(z.string(), z.unknown()), json, 'pairs', 'an object of left id → right id'))
          : Object.entries(body)
              .filter(([k]) => k.startsWith(`${prefix}match_`))
              .map(([k, v]) => [k.slice(prefix.length + 'match_'.length), v]);
      const pairs: Record<string, string> = {};
      for (const [left, value] of entries) {
        if (!lefts.has(left)) fail(`"${left}" is not one of this question's items`);
        const right = optionalText(value, `match_${left}`);
        if (right === '') continue;
        if (!rights.has(right)) fail(`"${right}" is not one of this question's answers`);
        pairs[left] = right;
      }
      return { type: 'matching', pairs };
    }
    case 'ordering': {
      const ids = def.items.map((i) => opaqueId(i));
      const n = ids.length;
      const json = field('order');
      let order: string[];
      if (json !== undefined) {
        order = read(z.array(text).max(50), json, 'order', 'a list of item ids');
        for (const id of order) if (!ids.includes(id)) fail(`"${id}" is not one of this question's items`);
      } else {
        const positions = new Map<string, number>();
        for (const [k, v] of Object.entries(body)) {
          if (!k.startsWith(`${prefix}position_`)) continue;
          const id = k.slice(prefix.length + 'position_'.length);
          if (!ids.includes(id)) fail(`"${id}" is not one of this question's items`);
          const p = optionalText(v, `position_${id}`).trim();
          if (p === '') continue;
          if (!/^\d+$/.test(p) || Number(p) < 1 || Number(p) > n) fail(`position "${p}" must be a whole number from 1 to ${n}`);
          positions.set(id, Number(p));
        }
        if (positions.size === 0) return { type: 'ordering', order: [] };
        if (positions.size < n) fail(`give every item a position from 1 to ${n}`);
        order = [...positions].sort((a, b) => a[1] - b[1]).map(([id]) => id);
        const used = [...positions.values()];
        if (new Set(used).size !== n) fail('each position can be given to one item only');
      }
      if (order.length === 0) return { type: 'ordering', order: [] };
      if (order.length !== n || new Set(order).size !== n) fail(`put each of the ${n} items in the order exactly once`);
      return { type: 'ordering', order };
    }
    case 'essay': {
      const raw = field('text');
      if (typeof raw === 'string' && raw.length > MAX_ESSAY_LENGTH) fail(`your essay is longer than ${MAX_ESSAY_LENGTH} characters`);
      const value = read(z.string().optional(), raw, 'text', 'a single piece of text');
      const essay = (value ?? '').replace(/\r\n/g, '\n').trim();
      const words = wordCount(essay);
      if (def.wordLimit && words > def.wordLimit)
        fail(`your essay has ${words} words; the limit is ${def.wordLimit}. Shorten it by ${words - def.wordLimit} and save again`);
      return { type: 'essay', text: essay };
    }
    case 'card': {
      const knew = read(z.union([z.boolean(), z.enum(['yes', 'no', '']), z.null()]).optional(), field('knew'), 'knew', 'yes or no');
      return { type: 'card', knew: knew === true || knew === 'yes' ? true : knew === false || knew === 'no' ? false : null };
    }
  }
}

/** Validates untrusted input (a JSON response or an urlencoded form body) against a question. */
export function parseResponse(def: QuestionDefinition, raw: unknown, options: ParseResponseOptions = {}): ParseResponseResult {
  try {
    return { ok: true, response: parseOrThrow(def, raw, options.namePrefix ?? '') };
  } catch (err) {
    if (err instanceof ResponseError) return { ok: false, error: err.message };
    throw err;
  }
}

/** True when the learner gave no answer at all (graded 0, shown as "Not answered"). */
export function isBlankResponse(response: QuestionResponse): boolean {
  switch (response.type) {
    case 'mcq':
      return response.choice === null;
    case 'multi':
      return response.choices.length === 0;
    case 'truefalse':
      return response.value === null;
    case 'short':
      return response.text.trim() === '';
    case 'numeric':
      return response.value === null;
    case 'cloze':
      return response.blanks.every((b) => b.trim() === '');
    case 'matching':
      return Object.keys(response.pairs).length === 0;
    case 'ordering':
      return response.order.length === 0;
    case 'essay':
      return response.text.trim() === '';
    case 'card':
      return response.knew === null;
  }
}

/** The response of a learner who answered nothing, for a question of the given type. */
export function blankResponse(type: QuestionType): QuestionResponse {
  switch (type) {
    case 'mcq':
      return { type, choice: null };
    case 'multi':
      return { type, choices: [] };
    case 'truefalse':
      return { type, value: null };
    case 'short':
      return { type, text: '' };
    case 'numeric':
      return { type, value: null };
    case 'cloze':
      return { type, blanks: [] };
    case 'matching':
      return { type, pairs: {} };
    case 'ordering':
      return { type, order: [] };
    case 'essay':
      return { type, text: '' };
    case 'card':
      return { type, knew: null };
  }
}

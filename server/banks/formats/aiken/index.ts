import { questionDefinition, type QuestionDefinition } from '../../../questions/definition.ts';
import { answerKeyText } from '../../../questions/answer-key.ts';
import { slugify } from '../../../slug.ts';
import { IdAllocator } from '../../unique-ids.ts';
import type { ExportGiftResult, GiftDefaults, GiftError, ReadGiftResult } from '../gift/types.ts';

/**
 * Moodle's Aiken format: single-answer multiple choice in plain text.
 *
 *     What is the capital of France?
 *     A. Paris
 *     B) Lyon
 *     ANSWER: A
 *
 * A question is its text (one line or more), then two or more choices, each a capital letter in
 * order with "." or ")" and a space, then "ANSWER: letter". Blank lines between questions are
 * optional. Aiken says nothing else, so topics and the source come from the import's defaults;
 * choice ids are a, b, c….
 */

const CHOICE = /^([A-Z])[.)]\s+(.+)$/;
const ANSWER = /^ANSWER:\s*(.*)$/i;

/** At most this many questions are read from one Aiken file. */
export const MAX_AIKEN_QUESTIONS = 20_000;

interface Draft {
  line: number;
  prompt: string[];
  choices: { letter: string; text: string; line: number }[];
}

/** Every question an Aiken file holds, and a line-numbered reason for each one that cannot be read. */
export function readAiken(text: string, defaults: GiftDefaults): ReadGiftResult {
  const errors: GiftError[] = [];
  const questions: ReadGiftResult['questions'] = [];
  const ids = new IdAllocator();
  let refused = 0;
  let draft: Draft | null = null;
  // After a refusal inside a question, its remaining lines are passed over up to its ANSWER line.
  let skipping = false;
  const refuse = (line: number, message: string, rest = false) => {
    errors.push({ line, message });
    refused += 1;
    draft = null;
    skipping = rest;
  };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const raw = lines[i]!.trim();
    if (questions.length + refused >= MAX_AIKEN_QUESTIONS) {
      errors.push({ line, message: `more than ${MAX_AIKEN_QUESTIONS} questions in one file: split it into parts` });
      return { questions: [], errors, refused: refused + questions.length };
    }
    if (skipping) {
      if (raw === '' || ANSWER.test(raw)) skipping = false;
      continue;
    }
    const current: Draft | null = draft;
    if (raw === '') {
      if (current && current.choices.length) refuse(current.line, 'this question has choices but no "ANSWER: letter" line after them');
      continue;
    }
    if (!current) {
      if (ANSWER.test(raw)) {
        refuse(line, 'an "ANSWER:" line with no question before it');
        continue;
      }
      if (CHOICE.test(raw)) {
        refuse(line, 'a choice with no question before it: write the question on the line above "A."');
        continue;
      }
      draft = { line, prompt: [raw], choices: [] };
      continue;
    }
    const answer = ANSWER.exec(raw);
    if (answer) {
      const letter = answer[1]!.trim().toUpperCase();
      if (current.choices.length < 2) refuse(current.line, 'a question needs at least two choices (A. …, B. …) before its "ANSWER:" line');
      else if (!/^[A-Z]$/.test(letter)) refuse(line, `"ANSWER: ${answer[1]!.trim()}" should name one choice letter, as in "ANSWER: B"`);
      else if (!current.choices.some((c) => c.letter === letter))
        refuse(line, `the answer ${letter} is not one of the choices (${current.choices.map((c) => c.letter).join(', ')})`);
      else {
        const made = build(current, letter, defaults, ids);
        if ('message' in made) refuse(made.line, made.message);
        else {
          questions.push(made);
          draft = null;
        }
      }
      continue;
    }
    const choice = CHOICE.exec(raw);
    if (choice) {
      const expected = String.fromCharCode(65 + current.choices.length);
      if (choice[1] !== expected) refuse(line, `choice ${choice[1]} where ${expected} was expected: letter the choices A, B, C… in order`, true);
      else current.choices.push({ letter: choice[1]!, text: choice[2]!.trim(), line });
      continue;
    }
    if (current.choices.length) refuse(line, 'a line that is neither a choice ("C. …") nor "ANSWER: letter" after the choices', true);
    else current.prompt.push(raw);
  }
  const left: Draft | null = draft;
  if (left) refuse(left.line, 'the file ends before this question\'s "ANSWER: letter" line');
  return { questions, errors: errors.sort((a, b) => a.line - b.line), refused };
}

function build(draft: Draft, letter: string, defaults: GiftDefaults, ids: IdAllocator): ReadGiftResult['questions'][number] | GiftError {
  if (!defaults.source) return { line: draft.line, message: 'no source: Aiken cannot say one, so choose a default passage and quote' };
  if (!defaults.topics) return { line: draft.line, message: 'no topics: Aiken cannot say them, so choose a default topic' };
  const prompt = draft.prompt.join('\n');
  const choices = draft.choices.map((c) => ({ id: c.letter.toLowerCase(), text: c.text }));
  const candidate = {
    id: 'aiken',
    prompt,
    topics: defaults.topics,
    difficulty: defaults.difficulty ?? 'medium',
    source: defaults.source,
    type: 'mcq' as const,
    choices,
    answer: letter.toLowerCase(),
  };
  const explanation = defaults.explanation ?? `The answer is ${answerKeyText(candidate)}.`;
  const parsed = questionDefinition.safeParse({ ...candidate, explanation });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { line: draft.line, message: `${issue.path.join('.') || 'question'}: ${issue.message}` };
  }
  const wanted = slugify(prompt, 64) || 'question';
  return { definition: { ...parsed.data, id: ids.take(wanted, wanted.slice(0, 60)) }, line: draft.line };
}

/** Writes the single-answer multiple-choice questions as Aiken; every other one is listed with why. */
export function exportAiken(defs: readonly QuestionDefinition[]): ExportGiftResult {
  const skipped: ExportGiftResult['skipped'] = [];
  const blocks: string[] = [];
  for (const def of defs) {
    if (def.type !== 'mcq') skipped.push({ id: def.id, reason: 'Aiken holds single-answer multiple choice only' });
    else if (def.choices.some((c) => c.credit)) skipped.push({ id: def.id, reason: 'Aiken has no partial credit' });
    else if (
      def.choices.some((c) => /[\r\n]/.test(c.text)) ||
      /^\s*$/m.test(def.prompt) ||
      def.prompt.split('\n').some((l) => CHOICE.test(l.trim()) || ANSWER.test(l.trim()))
    ) {
      skipped.push({ id: def.id, reason: 'a line break in a choice, a blank line in the prompt or a prompt line that reads as a choice would be misread' });
    } else {
      const letter = (i: number) => String.fromCharCode(65 + i);
      const answer = def.choices.findIndex((c) => c.id === def.answer);
      blocks.push(
        [...def.prompt.split('\n').map((l) => l.trim()), ...def.choices.map((c, i) => `${letter(i)}. ${c.text}`), `ANSWER: ${letter(answer)}`].join('\n'),
      );
    }
  }
  return { text: blocks.length ? `${blocks.join('\n\n')}\n` : '', skipped };
}

import type { QuestionDefinition } from '../../../questions/definition.ts';
import { answerKeyText } from '../../../questions/answer-key.ts';
import { IdAllocator } from '../../unique-ids.ts';
import type { GiftDefaults, GiftError, ReadGiftResult } from '../gift/types.ts';
import { buildCard, cardSides } from '../card.ts';

/**
 * Quizlet's import/export text: one card a row, the term then the definition. Quizlet lets the
 * user choose both separators ("between term and definition": tab, comma or custom; "between
 * rows": new line, semicolon or custom) and quotes nothing, so a row is split at its first
 * term separator and rows at every row separator. Each card becomes a front/back card with the
 * import form's default topic and source; its id is the term slugged (duplicates suffixed).
 */

export const MAX_QUIZLET_CARDS = 20_000;

const NAMED: Record<string, string> = { tab: '\t', comma: ',', newline: '\n', 'new line': '\n', semicolon: ';' };

/** A separator as the form gives it: a name (tab, comma, newline, semicolon) or the characters themselves. */
export function separatorOf(value: string, fallback: string): string {
  if (value === '') return fallback;
  return NAMED[value.trim().toLowerCase()] ?? value.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
}

export interface QuizletSeparators {
  term: string;
  row: string;
}

const show = (s: string) => JSON.stringify(s).slice(1, -1);

/** Every card of a Quizlet export, and a line-numbered reason for each row that is not one. */
export function readQuizlet(text: string, separators: QuizletSeparators, defaults: GiftDefaults): ReadGiftResult {
  const errors: GiftError[] = [];
  const questions: ReadGiftResult['questions'] = [];
  const { term, row } = separators;
  if (term === row) return { questions, errors: [{ line: 1, message: 'the term separator and the row separator must differ' }], refused: 0 };
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const ids = new IdAllocator();
  let refused = 0;
  let at = 0;
  let line = 1;
  for (const chunk of source.split(row)) {
    // The row's first line: past the line breaks before its first character.
    const lead = /^\s*/.exec(chunk)![0];
    const rowLine = line + (lead.match(/\n/g)?.length ?? 0);
    line += (chunk.match(/\n/g)?.length ?? 0) + (row.match(/\n/g)?.length ?? 0);
    at += chunk.length + row.length;
    if (chunk.trim() === '') continue;
    if (questions.length + refused >= MAX_QUIZLET_CARDS) {
      errors.push({ line: rowLine, message: `more than ${MAX_QUIZLET_CARDS} cards in one file: split it into parts` });
      return { questions: [], errors, refused: refused + questions.length };
    }
    const split = chunk.indexOf(term);
    const made =
      split < 0
        ? { line: rowLine, message: `no "${show(term)}" between the term and the definition: is that the separator the set was exported with?` }
        : buildCard({ front: chunk.slice(0, split), back: chunk.slice(split + term.length), line: rowLine }, defaults, ids);
    if ('message' in made) {
      errors.push(made);
      refused += 1;
    } else questions.push(made);
  }
  void at;
  return { questions, errors, refused };
}

/**
 * The questions as Quizlet text with the given separators. Quizlet has no quoting, so a
 * separator inside a side is replaced by a space (a line break by " / " when rows are lines).
 */
export function exportQuizlet(defs: readonly QuestionDefinition[], separators: QuizletSeparators = { term: '\t', row: '\n' }): string {
  const clean = (s: string) => {
    let out = s.replace(/\r?\n+/g, separators.row === '\n' || separators.term === '\n' ? ' / ' : '\n');
    for (const sep of [separators.term, separators.row]) out = out.split(sep).join(' ');
    return out.trim();
  };
  const rows = defs.map((def) => {
    const { front, back } = cardSides(def, answerKeyText);
    return `${clean(front)}${separators.term}${clean(back)}`;
  });
  return rows.length ? `${rows.join(separators.row)}${separators.row === '\n' ? '\n' : ''}` : '';
}

import type { QuestionDefinition } from '../../../questions/definition.ts';
import { answerKeyText } from '../../../questions/answer-key.ts';
import { IdAllocator } from '../../unique-ids.ts';
import type { GiftDefaults, GiftError, ReadGiftResult } from '../gift/types.ts';
import { buildCard, cardSides, DEFAULT_CARD_EXPLANATION } from '../card.ts';
import { htmlToText, mediaMarker } from '../plain-text.ts';
import { buildAnkiCloze } from './cloze.ts';
import { csvField, readCsvRows } from '../csv-rows.ts';
import { isOneOf } from '../../../object-shape.ts';

/**
 * Anki's "Notes in Plain Text" (https://docs.ankiweb.net/importing/text-files.html): one note a
 * row, fields split by a separator, fields quoted as CSV ("…", "" for a quote). Header lines at
 * the top: `#separator:tab|comma|semicolon|pipe|space|colon|<char>`, `#html:true|false`,
 * `#columns:<names>`, `#tags:<tags for every note>`, `#notetype:`, `#deck:`, and
 * `#notetype column:N`, `#deck column:N`, `#tags column:N`, `#guid column:N` for columns that
 * are not fields. Without `#separator` the first row decides: tab, pipe, semicolon, else comma.
 *
 * Each note becomes a front/back card: the first field its front, the second its back, a third
 * (Anki's "Extra") its explanation; a note whose first field holds `{{c1::…}}` becomes a cloze.
 * Tags that are topics of the bank become its topics; the guid column (as Lectern writes it)
 * its id. With `#html:true` fields are converted to plain text (tags dropped, entities
 * decoded); a note with an image or a sound is refused, since Lectern stores no files.
 *
 * Rows are read with csv-parse (see csv-rows.ts).
 */

export const MAX_ANKI_NOTES = 20_000;

const NAMED: Record<string, string> = { tab: '\t', comma: ',', semicolon: ';', pipe: '|', space: ' ', colon: ':' };

const SPECIAL_COLUMNS = ['notetype', 'deck', 'tags', 'guid'] as const;

interface Header {
  separator?: string;
  html: boolean;
  tags: string[];
  notetype?: string;
  columns: { notetype?: number; deck?: number; tags?: number; guid?: number };
}

/** The header lines at the top, and the line the notes start on (0-based). */
function readHeader(lines: string[], errors: GiftError[]): { header: Header; start: number } {
  const header: Header = { html: false, tags: [], columns: {} };
  let i = 0;
  for (; i < lines.length; i++) {
    const m = /^#([a-z ]+):(.*)$/i.exec(lines[i]!.trim());
    if (!m) break;
    const key = m[1]!.trim().toLowerCase();
    const value = m[2]!.trim();
    const column = /^(\w+) column$/.exec(key)?.[1];
    if (key === 'separator') {
      const sep = NAMED[value.toLowerCase()] ?? (value.length === 1 ? value : undefined);
      if (sep === undefined)
        errors.push({ line: i + 1, message: `unknown separator "${value}": write tab, comma, semicolon, pipe, space, colon or one character` });
      else header.separator = sep;
    } else if (key === 'html') {
      if (!/^(true|false)$/i.test(value)) errors.push({ line: i + 1, message: `#html is true or false, not "${value}"` });
      header.html = /^true$/i.test(value);
    } else if (key === 'tags') header.tags = value.split(/\s+/).filter(Boolean);
    else if (key === 'notetype') header.notetype = value;
    else if (column !== undefined && isOneOf(SPECIAL_COLUMNS, column)) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1 || n > 100) errors.push({ line: i + 1, message: `#${key} is a column number from 1, not "${value}"` });
      else header.columns[column] = n;
    }
    // #columns, #deck and #if matches say nothing a Lectern card needs.
  }
  return { header, start: i };
}

function guessSeparator(line: string): string {
  return ['\t', '|', ';'].find((s) => line.includes(s)) ?? ',';
}

/** Every note of an Anki text file as a question, and a line-numbered reason for each other one. */
export function readAnkiText(text: string, defaults: GiftDefaults): ReadGiftResult {
  const errors: GiftError[] = [];
  const questions: ReadGiftResult['questions'] = [];
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const { header, start } = readHeader(lines, errors);
  if (errors.length) return { questions, errors, refused: 0 };
  const separator = header.separator ?? guessSeparator(lines.slice(start).find((l) => l.trim()) ?? '');
  const { rows, errors: rowErrors } = readCsvRows(lines, start, separator);
  errors.push(...rowErrors);
  let refused = rowErrors.length;
  const special = new Set(Object.values(header.columns).map((n) => n - 1));
  const ids = new IdAllocator();
  for (const row of rows) {
    if (questions.length + refused >= MAX_ANKI_NOTES) {
      errors.push({ line: row.line, message: `more than ${MAX_ANKI_NOTES} notes in one file: split it into parts` });
      return { questions: [], errors, refused: refused + questions.length };
    }
    const made = noteToQuestion(row, header, special, defaults, ids);
    if ('message' in made) {
      errors.push(made);
      refused += 1;
    } else questions.push(made);
  }
  return { questions, errors: errors.sort((a, b) => a.line - b.line), refused };
}

function noteToQuestion(row: { fields: string[]; line: number }, header: Header, special: Set<number>, defaults: GiftDefaults, ids: IdAllocator) {
  const { line } = row;
  const column = (n: number | undefined) => (n === undefined ? undefined : (row.fields[n - 1] ?? '').trim());
  const raw = row.fields.filter((_, i) => !special.has(i));
  const fields: string[] = [];
  for (const f of raw) {
    const marker = mediaMarker(f);
    if (marker) return { line, message: `the note holds ${marker}: Lectern stores no files, so it is not imported` };
    if (!header.html) {
      fields.push(f.trim());
      continue;
    }
    const plain = htmlToText(f);
    if (plain.media.length)
      return {
        line,
        message: `the note holds ${plain.media.includes('img') ? 'an image' : `a <${plain.media[0]}> element`}: Lectern stores no files, so it is not imported`,
      };
    fields.push(plain.text);
  }
  const notetype = (column(header.columns.notetype) || header.notetype || '').toLowerCase();
  const tags = [...header.tags, ...(column(header.columns.tags) ?? '').split(/\s+/).filter(Boolean)];
  const id = column(header.columns.guid);
  if (notetype.includes('cloze') || /\{\{c\d+::/.test(fields[0] ?? ''))
    return buildAnkiCloze({ text: fields[0] ?? '', extra: fields[1], tags, id, line }, defaults, ids);
  if (fields.length < 2) {
    const sep = header.separator ?? 'the separator';
    return { line, message: `a note needs a front and a back, and this row has one field: is ${JSON.stringify(sep)} the file's separator?` };
  }
  const explanation = fields[2] ? { ...defaults, explanation: fields[2] } : defaults;
  return buildCard({ front: fields[0]!, back: fields[1]!, tags, id, line }, explanation, ids);
}

/**
 * The questions as an Anki text file of Basic notes (tab-separated, plain text): front, back,
 * explanation, topics as tags, the Lectern id as the guid. A card keeps its sides; any other
 * question is written as its prompt (with its choices) and its answer, for study in Anki.
 */
export function exportAnkiText(defs: readonly QuestionDefinition[], deck: string): string {
  const sep = '\t';
  const head = [
    '#separator:tab',
    '#html:false',
    '#notetype:Basic',
    `#deck:${deck.replace(/[\r\n]+/g, ' ')}`,
    '#columns:Front\tBack\tExplanation\tTags\tGUID',
    '#tags column:4',
    '#guid column:5',
  ];
  const rows = defs.map((def) => {
    const { front, back } = cardSides(def, answerKeyText);
    const explanation = def.explanation === DEFAULT_CARD_EXPLANATION ? '' : def.explanation;
    return [front, back, explanation, def.topics.join(' '), def.id].map((v) => csvField(v, sep)).join(sep);
  });
  return `${[...head, ...rows].join('\n')}\n`;
}

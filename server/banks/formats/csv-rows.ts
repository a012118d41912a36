import { parse } from 'csv-parse/sync';
import type { CsvError } from 'csv-parse';
import type { GiftError } from './gift/types.ts';

/**
 * Rows of delimited text (CSV quoting: "…", "" for a quote) with the line each starts on, and a
 * line-numbered reason for each row that cannot be read; the rows after a bad one are still
 * read. csv-parse reports where each row ends, so a row's first line is the first non-blank line
 * after the previous row.
 */

export interface CsvRow {
  fields: string[];
  /** 1-based line of the whole text where the row starts. */
  line: number;
}

/** A csv-parse error in words (its line is given apart). */
function csvProblem(err: CsvError | undefined): string {
  if (err?.code === 'CSV_QUOTE_NOT_CLOSED') return 'a quoted field opened here is never closed (a " is missing)';
  if (err?.code === 'CSV_INVALID_CLOSING_QUOTE') return 'a quote ends a field in the middle: inside a quoted field write a quote as ""';
  return `this row cannot be read: ${err?.message.replace(/ at line \d+.*$/, '') ?? 'malformed'}`;
}

/**
 * The rows of `lines.slice(start)` split at `delimiter`. A quote inside an unquoted field is kept
 * as it is (Anki and spreadsheets write them so, and HTML attributes hold them).
 */
export function readCsvRows(lines: readonly string[], start: number, delimiter: string): { rows: CsvRow[]; errors: GiftError[] } {
  const rows: CsvRow[] = [];
  const errors: GiftError[] = [];
  let lastEnd = start;
  const firstLineAfter = (end: number) => {
    let n = end;
    while (n < lines.length && lines[n]!.trim() === '') n++;
    return n + 1;
  };
  parse(lines.slice(start).join('\n'), {
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_record: (record: string[], context: { lines: number }) => {
      rows.push({ fields: record, line: firstLineAfter(lastEnd) });
      lastEnd = start + context.lines;
      return null;
    },
    on_skip: (err: CsvError | undefined) => {
      errors.push({ line: firstLineAfter(lastEnd), message: csvProblem(err) });
      lastEnd = start + (typeof err?.lines === 'number' ? err.lines : lastEnd - start + 1);
    },
  });
  return { rows, errors };
}

/** A field as a CSV reader reads it back: quoted when it holds the delimiter, a quote, a line break or edge spaces. */
export function csvField(value: string, delimiter: string): string {
  return value.includes(delimiter) || /["\n\r]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

import { parse, CsvError } from 'csv-parse/sync';
import { isRecord } from '../object-shape.ts';
import { emailSchema, nameSchema } from '../accounts/index.ts';

/** The largest roster file taken (bytes): 500 students with long names fit in a tenth of it. */
export const ROSTER_CSV_MAX_BYTES = 256 * 1024;

/** A person read from one line of a roster file. */
export interface RosterLine {
  line: number;
  name: string;
  email: string;
}

/** What is wrong with one line (line 0: the file as a whole). */
export interface RosterLineError {
  line: number;
  message: string;
}

export interface ParsedRoster {
  people: RosterLine[];
  errors: RosterLineError[];
}

const HEADER_NAMES = { name: ['name', 'full name', 'student', 'student name'], email: ['email', 'e-mail', 'email address', 'mail'] };

/** The columns a header row names (null: the first row is a student, read as name, email). */
function headerColumns(cells: readonly string[]): { name: number; email: number } | null {
  const lower = cells.map((c) => c.trim().toLowerCase());
  const name = lower.findIndex((c) => HEADER_NAMES.name.includes(c));
  const email = lower.findIndex((c) => HEADER_NAMES.email.includes(c));
  return name >= 0 && email >= 0 ? { name, email } : null;
}

/** A record as csv-parse gives it with `info`: its fields and the line it ends on. */
function withLine(r: unknown): { record: string[]; info: { lines: number } } {
  if (isRecord(r) && Array.isArray(r.record) && isRecord(r.info) && typeof r.info.lines === 'number')
    return { record: r.record.map(String), info: { lines: r.info.lines } };
  throw new Error('csv-parse gave a record without its info');
}

/**
 * Reads a roster CSV (name, email; an optional header row naming the two columns in any order)
 * and checks every line: a name, an email address, no email twice, at most `maxRows` people.
 * Pure: every error found is returned with its line number, and nothing is written by anyone
 * unless the list of errors is empty. csv-parse reads RFC 4180 (quoted commas and quotes, a
 * byte-order mark, CRLF) and says on which line a broken quote is.
 */
export function parseRosterCsv(text: string, maxRows: number): ParsedRoster {
  if (Buffer.byteLength(text, 'utf8') > ROSTER_CSV_MAX_BYTES) {
    return { people: [], errors: [{ line: 0, message: `The file is larger than ${ROSTER_CSV_MAX_BYTES / 1024} KB. Split it into smaller files.` }] };
  }
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // With `info`, each record comes with the line it ends on (the types do not follow the option).
    const parsed: unknown[] = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true, max_record_size: 4096 });
    records = parsed.map(withLine);
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const line = typeof err.lines === 'number' ? err.lines : 0;
    return {
      people: [],
      errors: [
        {
          line,
          message: `This line cannot be read as CSV (${err.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quote is opened and never closed' : 'a quote is misplaced'}). Nothing after it was read.`,
        },
      ],
    };
  }
  const columns = records.length ? headerColumns(records[0]!.record) : null;
  const body = columns ? records.slice(1) : records;
  const at = columns ?? { name: 0, email: 1 };
  const errors: RosterLineError[] = [];
  if (!body.length) return { people: [], errors: [{ line: 0, message: 'The file lists nobody: one student a line, name then email.' }] };
  if (body.length > maxRows) {
    return {
      people: [],
      errors: [{ line: 0, message: `The file lists ${body.length} students; at most ${maxRows} are enrolled at once. Split it into smaller files.` }],
    };
  }
  const people: RosterLine[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { record, info } of body) {
    const line = info.lines;
    const extra = record.filter((_, i) => i !== at.name && i !== at.email).some((c) => c !== '');
    if (extra) {
      errors.push({ line, message: 'This line has more than two columns; write name, email (quote a name that has a comma).' });
      continue;
    }
    const name = nameSchema.safeParse(record[at.name] ?? '');
    const email = emailSchema.safeParse(record[at.email] ?? '');
    const rawName = record[at.name] ?? '';
    const rawEmail = record[at.email] ?? '';
    const problems = [
      ...(name.success ? [] : [rawName.trim() ? 'The name is longer than 100 characters.' : 'The name is missing.']),
      ...(email.success ? [] : [rawEmail ? `“${rawEmail.slice(0, 80)}” is not an email address.` : 'The email address is missing.']),
    ];
    if (problems.length) {
      errors.push({ line, message: problems.join(' ') });
      continue;
    }
    const seen = firstLineOf.get(email.data!);
    if (seen !== undefined) {
      errors.push({ line, message: `${email.data} is already on line ${seen}.` });
      continue;
    }
    firstLineOf.set(email.data!, line);
    people.push({ line, name: name.data!, email: email.data! });
  }
  return { people, errors };
}

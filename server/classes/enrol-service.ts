import { Enrolment, type EnrolmentDoc } from './model.ts';
import { assertNotArchived, getTaughtClass, type ClassSummary } from './service.ts';
import { parseRosterCsv, type RosterLineError } from './roster-csv.ts';
import { accountsByEmail, createStudentAccounts, issueResetLinks, roleOf, type Caller, type ResetLink } from '../accounts/index.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../http/errors.ts';
import { isObjectId, toObjectId as oid } from '../object-ids.ts';

/** What enrolling one line of the file does. */
export type EnrolAction = 'create' | 'enrol' | 'already';

export interface EnrolPreviewRow {
  line: number;
  name: string;
  email: string;
  action: EnrolAction;
}

export interface EnrolPreview {
  cls: ClassSummary;
  rows: EnrolPreviewRow[];
  errors: RosterLineError[];
}

/** A student whose account the enrolment created, with the link that sets their first password. */
export interface HandOut {
  name: string;
  email: string;
  token: string;
  expiresAt: Date;
}

export interface EnrolResult {
  cls: ClassSummary;
  created: HandOut[];
  enrolled: number;
  already: number;
}

/**
 * Reads and checks a roster file for a class the caller teaches: the parse's line errors, and
 * per person whether an account is made, an existing student enrolled, or nothing (already in).
 * An email that belongs to an instructor or admin is an error: this enrols students.
 */
export async function previewEnrolment(caller: Caller, classId: string, text: string, maxRows: number): Promise<EnrolPreview> {
  const cls = await getTaughtClass(caller, classId);
  assertNotArchived(cls);
  const { people, errors } = parseRosterCsv(text, maxRows);
  const accounts = await accountsByEmail(people.map((p) => p.email));
  const inClass = new Set(
    (await Enrolment.find({ classId: oid(cls.id), userId: { $in: [...accounts.values()].map((a) => oid(a.id)) } }, { userId: 1 }).lean<EnrolmentDoc[]>()).map(
      (e) => String(e.userId),
    ),
  );
  const rows: EnrolPreviewRow[] = [];
  for (const p of people) {
    const account = accounts.get(p.email);
    if (account && account.role !== 'student') {
      errors.push({ line: p.line, message: `${p.email} is an ${account.role}'s account; only students are enrolled from a file.` });
      continue;
    }
    if (account && account.id === caller.id) {
      errors.push({ line: p.line, message: 'That is your own account.' });
      continue;
    }
    rows.push({ line: p.line, name: account?.name ?? p.name, email: p.email, action: !account ? 'create' : inClass.has(account.id) ? 'already' : 'enrol' });
  }
  errors.sort((a, b) => a.line - b.line);
  return { cls, rows, errors };
}

/**
 * Enrols everyone the file lists, after checking all of it: a file with any error writes nothing
 * (ValidationError, with the preview's errors). New people get a student account with no
 * password and a one-time reset link to set it; existing students are enrolled as they are (no
 * link: their password is theirs).
 */
export async function applyEnrolment(caller: Caller, classId: string, text: string, maxRows: number, now: Date, ttlMs: number): Promise<EnrolResult> {
  const preview = await previewEnrolment(caller, classId, text, maxRows);
  if (preview.errors.length) throw new EnrolFileError(preview);
  const { cls, rows } = preview;
  const made = await createStudentAccounts(rows.filter((r) => r.action === 'create'));
  // Someone who registered between the check and the write is now an existing account.
  const existing = await accountsByEmail(rows.filter((r) => !made.has(r.email)).map((r) => r.email));
  const writes = rows.flatMap((r) => {
    const id = made.get(r.email) ?? (existing.get(r.email)?.role === 'student' ? existing.get(r.email)!.id : null);
    if (!id) return [];
    const via = made.has(r.email) ? 'csv-new' : 'csv-existing';
    return [
      {
        updateOne: {
          filter: { classId: oid(cls.id), userId: oid(id) },
          update: { $setOnInsert: { joinedAt: now, via }, $set: { name: r.name, email: r.email } },
          upsert: true,
        },
      },
    ];
  });
  const res = writes.length ? await Enrolment.bulkWrite(writes, { ordered: false }) : { upsertedCount: 0 };
  const links = await issueResetLinks([...made.values()], caller.id, now, ttlMs);
  const byId = new Map(links.map((l: ResetLink) => [l.userId, l]));
  const created = rows.flatMap((r) => {
    const link = byId.get(made.get(r.email) ?? '');
    return link ? [{ name: r.name, email: r.email, token: link.token, expiresAt: link.expiresAt }] : [];
  });
  return {
    cls: { ...cls, studentCount: cls.studentCount + res.upsertedCount },
    created,
    enrolled: res.upsertedCount,
    already: writes.length - res.upsertedCount,
  };
}

/** A roster file with errors: nothing was written; the preview says what to fix. */
export class EnrolFileError extends ValidationError {
  constructor(readonly preview: EnrolPreview) {
    super(
      `The file has ${preview.errors.length} problem${preview.errors.length === 1 ? '' : 's'}; nobody was enrolled. Fix ${preview.errors.length === 1 ? 'it' : 'them'} and try again.`,
    );
  }
}

/**
 * A reset link for a student of a class the caller teaches: one who joined it with the code, or
 * whose account the caller's roster file created. An existing account someone added by file, an
 * instructor or an admin is refused: an instructor's reach must not extend to any account whose
 * email they know.
 */
export async function studentResetLink(
  caller: Caller,
  classId: string,
  userId: string,
  now: Date,
  ttlMs: number,
): Promise<ResetLink & { name: string; email: string }> {
  const cls = await getTaughtClass(caller, classId);
  const row = isObjectId(userId) ? await Enrolment.findOne({ classId: oid(cls.id), userId: oid(userId) }).lean<EnrolmentDoc>() : null;
  const role = row ? await roleOf(userId) : null;
  if (!row || !role) throw new NotFoundError('That student is not in this class.');
  if (role !== 'student') throw new ForbiddenError('Only an administrator can reset the password of an instructor or admin account.');
  if (row.via === 'csv-existing' && caller.role !== 'admin') {
    throw new ForbiddenError('This student had an account before they were added to the class by file, so only an administrator can reset its password.');
  }
  const [link] = await issueResetLinks([userId], caller.id, now, ttlMs);
  return { ...link!, name: row.name, email: row.email };
}

import mongoose from 'mongoose';
import { Class, Enrolment, type ClassDoc, type EnrolmentDoc } from './model.ts';
import { generateJoinCode, normaliseJoinCode } from './join-code.ts';
import { authorStanding, canAuthor, NO_LONGER_AUTHOR, usersByIds, type Caller } from '../accounts/index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors.ts';
import { isDuplicateKey } from '../mongo-errors.ts';
import { isObjectId, toObjectId as oid } from '../object-ids.ts';

/** A class as pages show it. */
export interface ClassSummary {
  id: string;
  name: string;
  instructorId: string;
  instructorName: string;
  joinCode: string;
  studentCount: number;
  /** When the instructor archived it; null while it runs. */
  archivedAt: Date | null;
}

export interface RosterEntry {
  userId: string;
  name: string;
  email: string;
  joinedAt: Date;
  /** The account was deleted: the row stays for the gradebook, with nothing that names them. */
  deleted: boolean;
}

/** Whether the caller teaches the class now: its instructor while they hold the role (admins may look after every class). */
export function teaches(caller: Caller, cls: Pick<ClassDoc, 'instructorId'>): boolean {
  return authorStanding(caller, cls.instructorId) === 'manages';
}

/** Refuses (403) the class's instructor once they have lost the instructor role. */
function refuseFormerInstructor(caller: Caller, cls: Pick<ClassDoc, 'instructorId'>): void {
  if (authorStanding(caller, cls.instructorId) === 'former-author') throw new ForbiddenError(NO_LONGER_AUTHOR);
}

async function summaries(classes: ClassDoc[]): Promise<ClassSummary[]> {
  const ids = classes.map((c) => c._id);
  const [counts, teachers] = await Promise.all([
    Enrolment.aggregate<{ _id: mongoose.Types.ObjectId; n: number }>([{ $match: { classId: { $in: ids } } }, { $group: { _id: '$classId', n: { $sum: 1 } } }]),
    usersByIds(classes.map((c) => String(c.instructorId))),
  ]);
  const count = new Map(counts.map((r) => [String(r._id), r.n]));
  return classes.map((c) => ({
    id: String(c._id),
    name: c.name,
    instructorId: String(c.instructorId),
    instructorName: teachers.get(String(c.instructorId))?.name ?? 'Unknown instructor',
    joinCode: c.joinCode,
    studentCount: count.get(String(c._id)) ?? 0,
    archivedAt: c.archivedAt ?? null,
  }));
}

/** Inserts with a fresh join code, trying again on the (rare) clash with another class's code. */
async function withFreshCode<T>(write: (code: string) => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await write(generateJoinCode());
    } catch (err) {
      if (!isDuplicateKey(err) || tries >= 5) throw err;
    }
  }
}

/** Creates a class taught by the caller, with a new join code. */
export async function createClass(caller: Caller, name: string): Promise<ClassSummary> {
  const doc = await withFreshCode((joinCode) => Class.create({ name, instructorId: oid(caller.id), joinCode }));
  const [s] = await summaries([doc.toObject()]);
  return s!;
}

/** The classes the caller teaches, archived ones included (an instructor sees only their own; pages split them by `archivedAt`). */
export async function listTaughtClasses(caller: Caller): Promise<ClassSummary[]> {
  const classes = await Class.find({ instructorId: oid(caller.id) })
    .sort({ name: 1 })
    .lean<ClassDoc[]>();
  return summaries(classes);
}

/** The classes the caller has joined as a student, archived ones included. */
export async function listJoinedClasses(caller: Caller): Promise<ClassSummary[]> {
  const rows = await Enrolment.find({ userId: oid(caller.id) }).lean<EnrolmentDoc[]>();
  const classes = await Class.find({ _id: { $in: rows.map((r) => r.classId) } })
    .sort({ name: 1 })
    .lean<ClassDoc[]>();
  return summaries(classes);
}

/** Ids of the classes a user is enrolled in. */
export async function enrolledClassIds(userId: string): Promise<string[]> {
  const rows = await Enrolment.find({ userId: oid(userId) }).lean<EnrolmentDoc[]>();
  return rows.map((r) => String(r.classId));
}

/** A class the caller teaches: 404 when it does not exist or is someone else's (its existence is not revealed). */
export async function getTaughtClass(caller: Caller, classId: string): Promise<ClassSummary> {
  const cls = isObjectId(classId) ? await Class.findById(classId).lean<ClassDoc>() : null;
  if (cls) refuseFormerInstructor(caller, cls);
  if (!cls || !teaches(caller, cls)) throw new NotFoundError('We could not find that class.');
  const [s] = await summaries([cls]);
  return s!;
}

/** A class the caller teaches or belongs to; `teaching` says which. */
export async function getVisibleClass(caller: Caller, classId: string): Promise<{ cls: ClassSummary; teaching: boolean }> {
  const cls = isObjectId(classId) ? await Class.findById(classId).lean<ClassDoc>() : null;
  if (!cls) throw new NotFoundError('We could not find that class.');
  refuseFormerInstructor(caller, cls);
  if (teaches(caller, cls)) return { cls: (await summaries([cls]))[0]!, teaching: true };
  const member = await Enrolment.exists({ classId: cls._id, userId: oid(caller.id) });
  if (!member) throw new NotFoundError('We could not find that class.');
  return { cls: (await summaries([cls]))[0]!, teaching: false };
}

/** The students of a class the caller teaches, by name. */
export async function roster(caller: Caller, classId: string): Promise<RosterEntry[]> {
  const cls = await getTaughtClass(caller, classId);
  const rows = await Enrolment.find({ classId: oid(cls.id) }).lean<EnrolmentDoc[]>();
  const byId = await usersByIds(rows.map((r) => String(r.userId)));
  return rows
    .map((r) => {
      const u = byId.get(String(r.userId));
      // A deleted account's row keeps the label it was given ("Deleted student 3").
      return { userId: String(r.userId), name: u?.name ?? (r.name || 'Deleted account'), email: u?.email ?? r.email, joinedAt: r.joinedAt, deleted: !u };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Joins the class whose code was given; joining a class twice changes nothing. */
export async function joinClass(caller: Caller, rawCode: string, now: Date): Promise<{ cls: ClassSummary; alreadyMember: boolean }> {
  const code = normaliseJoinCode(rawCode);
  if (!code) throw new ValidationError('That is not a join code.', { code: 'A join code is 8 letters and digits, like K7QM-2XPA.' });
  const cls = await Class.findOne({ joinCode: code }).lean<ClassDoc>();
  if (!cls)
    throw new ValidationError('No class has that join code.', { code: 'No class has that code. Check it with your instructor; it may have been changed.' });
  if (String(cls.instructorId) === caller.id) throw new ConflictError('You teach this class, so you cannot join it as a student.');
  if (cls.archivedAt) {
    // A member typing the code again is simply told they are in; nobody new gets in.
    if (await Enrolment.exists({ classId: cls._id, userId: oid(caller.id) })) return { cls: (await summaries([cls]))[0]!, alreadyMember: true };
    throw new ValidationError('That class is archived.', {
      code: `${cls.name} has been archived by its instructor, so it no longer takes new students. Ask your instructor if you should be in it.`,
    });
  }
  const res = await Enrolment.updateOne(
    { classId: cls._id, userId: oid(caller.id) },
    { $setOnInsert: { joinedAt: now }, $set: { name: caller.name, email: caller.email } },
    { upsert: true },
  ).catch((err: unknown) => {
    // Two tabs joining at once: the unique index refuses the second insert, which is the same outcome.
    if (isDuplicateKey(err)) return { upsertedCount: 0 };
    throw err;
  });
  return { cls: (await summaries([cls]))[0]!, alreadyMember: res.upsertedCount === 0 };
}

/** Removes a student from a class the caller teaches. */
export async function removeStudent(caller: Caller, classId: string, userId: string): Promise<void> {
  const cls = await getTaughtClass(caller, classId);
  if (!isObjectId(userId)) throw new NotFoundError('That student is not in this class.');
  const res = await Enrolment.deleteOne({ classId: oid(cls.id), userId: oid(userId) });
  if (res.deletedCount === 0) throw new NotFoundError('That student is not in this class.');
}

/** Gives a class the caller teaches a new join code; the old one stops working. */
export async function regenerateJoinCode(caller: Caller, classId: string): Promise<string> {
  const cls = await getTaughtClass(caller, classId);
  return withFreshCode(async (joinCode) => {
    await Class.updateOne({ _id: oid(cls.id) }, { $set: { joinCode } });
    return joinCode;
  });
}

/** Renames a class the caller teaches (its students, quizzes and gradebook follow: they refer to it by id). */
export async function renameClass(caller: Caller, classId: string, name: string): Promise<ClassSummary> {
  const cls = await getTaughtClass(caller, classId);
  await Class.updateOne({ _id: oid(cls.id) }, { $set: { name } });
  return { ...cls, name };
}

/** Refuses (409) adding students to an archived class. */
export function assertNotArchived(cls: Pick<ClassSummary, 'archivedAt'>): void {
  if (cls.archivedAt) throw new ConflictError(ARCHIVED_NO_NEW_STUDENTS);
}

/** What an instructor is told when they try to add students to an archived class. */
export const ARCHIVED_NO_NEW_STUDENTS = 'This class is archived, so no one can be added to it. Unarchive it first if it is running again.';

/**
 * Archives a class the caller teaches: it moves to the "Archived" lists, its code admits no one
 * and its quizzes can no longer be started (`onArchived`, which quizzes own, submits attempts in
 * progress with what was saved, as archiving a quiz does). Roster, results and gradebook stay.
 * Archiving twice changes nothing.
 */
export async function archiveClass(
  caller: Caller,
  classId: string,
  now: Date,
  onArchived: (classId: string, now: Date) => Promise<number>,
): Promise<{ cls: ClassSummary; submitted: number }> {
  const cls = await getTaughtClass(caller, classId);
  if (cls.archivedAt) return { cls, submitted: 0 };
  await Class.updateOne({ _id: oid(cls.id), archivedAt: null }, { $set: { archivedAt: now } });
  const submitted = await onArchived(cls.id, now);
  return { cls: { ...cls, archivedAt: now }, submitted };
}

/** Brings an archived class back: its code, its quizzes and its place in the lists, as they were. */
export async function unarchiveClass(caller: Caller, classId: string): Promise<ClassSummary> {
  const cls = await getTaughtClass(caller, classId);
  await Class.updateOne({ _id: oid(cls.id) }, { $set: { archivedAt: null } });
  return { ...cls, archivedAt: null };
}

/** Whether the user is enrolled in the class. */
export async function isEnrolled(userId: string, classId: string): Promise<boolean> {
  if (!isObjectId(classId)) return false;
  return Boolean(await Enrolment.exists({ classId: oid(classId), userId: oid(userId) }));
}

/** Throws 403 unless the caller may teach classes. */
export function assertInstructor(caller: Caller): void {
  if (!canAuthor(caller)) throw new ForbiddenError('Only instructors can do that.');
}

/** Keeps the name copied onto a student's enrolments in step with their account. */
export async function renameMember(userId: string, name: string): Promise<void> {
  await Enrolment.updateMany({ userId: oid(userId) }, { $set: { name } });
}

/** A deleted account's enrolments keep their place (results stay in gradebooks) under a label, with no email. */
export async function anonymiseMember(userId: string, label: string): Promise<void> {
  await Enrolment.updateMany({ userId: oid(userId) }, { $set: { name: label, email: '' } });
}

/** Copies names and emails onto enrolments made before they were kept there (a start-up step; idempotent). */
export async function fillEnrolmentNames(): Promise<number> {
  const missing = await Enrolment.find({ $or: [{ name: { $exists: false } }, { name: '' }] }, { userId: 1 }).lean<EnrolmentDoc[]>();
  if (!missing.length) return 0;
  const users = await usersByIds(missing.map((e) => String(e.userId)));
  await Enrolment.bulkWrite(
    [...users.values()].map((u) => ({ updateMany: { filter: { userId: oid(u.id) }, update: { $set: { name: u.name, email: u.email } } } })),
  );
  return missing.length;
}

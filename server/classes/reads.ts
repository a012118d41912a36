import { Class, Enrolment, type ClassDoc, type EnrolmentDoc } from './model.ts';
import { canAuthor, type Caller } from '../accounts/index.ts';
import { isObjectId, toObjectId as oid } from '../object-ids.ts';

// The reads other features (quizzes, progress) make of classes and enrolments; the collections
// stay private to this folder.

/** A class by id and name. */
export interface ClassRef {
  id: string;
  name: string;
  /** Archived by its instructor: kept (quizzes stay assigned to it) but closed to new work. */
  archived: boolean;
}

/** A student's membership of a class. */
export interface Membership {
  classId: string;
  userId: string;
}

/** A class's student as the roster keeps them (name and email copied from the account). */
export interface EnrolledStudent {
  userId: string;
  name: string;
  email: string;
}

const membership = (e: Pick<EnrolmentDoc, 'classId' | 'userId'>): Membership => ({ classId: String(e.classId), userId: String(e.userId) });

/** The classes a user teaches, by name, archived ones included (a quiz stays assigned to an archived class). */
export async function classesTaughtBy(userId: string): Promise<ClassRef[]> {
  const classes = await Class.find({ instructorId: oid(userId) }, { name: 1, archivedAt: 1 })
    .sort({ name: 1 })
    .lean<ClassDoc[]>();
  return classes.map((c) => ({ id: String(c._id), name: c.name, archived: Boolean(c.archivedAt) }));
}

/** Which of these classes are archived: their quizzes are not offered to students to take. */
export async function archivedClassIds(classIds: readonly string[]): Promise<Set<string>> {
  const ids = classIds.filter(isObjectId);
  if (!ids.length) return new Set();
  const cs = await Class.find({ _id: { $in: ids.map(oid) }, archivedAt: { $ne: null } }, { _id: 1 }).lean<ClassDoc[]>();
  return new Set(cs.map((c) => String(c._id)));
}

/** Whether the caller teaches every one of these classes (admins look after every class). */
export async function teachesAll(caller: Caller, classIds: readonly string[]): Promise<boolean> {
  if (!canAuthor(caller) || !classIds.every(isObjectId)) return false;
  const mine = await Class.countDocuments({ _id: { $in: classIds.map(oid) }, ...(caller.role === 'admin' ? {} : { instructorId: oid(caller.id) }) });
  return mine === classIds.length;
}

/** Class names by id, for pages. */
export async function classNames(ids: readonly string[]): Promise<Map<string, string>> {
  const cs = await Class.find({ _id: { $in: ids.filter(isObjectId).map(oid) } }, { name: 1 }).lean<ClassDoc[]>();
  return new Map(cs.map((c) => [String(c._id), c.name]));
}

/** A user's memberships, of every class or only of the classes given. */
export async function membershipsOf(userId: string, classIds?: readonly string[]): Promise<Membership[]> {
  const filter = classIds ? { userId: oid(userId), classId: { $in: classIds.filter(isObjectId).map(oid) } } : { userId: oid(userId) };
  const rows = await Enrolment.find(filter, { classId: 1, userId: 1 }).lean<EnrolmentDoc[]>();
  return rows.map(membership);
}

/** Every membership of some classes. */
export async function membershipsIn(classIds: readonly string[]): Promise<Membership[]> {
  const rows = await Enrolment.find({ classId: { $in: classIds.filter(isObjectId).map(oid) } }, { classId: 1, userId: 1 }).lean<EnrolmentDoc[]>();
  return rows.map(membership);
}

/**
 * A class's students by name and email; with `page`, only that page (sorted and cut by the
 * database: enrolments carry the student's name, so this is one read).
 */
export async function enrolledStudents(classId: string, page?: { skip: number; limit: number }): Promise<EnrolledStudent[]> {
  let query = Enrolment.find({ classId: oid(classId) }, { userId: 1, name: 1, email: 1 }).sort({ name: 1, email: 1 });
  if (page) query = query.skip(page.skip).limit(page.limit);
  const rows = await query.lean<EnrolmentDoc[]>();
  return rows.map((r) => ({ userId: String(r.userId), name: r.name, email: r.email }));
}

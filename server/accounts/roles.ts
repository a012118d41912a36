export const ROLES = ['student', 'instructor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in person as every service sees them: who is calling, and with what role. */
export interface Caller {
  id: string;
  name: string;
  email: string;
  role: Role;
  /** IANA zone the person reads and enters times in (absent: UTC). */
  timeZone?: string;
  /** The hour their study day starts (Anki's "next day starts at"; absent: 4). */
  dayStartHour?: number;
}

/** The hour a study day starts when the learner has not chosen one, as in Anki. */
export const DEFAULT_DAY_START_HOUR = 4;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // req.user is the Caller that passport deserialises from the session.
    interface User extends Caller {}
  }
}

/** Whether the caller may author and teach (banks, classes, quizzes): instructors, and admins, who may do everything. */
export function canAuthor(caller: Pick<Caller, 'role'>): boolean {
  return caller.role === 'instructor' || caller.role === 'admin';
}

/** How a caller stands towards something an author owns (a class they teach, a quiz they made). */
export type AuthorStanding = 'manages' | 'former-author' | 'stranger';

/**
 * Whether the caller may manage what `ownerId` owns, read from their role now: the owner
 * manages it only while they still hold an authoring role, so a demoted instructor keeps no
 * access to their old classes, rosters or students' attempts ('former-author'); admins manage all.
 */
export function authorStanding(caller: Pick<Caller, 'id' | 'role'>, ownerId: unknown): AuthorStanding {
  if (caller.role === 'admin') return 'manages';
  if (String(ownerId) !== caller.id) return 'stranger';
  return canAuthor(caller) ? 'manages' : 'former-author';
}

/** What a former author is told: the thing exists (it was theirs) but their role no longer reaches it. */
export const NO_LONGER_AUTHOR = 'Your account is no longer an instructor, so you cannot open this. Ask an administrator if that is a mistake.';

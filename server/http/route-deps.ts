import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { Passport } from 'passport';
import type { Mailer } from '../accounts/mailer.ts';

/** A Passport instance, as `new Passport()` makes one per app. */
export type PassportInstance = InstanceType<typeof Passport>;

/**
 * What every feature router gets from createApp beyond the request. The calls at the bottom cross
 * feature folders against the layer order (eslint/boundaries.js): createApp wires them from the
 * owner's index.ts, so a lower feature never imports a higher one.
 */
export interface RouteDeps {
  config: Config;
  logger: Logger;
  clock: () => Date;
  /** The app's own Passport (sign-in strategies are registered on it, not on a global). */
  passport: PassportInstance;
  /** A class was archived: quizzes submit the attempts in progress taken through it, and say how many. */
  classArchived: (classId: string, now: Date) => Promise<number>;
  /** The quizzes assigned to a class (quizzes owns them; the class page lists them). */
  quizzesForClass: (classId: string) => Promise<Array<{ id: string; title: string }>>;
  /** Quizzes of some classes that hide answer keys and draw from a bank (quizzes owns them; sharing a bank asks). */
  keyHidingQuizzes: (bankId: string, classIds: readonly string[]) => Promise<Array<{ id: string; title: string }>>;
  /** The quiz whose open attempt pauses the learner's practice and flashcards (quizzes owns the rule), or null. */
  selfStudyPausedBy: (userId: string, now: Date) => Promise<{ id: string; title: string } | null>;
  /** The sources of the banks a caller may study (banks know sharing; the source page asks). */
  sourcesStudiedBy: (caller: { id: string; name: string; email: string; role: 'student' | 'instructor' | 'admin' }) => Promise<string[]>;
  /** Tells the features that copy a user's name (class rosters) that it changed. */
  memberRenamed: (userId: string, name: string) => Promise<void>;
  /** Replaces a deleted user's name and email on rosters with a label (classes keep those copies). */
  memberDeleted: (userId: string, label: string) => Promise<void>;
  /** How many classes a user teaches (deleting a teacher is refused while they have classes). */
  taughtClassCount: (userId: string) => Promise<number>;
  /** Sends reset links by email; null without SMTP_URL (reset links are then made by admins and instructors). */
  mailer: Mailer | null;
}

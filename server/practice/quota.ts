import { QuotaError } from '../http/errors.ts';
import { countResponsesSince } from '../responses/index.ts';
import { PracticeSession } from './model.ts';
import { toObjectId as oid } from '../object-ids.ts';

/** Per-learner practice quotas (config: PRACTICE_OPEN_SESSIONS, _SESSIONS_PER_DAY, _ANSWERS_PER_DAY). */
export interface PracticeQuota {
  openSessions: number;
  sessionsPerDay: number;
  answersPerDay: number;
}

const DAY_MS = 24 * 60 * 60_000;

/**
 * Refuses a new session past a quota. Every session is stored, so without a bound one learner
 * could create thousands a minute. "A day" is the last 24 hours; open sessions are the
 * unfinished ones of that day, so an abandoned session never blocks a learner for good.
 */
export async function checkSessionQuota(userId: string, quota: PracticeQuota, now: Date): Promise<void> {
  const since = new Date(now.getTime() - DAY_MS);
  const [open, started] = await Promise.all([
    PracticeSession.countDocuments({ userId: oid(userId), startedAt: { $gte: since }, finishedAt: null }),
    PracticeSession.countDocuments({ userId: oid(userId), startedAt: { $gte: since } }),
  ]);
  if (open >= quota.openSessions) {
    throw new QuotaError(
      `You have ${open} unfinished practice sessions from the last 24 hours, the most you may keep open. Finish one of them (Practise lists them) before starting another.`,
    );
  }
  if (started >= quota.sessionsPerDay) {
    throw new QuotaError(
      `You have started ${started} practice sessions in the last 24 hours, the most for one day. Try again tomorrow, or study your flashcards meanwhile.`,
    );
  }
}

/** Refuses another stored practice answer past the day's quota. */
export async function checkAnswerQuota(userId: string, quota: PracticeQuota, now: Date): Promise<void> {
  const answered = await countResponsesSince(userId, 'practice', new Date(now.getTime() - DAY_MS));
  if (answered >= quota.answersPerDay) {
    throw new QuotaError(`You have answered ${answered} practice questions in the last 24 hours, the most for one day. Try again tomorrow.`);
  }
}

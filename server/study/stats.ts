import type { Caller } from '../accounts/index.ts';
import { percentValue } from '../formatting/index.ts';
import { toObjectId as oid } from '../object-ids.ts';
import { ReviewLog, StudyCard } from './model.ts';
import { startOfStudyDay } from './schedule.ts';

/** How many days the retention chart looks back and the forecast looks ahead. */
export const STATS_DAYS = 30;
const DAY_MS = 24 * 3600_000;
const DAY_FORMAT = '%Y-%m-%d';
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

/** A learner's review statistics: card counts, true retention by day, and the cards due in the next 30 days. */
export interface ReviewStats {
  counts: { total: number; new: number; learning: number; review: number; suspended: number; buried: number };
  /** Ratings given today and ever; last30: ratings of review cards in the last 30 days (what retention is measured on). */
  reviews: { today: number; last30: number; all: number };
  /** Retention of review cards (rated Hard or better) per UTC day, oldest first; percent null on a day without reviews. */
  retention: Array<{ day: string; reviews: number; recalled: number; percent: number | null }>;
  /** Overall retention of the last 30 days' reviews of review cards. */
  retention30: number | null;
  /** Cards due on each of the next 30 UTC days (overdue cards count today); suspended cards are left out. */
  forecast: Array<{ day: string; due: number }>;
}

/** Review statistics for the learner at `now`: three aggregations and two counts. */
export async function reviewStats(caller: Caller, now: Date): Promise<ReviewStats> {
  const userId = oid(caller.id);
  const today = startOfStudyDay(now);
  const from = new Date(today.getTime() - (STATS_DAYS - 1) * DAY_MS);
  const horizon = new Date(today.getTime() + STATS_DAYS * DAY_MS);
  const [byState, buried, retentionRows, forecastRows, all, todayCount] = await Promise.all([
    StudyCard.aggregate<{ _id: { state: number; suspended: boolean }; n: number }>([
      { $match: { userId } },
      { $group: { _id: { state: '$state', suspended: { $eq: ['$suspended', true] } }, n: { $sum: 1 } } },
    ]),
    StudyCard.countDocuments({ userId, suspended: { $ne: true }, buriedUntil: { $gt: now } }),
    // True retention, as Anki counts it: reviews of cards in the Review state, Hard or better recalled.
    ReviewLog.aggregate<{ _id: string; reviews: number; recalled: number }>([
      { $match: { userId, review: { $gte: from }, state: 2 } },
      { $group: { _id: { $dateToString: { format: DAY_FORMAT, date: '$review' } }, reviews: { $sum: 1 }, recalled: { $sum: { $cond: [{ $gte: ['$rating', 2] }, 1, 0] } } } },
    ]),
    StudyCard.aggregate<{ _id: string; n: number }>([
      { $match: { userId, suspended: { $ne: true }, due: { $lt: horizon } } },
      { $group: { _id: { $dateToString: { format: DAY_FORMAT, date: '$due' } }, n: { $sum: 1 } } },
    ]),
    ReviewLog.countDocuments({ userId }),
    ReviewLog.countDocuments({ userId, review: { $gte: today } }),
  ]);
  const counts = { total: 0, new: 0, learning: 0, review: 0, suspended: 0, buried };
  for (const row of byState) {
    counts.total += row.n;
    if (row._id.suspended) counts.suspended += row.n;
    else if (row._id.state === 0) counts.new += row.n;
    else if (row._id.state === 2) counts.review += row.n;
    else counts.learning += row.n;
  }
  const days = (start: Date) => Array.from({ length: STATS_DAYS }, (_, i) => dayOf(new Date(start.getTime() + i * DAY_MS)));
  const byDay = new Map(retentionRows.map((r) => [r._id, r]));
  const retention = days(from).map((day) => {
    const r = byDay.get(day);
    return { day, reviews: r?.reviews ?? 0, recalled: r?.recalled ?? 0, percent: r ? percentValue(r.recalled / r.reviews) : null };
  });
  const todayKey = dayOf(today);
  const due = new Map<string, number>();
  // Overdue cards are due today.
  for (const r of forecastRows) due.set(r._id < todayKey ? todayKey : r._id, (due.get(r._id < todayKey ? todayKey : r._id) ?? 0) + r.n);
  const reviewed = retention.reduce((s, d) => s + d.reviews, 0);
  const recalled = retention.reduce((s, d) => s + d.recalled, 0);
  return {
    counts,
    reviews: { today: todayCount, last30: reviewed, all },
    retention,
    retention30: reviewed ? percentValue(recalled / reviewed) : null,
    forecast: days(today).map((day) => ({ day, due: due.get(day) ?? 0 })),
  };
}

import { DEFAULT_DAY_START_HOUR, type Caller } from '../accounts/index.ts';
import { DEFAULT_TIME_ZONE, percentValue, studyDayReader } from '../formatting/index.ts';
import { toObjectId as oid } from '../object-ids.ts';
import { ReviewLog, StudyCard } from './model.ts';
import { startOfStudyDay } from './schedule.ts';

/** How many days the retention chart looks back and the forecast looks ahead. */
export const STATS_DAYS = 30;
const DAY_MS = 24 * 3600_000;
const SLOT_MS = 15 * 60_000;
/** A date field as the start of its UTC quarter-hour, in ms: grouped by the database, named as study days here. */
const slotOf = (field: string) => ({ $subtract: [{ $toLong: field }, { $mod: [{ $toLong: field }, SLOT_MS] }] });

/** A learner's review statistics: card counts, true retention by day, and the cards due in the next 30 days. */
export interface ReviewStats {
  counts: { total: number; new: number; learning: number; review: number; suspended: number; buried: number };
  /** Ratings given today and ever; last30: ratings of review cards in the last 30 days (what retention is measured on). */
  reviews: { today: number; last30: number; all: number };
  /** Retention of review cards (rated Hard or better) per study day (the learner's zone and day start), oldest first; percent null on a day without reviews. */
  retention: Array<{ day: string; reviews: number; recalled: number; percent: number | null }>;
  /** Overall retention of the last 30 days' reviews of review cards. */
  retention30: number | null;
  /** Cards due on each of the next 30 study days (overdue cards count today); suspended cards are left out. */
  forecast: Array<{ day: string; due: number }>;
}

/** Review statistics for the learner at `now`: three aggregations and two counts. */
export async function reviewStats(caller: Caller, now: Date): Promise<ReviewStats> {
  const userId = oid(caller.id);
  const today = startOfStudyDay(now, caller);
  const dayOf = studyDayReader(caller.timeZone ?? DEFAULT_TIME_ZONE, caller.dayStartHour ?? DEFAULT_DAY_START_HOUR);
  const from = new Date(today.getTime() - (STATS_DAYS - 1) * DAY_MS);
  const horizon = new Date(today.getTime() + STATS_DAYS * DAY_MS);
  const [byState, buried, retentionRows, forecastRows, all, todayCount] = await Promise.all([
    StudyCard.aggregate<{ _id: { state: number; suspended: boolean }; n: number }>([
      { $match: { userId } },
      { $group: { _id: { state: '$state', suspended: { $eq: ['$suspended', true] } }, n: { $sum: 1 } } },
    ]),
    StudyCard.countDocuments({ userId, suspended: { $ne: true }, buriedUntil: { $gt: now } }),
    // True retention, as Anki counts it: reviews of cards in the Review state, Hard or better recalled.
    ReviewLog.aggregate<{ _id: number; reviews: number; recalled: number }>([
      { $match: { userId, review: { $gte: from }, state: 2 } },
      { $group: { _id: slotOf('$review'), reviews: { $sum: 1 }, recalled: { $sum: { $cond: [{ $gte: ['$rating', 2] }, 1, 0] } } } },
    ]),
    StudyCard.aggregate<{ _id: number; n: number }>([
      { $match: { userId, suspended: { $ne: true }, due: { $lt: horizon } } },
      { $group: { _id: slotOf('$due'), n: { $sum: 1 } } },
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
  // Noon of each day names it whatever a clock change does to the day's length.
  const days = (start: Date) => Array.from({ length: STATS_DAYS }, (_, i) => dayOf(new Date(start.getTime() + i * DAY_MS + DAY_MS / 2)));
  const byDay = new Map<string, { reviews: number; recalled: number }>();
  for (const r of retentionRows) {
    const day = dayOf(new Date(Number(r._id)));
    const row = byDay.get(day) ?? { reviews: 0, recalled: 0 };
    row.reviews += r.reviews;
    row.recalled += r.recalled;
    byDay.set(day, row);
  }
  const retention = days(from).map((day) => {
    const r = byDay.get(day);
    return { day, reviews: r?.reviews ?? 0, recalled: r?.recalled ?? 0, percent: r ? percentValue(r.recalled / r.reviews) : null };
  });
  const todayKey = dayOf(now);
  const due = new Map<string, number>();
  // Overdue cards are due today.
  for (const r of forecastRows) {
    const day = dayOf(new Date(Number(r._id)));
    const key = day < todayKey ? todayKey : day;
    due.set(key, (due.get(key) ?? 0) + r.n);
  }
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

import { DateTime } from 'luxon';

/**
 * Study days and streaks. A study day is the learner's own: it starts at the hour they chose
 * (Anki's "next day starts at") in their time zone, as the flashcard scheduler's day does, and is
 * named by the local date it starts on, 'YYYY-MM-DD'. Day arithmetic below is on those names.
 */

const DAY_MS = 86_400_000;

/** A day's name from a UTC midnight (the arithmetic below, and learners without a zone). */
export function dayKey(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The study day holding `at` for a learner in `zone` whose day starts at `dayStartHour`: at 02:00 with a 4 o'clock start it is still yesterday. */
export function studyDayKey(at: Date, zone: string, dayStartHour: number): string {
  const local = DateTime.fromJSDate(at, { zone });
  return (local.hour < dayStartHour ? local.minus({ days: 1 }) : local).toISODate()!;
}

/**
 * studyDayKey for many times of one learner (a history of thousands of quarter-hours): the zone's
 * offset is looked up once per UTC day, at its first and last minute; a day whose two offsets
 * agree holds no clock change, so its times need only arithmetic. Same answers, a tenth the work.
 */
export function studyDayReader(zone: string, dayStartHour: number): (at: Date) => string {
  const offsets = new Map<string, number | null>();
  return (at) => {
    const utc = dayKey(at);
    let offset = offsets.get(utc);
    if (offset === undefined) {
      const start = Date.parse(`${utc}T00:00:00Z`);
      const first = DateTime.fromMillis(start, { zone }).offset;
      const last = DateTime.fromMillis(start + DAY_MS - 60_000, { zone }).offset;
      offset = first === last ? first : null;
      offsets.set(utc, offset);
    }
    if (offset === null) return studyDayKey(at, zone, dayStartHour);
    return dayKey(new Date(at.getTime() + (offset - dayStartHour * 60) * 60_000));
  };
}

/** The day `n` days after `day` (negative: before). */
export function addDays(day: string, n: number): string {
  return dayKey(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));
}

/** The last `count` days ending with `today`, oldest first. */
export function lastDays(today: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addDays(today, i - count + 1));
}

export interface Streak {
  /** Consecutive active days ending today, or ending yesterday when today has no activity yet. */
  current: number;
  longest: number;
  activeToday: boolean;
}

/**
 * The streak from the set of days with any activity. A streak that reached yesterday is still
 * current today (the learner has until their next study day starts to keep it).
 */
export function streakOf(activeDays: Iterable<string>, today: string): Streak {
  const days = new Set(activeDays);
  const activeToday = days.has(today);
  let current = 0;
  for (let d = activeToday ? today : addDays(today, -1); days.has(d); d = addDays(d, -1)) current += 1;
  let longest = 0;
  for (const d of days) {
    if (days.has(addDays(d, -1))) continue; // not the start of a run
    let run = 0;
    for (let x = d; days.has(x); x = addDays(x, 1)) run += 1;
    longest = Math.max(longest, run);
  }
  return { current, longest, activeToday };
}

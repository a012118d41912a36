import { DateTime } from 'luxon';

/*
 * A learner's study day: it starts at the hour they chose (Anki's "next day starts at") in their
 * time zone, and is named by the local date it starts on, 'YYYY-MM-DD'. Progress (history,
 * streaks) and the flashcard statistics count days this way.
 */

const DAY_MS = 86_400_000;
const utcDay = (at: Date) => at.toISOString().slice(0, 10);

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
    const utc = utcDay(at);
    let offset = offsets.get(utc);
    if (offset === undefined) {
      const start = Date.parse(`${utc}T00:00:00Z`);
      const first = DateTime.fromMillis(start, { zone }).offset;
      const last = DateTime.fromMillis(start + DAY_MS - 60_000, { zone }).offset;
      offset = first === last ? first : null;
      offsets.set(utc, offset);
    }
    if (offset === null) return studyDayKey(at, zone, dayStartHour);
    return utcDay(new Date(at.getTime() + (offset - dayStartHour * 60) * 60_000));
  };
}

/** When the study day named `day` ('YYYY-MM-DD') ends: the next day's start hour, in the learner's zone. */
export function studyDayEnd(day: string, zone: string, dayStartHour: number): Date {
  return DateTime.fromISO(day, { zone }).plus({ days: 1 }).set({ hour: dayStartHour }).toJSDate();
}

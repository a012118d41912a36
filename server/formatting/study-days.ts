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

/** studyDayKey for many times of one learner; `ofSlot` takes the aggregates' UTC quarter-hour key ('YYYY-MM-DDTHH:MM'). */
export interface StudyDayReader {
  (at: Date): string;
  ofSlot(slot: string): string;
}

/**
 * studyDayKey for many times of one learner (a history of thousands of quarter-hours): the zone's
 * offset is looked up once per UTC day, at its first and last minute; a day whose two offsets
 * agree holds no clock change, so its times need only arithmetic on minutes, and the day they
 * fall in is a neighbour of their UTC day (named once each). Same answers, a small part of the work.
 */
export function studyDayReader(zone: string, dayStartHour: number): StudyDayReader {
  const offsets = new Map<string, number | null>();
  const neighbours = new Map<string, string>();
  const offsetOf = (utc: string): number | null => {
    let offset = offsets.get(utc);
    if (offset === undefined) {
      const start = Date.parse(`${utc}T00:00:00Z`);
      const first = DateTime.fromMillis(start, { zone }).offset;
      const last = DateTime.fromMillis(start + DAY_MS - 60_000, { zone }).offset;
      offset = first === last ? first : null;
      offsets.set(utc, offset);
    }
    return offset;
  };
  // The study day of a time `minutes` after the start of UTC day `utc`, when that day has one offset.
  const dayOf = (utc: string, minutes: number, offset: number): string => {
    const delta = Math.floor((minutes + offset - dayStartHour * 60) / 1440);
    if (delta === 0) return utc;
    const key = `${utc}${delta}`;
    let day = neighbours.get(key);
    if (day === undefined) neighbours.set(key, (day = utcDay(new Date(Date.parse(`${utc}T00:00:00Z`) + delta * DAY_MS))));
    return day;
  };
  const read = (at: Date): string => {
    const utc = utcDay(at);
    const offset = offsetOf(utc);
    if (offset === null) return studyDayKey(at, zone, dayStartHour);
    return dayOf(utc, at.getUTCHours() * 60 + at.getUTCMinutes(), offset);
  };
  return Object.assign(read, {
    ofSlot(slot: string): string {
      const utc = slot.slice(0, 10);
      const offset = offsetOf(utc);
      if (offset === null) return studyDayKey(new Date(`${slot}:00Z`), zone, dayStartHour);
      return dayOf(utc, Number(slot.slice(11, 13)) * 60 + Number(slot.slice(14, 16)), offset);
    },
  });
}

/** When the study day named `day` ('YYYY-MM-DD') ends: the next day's start hour, in the learner's zone. */
export function studyDayEnd(day: string, zone: string, dayStartHour: number): Date {
  return DateTime.fromISO(day, { zone }).plus({ days: 1 }).set({ hour: dayStartHour }).toJSDate();
}

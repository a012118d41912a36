import { DateTime } from 'luxon';

/** The zone used when a viewer has none (signed out, or an account from before zones). */
export const DEFAULT_TIME_ZONE = 'UTC';

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    // One formatter per zone in use: the zones are validated, so this map stays small.
    formatters.set(zone, f);
  }
  return f;
}

/** A time as pages show it in the viewer's zone ("3 Dec 2026, 06:00 GMT"), with Intl. */
export function formatTime(d: Date | null | undefined, zone: string = DEFAULT_TIME_ZONE): string {
  if (!d) return '—';
  return formatterFor(zone).format(d);
}

/** A Date as the value of a datetime-local input: its wall-clock time in `zone`. */
export function inputDate(d: Date | null | undefined, zone: string = DEFAULT_TIME_ZONE): string {
  return d ? DateTime.fromJSDate(d, { zone }).toFormat("yyyy-MM-dd'T'HH:mm") : '';
}

/**
 * A datetime-local value ("2026-12-03T17:00") read as wall-clock time in `zone`, written with
 * its UTC offset ("2026-12-03T17:00:00.000+11:00"); a value that already has an offset, or is
 * not a date, is returned unchanged for the schema to judge. A time skipped by a DST change
 * moves forward, as luxon does.
 */
export function zonedInput(value: unknown, zone: string): unknown {
  if (typeof value !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(value.trim())) return value;
  const dt = DateTime.fromISO(value.trim(), { zone });
  return dt.isValid ? dt.toISO() : value;
}

/**
 * The start of the study day holding `now` for a learner in `zone` whose day starts at
 * `dayStartHour` (Anki's "next day starts at"): at 02:00 with a 4 o'clock start it is still
 * yesterday's study day.
 */
export function startOfDayIn(now: Date, zone: string = DEFAULT_TIME_ZONE, dayStartHour = 0): Date {
  const local = DateTime.fromJSDate(now, { zone });
  let start = local.startOf('day').set({ hour: dayStartHour });
  if (start > local) start = start.minus({ days: 1 }).set({ hour: dayStartHour });
  return start.toJSDate();
}

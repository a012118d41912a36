/**
 * Study days and streaks. A study day is the learner's own: it starts at the hour they chose
 * (Anki's "next day starts at") in their time zone, as the flashcard scheduler's day does, and is
 * named by the local date it starts on, 'YYYY-MM-DD' (formatting/study-days.ts). Day arithmetic below is
 * on those names.
 */

const DAY_MS = 86_400_000;

/** A day's name from a UTC midnight (the arithmetic below, and learners without a zone). */
export function dayKey(at: Date): string {
  return at.toISOString().slice(0, 10);
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

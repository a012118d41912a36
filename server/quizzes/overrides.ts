import type { QuizSettings } from './settings.ts';

/**
 * Accommodations for one student or one class of a quiz, pure: each field left null keeps what the
 * class override (for a student) or the quiz says. Moodle's precedence: a student's own override
 * beats their class's, field by field.
 */
export interface QuizOverrideRule {
  /** The time limit is multiplied by this (1.5: half as long again). */
  timeLimitMultiplier: number | null;
  /** Minutes added to the time limit (after the multiplier). */
  extraMinutes: number | null;
  dueAt: Date | null;
  closesAt: Date | null;
  /** Attempts added to the quiz's limit (an unlimited quiz stays unlimited). */
  extraAttempts: number | null;
}

/** The settings a student works under: the quiz's, changed by their class's override and then their own. */
export function applyOverrides(settings: QuizSettings, forClass: QuizOverrideRule | null, forStudent: QuizOverrideRule | null): QuizSettings {
  if (!forClass && !forStudent) return settings;
  const pick = <K extends keyof QuizOverrideRule>(k: K): QuizOverrideRule[K] => forStudent?.[k] ?? forClass?.[k] ?? null;
  const base = settings.timeLimitMinutes;
  // Extra time stretches a time limit; a quiz without one has nothing to stretch.
  const timeLimitMinutes = base === null ? null : base * (pick('timeLimitMultiplier') ?? 1) + (pick('extraMinutes') ?? 0);
  const extra = pick('extraAttempts') ?? 0;
  return {
    ...overriddenDates(settings, forClass, forStudent),
    timeLimitMinutes,
    attemptsAllowed: settings.attemptsAllowed === 0 ? 0 : settings.attemptsAllowed + extra,
  };
}

/** The due and closing dates a student has: their own override's, else their class's, else the quiz's. */
export function overriddenDates<T extends { dueAt: Date | null; closesAt: Date | null }>(
  quiz: T,
  forClass: QuizOverrideRule | null,
  forStudent: QuizOverrideRule | null,
): T {
  if (!forClass && !forStudent) return quiz;
  return { ...quiz, dueAt: forStudent?.dueAt ?? forClass?.dueAt ?? quiz.dueAt, closesAt: forStudent?.closesAt ?? forClass?.closesAt ?? quiz.closesAt };
}

/** An override in words, for the owner's list and the student's own page. */
export function describeOverride(o: QuizOverrideRule, formatWhen: (d: Date) => string): string {
  const parts: string[] = [];
  if (o.timeLimitMultiplier !== null && o.timeLimitMultiplier !== 1) parts.push(`time limit × ${o.timeLimitMultiplier}`);
  if (o.extraMinutes) parts.push(`${o.extraMinutes} extra minute${o.extraMinutes === 1 ? '' : 's'}`);
  if (o.dueAt) parts.push(`due ${formatWhen(o.dueAt)}`);
  if (o.closesAt) parts.push(`closes ${formatWhen(o.closesAt)}`);
  if (o.extraAttempts) parts.push(`${o.extraAttempts} extra attempt${o.extraAttempts === 1 ? '' : 's'}`);
  return parts.join(', ') || 'no change';
}

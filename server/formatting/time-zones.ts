import { escapeHtml } from './rich-text.ts';

/** IANA time zones as this runtime's Intl knows them: what a user may choose. */
export const TIME_ZONES: readonly string[] = Object.freeze(['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')]);
const KNOWN = new Set(TIME_ZONES);

/** The zone named `name` in its canonical spelling, or null when Intl does not support it. */
export function canonicalTimeZone(name: unknown): string | null {
  if (typeof name !== 'string' || name.length === 0 || name.length > 64) return null;
  try {
    // Intl accepts aliases ("Etc/UTC", "Europe/Kiev") and case variants; resolvedOptions spells them canonically.
    const zone = new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
    if (KNOWN.has(zone)) return zone;
    return zone === 'Etc/UTC' || zone === 'Etc/GMT' ? 'UTC' : null;
  } catch {
    return null;
  }
}

// The zone list's <option>s, escaped once at load: rendering ~430 options per view of the account
// page made it a third as fast as the other signed-in pages.
const OPTIONS = TIME_ZONES.map((z) => `<option value="${escapeHtml(z)}">${escapeHtml(z)}</option>`).join('');

/** The time-zone select's options as HTML, `selected` on `zone` (a zone not in the list comes first, selected). */
export function timeZoneOptions(zone: string): string {
  if (!zone) return OPTIONS;
  if (!KNOWN.has(zone)) return `<option value="${escapeHtml(zone)}" selected>${escapeHtml(zone)}</option>${OPTIONS}`;
  const at = `<option value="${escapeHtml(zone)}">`;
  return OPTIONS.replace(at, `<option value="${escapeHtml(zone)}" selected>`);
}

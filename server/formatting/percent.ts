/**
 * The one rounding rule for percentages on every page and export: a 0..1 value times 100,
 * rounded to one decimal place (2/3 → 66.7; 0.5 → 50). Bands and thresholds compare this value.
 */
export function percentValue(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? Math.round(1000 * x) / 10 : null;
}

/** A 0..1 value as pages show it ("66.7%"), or a dash when there is none. */
export function formatPercent(x: number | null | undefined): string {
  const p = percentValue(x);
  return p === null ? '—' : `${p}%`;
}

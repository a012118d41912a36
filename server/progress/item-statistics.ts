/**
 * Item statistics as Moodle's quiz statistics report computes them, from first attempts only:
 * - facility index: the mean mark on the item as a percentage of its maximum mark;
 * - discrimination index: the correlation, as a percentage, between the mark on the item and
 *   the mark on the rest of the test (the attempt's total less this item), over the attempts
 *   that included the item. Undefined (null) when either side has no variance.
 * Attempts may draw different questions (random rules), so each item is measured over the
 * attempts that contained it, as Moodle does for random questions.
 */

/** One item of one attempt: its mark and the most it could have earned. */
export interface AttemptItem {
  questionId: string;
  mark: number;
  maxMark: number;
}

export interface ItemStatistics {
  questionId: string;
  /** How many (first) attempts included the item. */
  attempts: number;
  /** Mean mark ÷ maximum mark, as a percentage; null with no attempts. */
  facility: number | null;
  /** Correlation of item mark with rest-of-test mark, as a percentage; null when undefined. */
  discrimination: number | null;
  /** Standard deviation of the item mark as a percentage of its maximum (Moodle shows it too). */
  sd: number | null;
  /** Flagged as weak: discrimination under the threshold (or undefined with enough attempts). */
  weak: boolean;
}

/** Moodle's guide treats a discrimination index under 20% as weak. */
export const WEAK_DISCRIMINATION = 20;

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Pearson correlation of two equal-length series; null when either has zero variance or n < 2. */
export function correlation(xs: number[], ys: number[]): number | null {
  const n = xs.length;
  if (n < 2 || ys.length !== n) return null;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  // Tiny variances are rounding noise in marks, not spread.
  if (sxx < 1e-12 || syy < 1e-12) return null;
  return sxy / Math.sqrt(sxx * syy);
}

/** Statistics for every item that appears in the given first attempts. */
export function itemStatistics(attempts: ReadonlyArray<ReadonlyArray<AttemptItem>>): ItemStatistics[] {
  const byItem = new Map<string, { marks: number[]; rest: number[]; maxMark: number }>();
  for (const items of attempts) {
    const total = items.reduce((a, it) => a + it.mark, 0);
    for (const it of items) {
      const entry = byItem.get(it.questionId) ?? { marks: [], rest: [], maxMark: it.maxMark };
      entry.marks.push(it.mark);
      entry.rest.push(total - it.mark);
      byItem.set(it.questionId, entry);
    }
  }
  const out: ItemStatistics[] = [];
  for (const [questionId, { marks, rest, maxMark }] of byItem) {
    const n = marks.length;
    const facility = n && maxMark > 0 ? (100 * mean(marks)) / maxMark : null;
    const r = correlation(marks, rest);
    const discrimination = r === null ? null : 100 * r;
    let sd: number | null = null;
    if (n >= 2 && maxMark > 0) {
      const m = mean(marks);
      sd = (100 * Math.sqrt(marks.reduce((a, x) => a + (x - m) ** 2, 0) / (n - 1))) / maxMark;
    }
    out.push({ questionId, attempts: n, facility, discrimination, sd, weak: discrimination !== null && discrimination < WEAK_DISCRIMINATION });
  }
  return out;
}

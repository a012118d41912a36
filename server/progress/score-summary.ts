/**
 * Quiz-level statistics, pure: the score distribution (mean, median, a histogram) and Cronbach's
 * alpha, the internal consistency of the quiz (Moodle reports it as its "coefficient of internal
 * consistency").
 */

export interface ScoreSummary {
  n: number;
  /** 0..1; null with no scores. */
  mean: number | null;
  median: number | null;
  /** Counts of scores in ten bands: 0–<10%, 10–<20%, … 90–100% (a full mark falls in the last). */
  histogram: number[];
}

/** The distribution of some scores (each 0..1). */
export function scoreSummary(scores: readonly number[]): ScoreSummary {
  const histogram = Array.from({ length: 10 }, () => 0);
  for (const s of scores) histogram[Math.min(9, Math.max(0, Math.floor(s * 10 + 1e-9)))]! += 1;
  if (!scores.length) return { n: 0, mean: null, median: null, histogram };
  const sorted = [...scores].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { n: scores.length, mean: scores.reduce((a, b) => a + b, 0) / scores.length, median, histogram };
}

function variance(xs: readonly number[]): number {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
}

/**
 * Cronbach's alpha of a persons × items matrix of marks: k/(k−1) · (1 − Σ item variances ÷
 * variance of the totals). Null when it is undefined: fewer than two items or two persons, rows
 * of unequal length, or totals with no variance.
 */
export function cronbachAlpha(matrix: ReadonlyArray<readonly number[]>): number | null {
  const n = matrix.length;
  const k = matrix[0]?.length ?? 0;
  if (n < 2 || k < 2 || matrix.some((row) => row.length !== k)) return null;
  const totals = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const totalVar = variance(totals);
  if (totalVar < 1e-12) return null;
  let itemVars = 0;
  for (let j = 0; j < k; j++) itemVars += variance(matrix.map((row) => row[j]!));
  return (k / (k - 1)) * (1 - itemVars / totalVar);
}

/**
 * The persons × items matrix alpha is computed on: one row per attempt, one column per question,
 * keeping only the attempts that answered every question of the quiz (attempts drawn by rules hold
 * different questions, and alpha needs the same items for everyone).
 */
export function itemMatrix(attempts: ReadonlyArray<ReadonlyArray<{ questionId: string; mark: number }>>): number[][] {
  const ids = [...new Set(attempts.flatMap((a) => a.map((it) => it.questionId)))].sort();
  const rows: number[][] = [];
  for (const a of attempts) {
    const byId = new Map(a.map((it) => [it.questionId, it.mark]));
    if (ids.every((id) => byId.has(id))) rows.push(ids.map((id) => byId.get(id)!));
  }
  return rows;
}

import type { QuestionDefinition } from '../../questions/definition.ts';

/**
 * The item-quality report's vocabulary. An `error` is a flaw that lets a learner answer without
 * knowing the source (or that makes the item unfair); a `warning` is a cue worth a second look.
 */
export type FlagLevel = 'error' | 'warning';

export interface QualityFlag {
  /** Stable detector name, e.g. "longest-key". */
  code: string;
  level: FlagLevel;
  /** One line for the author. */
  reason: string;
  /** The question flagged; absent for a bank-level flag. */
  questionId?: string;
  /** Other questions involved (the one given away, the near-duplicate, the statements counted). */
  related?: string[];
}

/** What detectors may read beside the questions: the source's passages by id (for verbatim checks). */
export interface QualityContext {
  passages: ReadonlyMap<string, { id: string; text: string; section?: string }>;
  /** The bank's topic slugs in its order (figures count by them); tags outside it are counted after. */
  topics?: readonly string[];
}

/** A detector that looks at one question alone. */
export type QuestionDetector = (q: QuestionDefinition, ctx: QualityContext) => QualityFlag[];

/** A detector that looks at the bank as a whole (pairs of questions, shares). */
export type BankDetector = (qs: readonly QuestionDefinition[], ctx: QualityContext) => QualityFlag[];

/** A flag about one question. */
export function questionFlag(q: QuestionDefinition, code: string, level: FlagLevel, reason: string, related?: string[]): QualityFlag {
  return related?.length ? { code, level, reason, questionId: q.id, related } : { code, level, reason, questionId: q.id };
}

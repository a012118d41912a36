/**
 * The item-quality report: for each question and for the bank, the known cues and flaws that let
 * a learner answer without knowing the source, each an error or a warning with a one-line reason,
 * and the bank's figures beside them. Pure: give it the questions and the source's passages.
 *
 * Errors (the shipped bank must have none): a key longest in more than 30% of single-answer MCQs;
 * true and false statements copying the paper at different rates; one question giving away
 * another's answer; "all/none of the above" (choices are shuffled); matching with fewer than four
 * pairs; ordering items whose connectives reveal their place.
 * Warnings (worth a look, sometimes right): the key longest in one question; the key alone
 * verbatim; the key alone echoing the prompt; a distractor of another kind; near-duplicates;
 * a quote covering only part of a multi-part question; short answers missing obvious variants.
 */
import type { QuestionDefinition } from '../../questions/definition.ts';
import { longestKey, longestKeyBank } from './longest-key.ts';
import { allNoneOfTheAbove, kindMismatch, promptEcho, verbatimKey } from './option-wording.ts';
import { fewPairs, partialQuote, revealingConnectives } from './structure.ts';
import { shortVariants } from './short-variants.ts';
import { trueFalseCopyGap } from './true-false-copy.ts';
import { giveaways, nearDuplicates } from './cross-question.ts';
import { bankFigures, type BankFigures } from './figures.ts';
import type { BankDetector, QualityContext, QualityFlag, QuestionDetector } from './types.ts';

export type { QualityFlag, FlagLevel, QualityContext } from './types.ts';
export type { BankFigures } from './figures.ts';

const QUESTION_DETECTORS: QuestionDetector[] = [
  longestKey,
  verbatimKey,
  allNoneOfTheAbove,
  promptEcho,
  kindMismatch,
  fewPairs,
  revealingConnectives,
  partialQuote,
  shortVariants,
];
const BANK_DETECTORS: BankDetector[] = [longestKeyBank, trueFalseCopyGap, giveaways, nearDuplicates];

export interface QualityReport {
  figures: BankFigures;
  /** Bank-level flags (no questionId). */
  bankFlags: QualityFlag[];
  /** Flags about one question, errors first, in bank order. */
  questionFlags: QualityFlag[];
  errors: number;
  warnings: number;
}

const byLevel = (a: QualityFlag, b: QualityFlag) => (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1);

/** Runs every detector over a bank (or an import about to become one). */
export function qualityReport(questions: readonly QuestionDefinition[], ctx: QualityContext): QualityReport {
  const all = [...questions.flatMap((q) => QUESTION_DETECTORS.flatMap((d) => d(q, ctx))), ...BANK_DETECTORS.flatMap((d) => d(questions, ctx))];
  const order = new Map(questions.map((q, i) => [q.id, i]));
  const questionFlags = all.filter((f) => f.questionId !== undefined).sort((a, b) => order.get(a.questionId!)! - order.get(b.questionId!)! || byLevel(a, b));
  return {
    figures: bankFigures(questions, ctx),
    bankFlags: all.filter((f) => f.questionId === undefined).sort(byLevel),
    questionFlags,
    errors: all.filter((f) => f.level === 'error').length,
    warnings: all.filter((f) => f.level === 'warning').length,
  };
}

/** The flags of one question in a report. */
export function flagsOf(report: QualityReport, questionId: string): QualityFlag[] {
  return report.questionFlags.filter((f) => f.questionId === questionId);
}

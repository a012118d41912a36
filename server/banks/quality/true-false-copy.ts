import type { QuestionDefinition } from '../../questions/definition.ts';
import { longestSharedRun, statementOf } from './text.ts';
import { sourceTextOf } from './answers.ts';
import type { BankDetector, QualityContext } from './types.ts';

/** A statement that shares this many consecutive words with its passage "sounds like the paper". */
export const COPY_RUN = 10;
/** True and false statements may differ by this much in the share that copies the paper. */
export const MAX_COPY_GAP = 0.25;
/** Fewer statements of either answer than this and the shares say little. */
const MIN_EACH = 4;

export interface TrueFalseCopy {
  trueCount: number;
  trueCopied: number;
  falseCount: number;
  falseCopied: number;
  /** Mean longest shared run, in words. */
  trueMeanRun: number;
  falseMeanRun: number;
  copiedIds: string[];
}

/** How much the bank's true and false statements copy their passages. */
export function trueFalseCopy(qs: readonly QuestionDefinition[], ctx: QualityContext): TrueFalseCopy {
  const rows = qs.flatMap((q) =>
    q.type === 'truefalse' ? [{ id: q.id, answer: q.answer, run: longestSharedRun(statementOf(q.prompt), sourceTextOf(q, ctx.passages)) }] : [],
  );
  const side = (answer: boolean) => rows.filter((r) => r.answer === answer);
  const mean = (rs: typeof rows) => (rs.length ? rs.reduce((s, r) => s + r.run, 0) / rs.length : 0);
  return {
    trueCount: side(true).length,
    trueCopied: side(true).filter((r) => r.run >= COPY_RUN).length,
    falseCount: side(false).length,
    falseCopied: side(false).filter((r) => r.run >= COPY_RUN).length,
    trueMeanRun: mean(side(true)),
    falseMeanRun: mean(side(false)),
    copiedIds: rows.filter((r) => r.run >= COPY_RUN).map((r) => r.id),
  };
}

/** Bank error: true statements copy the paper much more (or less) often than false ones, so wording gives the answer. */
export const trueFalseCopyGap: BankDetector = (qs, ctx) => {
  const c = trueFalseCopy(qs, ctx);
  if (c.trueCount < MIN_EACH || c.falseCount < MIN_EACH) return [];
  const t = c.trueCopied / c.trueCount;
  const f = c.falseCopied / c.falseCount;
  if (Math.abs(t - f) <= MAX_COPY_GAP) return [];
  const more = t > f ? 'true' : 'false';
  return [
    {
      code: 'true-false-copy',
      level: 'error',
      reason: `${c.trueCopied} of ${c.trueCount} true statements copy ${COPY_RUN}+ words of the paper, against ${c.falseCopied} of ${c.falseCount} false ones: "sounds like the paper" means "${more}". Write both the same way.`,
      related: c.copiedIds,
    },
  ];
};

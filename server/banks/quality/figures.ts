import { DIFFICULTIES, LEVELS, QUESTION_TYPES, type QuestionDefinition } from '../../questions/definition.ts';
import { longestKeyShare } from './longest-key.ts';
import { trueFalseCopy, type TrueFalseCopy } from './true-false-copy.ts';
import type { QualityContext } from './types.ts';

/** A bank's make-up beside its flags. */
export interface BankFigures {
  questions: number;
  byType: { key: string; count: number }[];
  byTopic: { key: string; count: number }[];
  byDifficulty: { key: string; count: number }[];
  /** recall, understand, apply, and "untagged". */
  byLevel: { key: string; count: number }[];
  /** Share of questions tagged understand or apply (0..1). */
  higherOrderShare: number;
  /** Body passages (all but endnotes) cited by at least one question, of all body passages. */
  passagesCited: { cited: number; of: number; uncited: string[] };
  longestKey: { longest: number; of: number; share: number; chance: number };
  trueFalse: Omit<TrueFalseCopy, 'copiedIds'>;
}

function tally(qs: readonly QuestionDefinition[], keys: readonly string[], of: (q: QuestionDefinition) => readonly string[]) {
  const counts = new Map<string, number>(keys.map((k) => [k, 0]));
  for (const q of qs) for (const k of of(q)) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].map(([key, count]) => ({ key, count }));
}

/** Counts by type, topic, difficulty and level, passages cited, and the shares the cues are judged by. */
export function bankFigures(qs: readonly QuestionDefinition[], ctx: QualityContext): BankFigures {
  const byLevel = tally(qs, [...LEVELS, 'untagged'], (q) => [q.level ?? 'untagged']);
  const higher = qs.filter((q) => q.level === 'understand' || q.level === 'apply').length;
  const cited = new Set(qs.map((q) => q.source.passageId));
  const body = [...ctx.passages.values()].filter((p) => p.section !== 'endnotes');
  const lk = longestKeyShare(qs);
  const { copiedIds: _ids, ...tf } = trueFalseCopy(qs, ctx);
  return {
    questions: qs.length,
    byType: tally(qs, QUESTION_TYPES, (q) => [q.type]),
    byTopic: tally(qs, ctx.topics ?? [], (q) => q.topics),
    byDifficulty: tally(qs, DIFFICULTIES, (q) => [q.difficulty]),
    byLevel,
    higherOrderShare: qs.length ? higher / qs.length : 0,
    passagesCited: { cited: body.filter((p) => cited.has(p.id)).length, of: body.length, uncited: body.filter((p) => !cited.has(p.id)).map((p) => p.id) },
    longestKey: { longest: lk.longest, of: lk.of, share: lk.of ? lk.longest / lk.of : 0, chance: lk.chance },
    trueFalse: tf,
  };
}

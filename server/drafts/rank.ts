/**
 * From candidates to a queue: scored (how informative, minus the quality report's flags), cleaned
 * (one draft per fact, one of each true/false pair, nothing an existing question already asks,
 * nothing rejected before) and spread over the sections in turn rather than piled on the first.
 */
import type { QuestionDefinition } from '../questions/definition.ts';
import { qualityReport, type QualityContext, type QualityFlag } from '../banks/quality/index.ts';
import { answerPhrases } from '../banks/quality/answers.ts';
import { contentStems, jaccard } from '../banks/quality/text.ts';
import { DUPLICATE_SIMILARITY } from '../banks/quality/cross-question.ts';
import type { Draft, DraftKind, SourcePassage } from './draft.ts';

export interface RankedDraft extends Draft {
  score: number;
  /** The quality report's flags on this draft (warnings only: drafts with errors are dropped). */
  flags: QualityFlag[];
}

export interface RankOptions {
  /** Questions already in the bank: a draft asking what one of them asks is dropped. */
  existing?: readonly QuestionDefinition[];
  /** Keys of drafts rejected before: they do not come back. */
  rejected?: ReadonlySet<string>;
  /** At most this many drafts (default: two per passage, at most 200). */
  limit?: number;
  /** At most this many drafts cite one passage. */
  perPassage?: number;
}

const ERROR_WEIGHT = 1;
const WARNING_WEIGHT = 0.15;
/** What each draft of a kind already taken costs the next of that kind. */
const KIND_SPREAD = 0.02;

/** Stems of what a question asks: its prompt and its answers (for the duplicate checks). */
const askedStems = (q: QuestionDefinition, terms: readonly string[] = []) => contentStems([q.prompt, ...answerPhrases(q), ...terms].join(' '));

/** Whether a draft asks what an existing question on the same passage asks. */
function duplicates(d: Draft, existing: readonly QuestionDefinition[], stems: Map<QuestionDefinition, Set<string>>): boolean {
  const mine = askedStems(d.question, d.terms);
  return existing.some((q) => {
    if (q.source.passageId !== d.passageId) return false;
    const theirs = stems.get(q)!;
    const sameQuoteAndKey = q.source.quote === d.question.source.quote && d.terms.every((t) => [...contentStems(t)].every((s) => theirs.has(s)));
    return sameQuoteAndKey || jaccard(mine, theirs) >= DUPLICATE_SIMILARITY;
  });
}

/** Scores, cleans and spreads candidates; pure. */
export function rankDrafts(candidates: readonly Draft[], passages: readonly SourcePassage[], options: RankOptions = {}): RankedDraft[] {
  const ctx: QualityContext = { passages: new Map(passages.map((p) => [p.id, p])) };
  const existing = options.existing ?? [];
  const existingStems = new Map(existing.map((q) => [q, askedStems(q)]));
  const limit = options.limit ?? Math.min(200, 2 * new Set(candidates.map((c) => c.passageId)).size);
  const perPassage = options.perPassage ?? 3;

  // 1. Score each candidate alone; a draft the report marks with an error is not offered.
  const scored: RankedDraft[] = [];
  for (const d of candidates) {
    if (options.rejected?.has(d.key) || duplicates(d, existing, existingStems)) continue;
    const flags = qualityReport([d.question], ctx).questionFlags;
    if (flags.some((f) => f.level === 'error')) continue;
    scored.push({ ...d, flags, score: d.informativeness - flags.length * WARNING_WEIGHT });
  }

  // 2. One draft per fact (sentence and key), choosing the kind used least so far; one per t/f pair.
  const byFact = new Map<string, RankedDraft[]>();
  for (const d of scored) {
    const fact = d.pairKey ?? `${d.question.source.quote}|${d.terms.join('|')}`;
    (byFact.get(fact) ?? byFact.set(fact, []).get(fact)!).push(d);
  }
  const used = new Map<DraftKind, number>();
  const tf = { true: 0, false: 0 };
  const facts = [...byFact.values()].sort((a, b) => Math.max(...b.map((d) => d.score)) - Math.max(...a.map((d) => d.score)));
  const chosen: RankedDraft[] = [];
  for (const group of facts) {
    const best = Math.max(...group.map((d) => d.score));
    const pick = group
      .filter((d) => d.score >= best - 0.1)
      .sort((a, b) => {
        // True and false statements in turn, so "false" is not the safe guess.
        if (a.pairKey && b.pairKey && a.question.type === 'truefalse' && b.question.type === 'truefalse') {
          const want = tf.true <= tf.false;
          return Number(b.question.answer === want) - Number(a.question.answer === want);
        }
        return (used.get(a.kind) ?? 0) - (used.get(b.kind) ?? 0) || b.score - a.score;
      })[0]!;
    used.set(pick.kind, (used.get(pick.kind) ?? 0) + 1);
    if (pick.question.type === 'truefalse') tf[pick.question.answer ? 'true' : 'false'] += 1;
    chosen.push(pick);
  }

  // 3. Spread: sections in turn, best first within each, a few per passage and one per sentence.
  const bySection = new Map<string, RankedDraft[]>();
  for (const d of chosen.sort((a, b) => b.score - a.score)) (bySection.get(d.sectionTitle) ?? bySection.set(d.sectionTitle, []).get(d.sectionTitle)!).push(d);
  const queues = [...bySection.values()];
  const perPassageCount = new Map<string, number>();
  const quotes = new Set<string>();
  const kinds = new Map<DraftKind, number>();
  // A matching or ordering draft quotes one of several sentences it draws on and asks something
  // else of it (which goes with which, which came first): it neither takes nor is kept from a sentence.
  const severalSentences = (d: RankedDraft) => d.kind === 'matching' || d.kind === 'ordering';
  const fits = (d: RankedDraft) => (perPassageCount.get(d.passageId) ?? 0) < perPassage && (severalSentences(d) || !quotes.has(d.question.source.quote));
  // Within a section the best draft wins, less a little for each draft of its kind already taken: a mix of kinds.
  const worth = (d: RankedDraft) => d.score - KIND_SPREAD * (kinds.get(d.kind) ?? 0);
  let selected: RankedDraft[] = [];
  while (selected.length < limit && queues.some((q) => q.some(fits))) {
    for (const q of queues) {
      let best = -1;
      q.forEach((d, i) => {
        if (fits(d) && (best < 0 || worth(d) > worth(q[best]!))) best = i;
      });
      if (best < 0) continue;
      const [d] = q.splice(best, 1);
      perPassageCount.set(d!.passageId, (perPassageCount.get(d!.passageId) ?? 0) + 1);
      if (!severalSentences(d!)) quotes.add(d!.question.source.quote);
      kinds.set(d!.kind, (kinds.get(d!.kind) ?? 0) + 1);
      selected.push(d!);
      if (selected.length >= limit) break;
    }
  }

  // True and false statements in balance (the copy-gap check needs both, and "false" must not be the safe guess).
  const twins = new Map(scored.filter((d) => d.pairKey).map((d) => [`${d.pairKey}:${d.question.type === 'truefalse' && d.question.answer}`, d]));
  const side = (answer: boolean) => selected.filter((d) => d.question.type === 'truefalse' && d.question.answer === answer).length;
  for (let i = 0; i < selected.length; i++) {
    const d = selected[i]!;
    if (d.question.type !== 'truefalse') continue;
    const ahead = side(d.question.answer) - side(!d.question.answer);
    const twin = twins.get(`${d.pairKey}:${!d.question.answer}`);
    if (ahead > 1 && twin) selected[i] = twin;
  }

  // 4. The report over the queue as a bank: drop what gives another draft away or duplicates it.
  for (let round = 0; round < 3; round++) {
    const report = qualityReport(
      selected.map((d) => d.question),
      ctx,
    );
    // A giveaway drops the draft whose answer is shown (the other is usually a true statement, which
    // keeps true and false statements balanced); a near-duplicate drops the later one.
    const bad = new Set(
      report.questionFlags
        .filter((f) => f.level === 'error' || f.code === 'near-duplicate')
        .map((f) => (f.code === 'giveaway' && f.related?.length ? f.related[0] : f.questionId)),
    );
    if (!bad.size) break;
    selected = selected.filter((d) => !bad.has(d.question.id));
  }
  const final = qualityReport(
    selected.map((d) => d.question),
    ctx,
  );
  return selected.map((d) => {
    const flags = final.questionFlags.filter((f) => f.questionId === d.question.id);
    return {
      ...d,
      flags,
      score: Math.round((d.informativeness - flags.filter((f) => f.level === 'error').length * ERROR_WEIGHT - flags.length * WARNING_WEIGHT) * 100) / 100,
    };
  });
}

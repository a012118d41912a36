import type { QuestionDefinition } from '../../questions/definition.ts';
import { answerPhrases, assertedSegments } from './answers.ts';
import { contentStems, jaccard, words } from './text.ts';
import { questionFlag, type BankDetector, type QualityFlag } from './types.ts';

/** At most this many question pairs are compared, so a huge import cannot cost unbounded time. */
export const MAX_PAIRS = 400_000;

/** Stems shared by more than this share of prompts say nothing about which fact is asked (the subject's name, "paper"). */
const COMMON_SHARE = 0.15;

function commonStems(qs: readonly QuestionDefinition[]): Set<string> {
  const counts = new Map<string, number>();
  for (const q of qs) for (const s of contentStems(q.prompt)) counts.set(s, (counts.get(s) ?? 0) + 1);
  const limit = Math.max(3, qs.length * COMMON_SHARE);
  return new Set([...counts].filter(([, n]) => n > limit).map(([s]) => s));
}

const padded = (text: string) => ` ${words(text).join(' ')} `;

/**
 * Error: a question shows as true another question's answer in the same setting: one of its
 * asserted texts (prompt, right choice, pair, item, cloze text) contains B's answer and at least
 * two of B's distinctive prompt words, so whoever met A can answer B without knowing the source.
 * B's answer to a multi is the set: it is given away when at least half its right choices (and
 * two or more) are.
 */
export const giveaways: BankDetector = (qs) => {
  const common = commonStems(qs);
  const segments = qs.map((q) => assertedSegments(q).map((s) => ({ text: padded(s), stems: contentStems(s) })));
  // Index questions by the words of their segments, so each answer is looked for only where its first word occurs.
  const byWord = new Map<string, Set<number>>();
  segments.forEach((segs, i) =>
    segs.forEach((s) =>
      s.text
        .trim()
        .split(' ')
        .forEach((w) => (byWord.get(w) ?? byWord.set(w, new Set()).get(w)!).add(i)),
    ),
  );
  const flags: QualityFlag[] = [];
  let budget = MAX_PAIRS;
  qs.forEach((b, bi) => {
    const phrases = answerPhrases(b).filter((phrase) => words(phrase).join('').length >= 4 && !padded(b.prompt).includes(padded(phrase)));
    // Several accepted answers of a short or cloze are one answer: any of them counts.
    const needed = b.type === 'multi' ? Math.max(2, Math.ceil(b.answers.length / 2)) : 1;
    const shownIn = new Map<number, string[]>();
    for (const phrase of phrases) {
      const cue = new Set([...contentStems(b.prompt)].filter((st) => !common.has(st) && !contentStems(phrase).has(st)));
      for (const ai of byWord.get(words(phrase)[0]!) ?? []) {
        if (ai === bi || budget-- <= 0) continue;
        const hit = segments[ai]!.some((sg) => sg.text.includes(padded(phrase)) && [...sg.stems].filter((x) => cue.has(x)).length >= 2);
        if (hit) shownIn.set(ai, [...(shownIn.get(ai) ?? []), phrase]);
      }
    }
    for (const [ai, shown] of shownIn) {
      if (b.type === 'multi' ? shown.length < needed : !shown.length) continue;
      const what = shown
        .slice(0, 3)
        .map((x) => `"${x}"`)
        .join(', ');
      flags.push(
        questionFlag(
          qs[ai]!,
          'giveaway',
          'error',
          `Shows ${what}, the answer of ${b.id}, in the same setting: learners who meet it can answer ${b.id} without the source.`,
          [b.id],
        ),
      );
    }
  });
  return flags.sort((x, y) => qs.findIndex((q) => q.id === x.questionId) - qs.findIndex((q) => q.id === y.questionId));
};

/** Prompt-and-answer stems this alike, on the same passage, ask the same fact. */
export const DUPLICATE_SIMILARITY = 0.5;

/** Warning: two questions on the same passage ask the same fact (alike prompt and answer, or the same quote and answer). */
export const nearDuplicates: BankDetector = (qs) => {
  const byPassage = new Map<string, number[]>();
  qs.forEach((q, i) => (byPassage.get(q.source.passageId) ?? byPassage.set(q.source.passageId, []).get(q.source.passageId)!).push(i));
  const stems = qs.map((q) => contentStems([q.prompt, ...answerPhrases(q)].join(' ')));
  const answers = qs.map((q) =>
    answerPhrases(q)
      .map((a) => words(a).join(' '))
      .sort()
      .join('|'),
  );
  const flags: QualityFlag[] = [];
  let budget = MAX_PAIRS;
  for (const group of byPassage.values()) {
    for (let x = 0; x < group.length; x++) {
      for (let y = x + 1; y < group.length; y++) {
        if (budget-- <= 0) return flags;
        const i = group[x]!;
        const j = group[y]!;
        const sameFact = qs[i]!.source.quote === qs[j]!.source.quote && answers[i] !== '' && answers[i] === answers[j];
        const sim = jaccard(stems[i]!, stems[j]!);
        if (!sameFact && sim < DUPLICATE_SIMILARITY) continue;
        const why = sameFact ? 'the same quote and answer' : `${Math.round(sim * 100)}% the same words`;
        flags.push(
          questionFlag(qs[j]!, 'near-duplicate', 'warning', `Asks the same fact as ${qs[i]!.id} (${why}): keep one, or ask another fact.`, [qs[i]!.id]),
        );
      }
    }
  }
  return flags;
};

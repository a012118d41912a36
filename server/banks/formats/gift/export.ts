import type { QuestionDefinition } from '../../../questions/definition.ts';
import { escapeGift } from './escape.ts';
import { DEFAULT_CLOZE_PROMPT, defaultChoiceIds, type GiftMeta } from './question.ts';
import type { ExportGiftResult } from './types.ts';

/** A percentage as Moodle lists its grades (33.33333, 14.28571, …). */
function percent(fraction: number): string {
  return String(Number((fraction * 100).toFixed(5)));
}

/** Why a definition cannot round-trip through GIFT, or null when it can. */
function unexportable(def: QuestionDefinition): string | null {
  if (def.type === 'ordering') return 'GIFT has no ordering questions';
  if (def.type === 'card') return 'GIFT has no front/back cards';
  if (def.type === 'cloze' && def.blanks.length > 1) return 'GIFT has one answer block per question, so one blank at most';
  // GIFT has no escape for "->" or for a leading "%50%", so answers holding them would be misread.
  const answers =
    def.type === 'mcq' || def.type === 'multi'
      ? def.choices.map((c) => c.text)
      : def.type === 'short'
        ? [...def.answers, ...(def.partial ?? []).map((p) => p.answer)]
        : def.type === 'cloze'
          ? def.blanks.flatMap((b) => b.answers)
          : [];
  if (answers.some((t) => t.includes('->'))) return 'an answer contains "->", which GIFT reads as a matching arrow';
  if (answers.some((t) => /^%-?\d+(?:\.\d+)?%/.test(t))) return 'an answer starts like a GIFT weight (%50%)';
  if (def.type === 'short' && answers.includes('*')) return 'an answer is "*", which Moodle reads as "any answer"';
  if (def.type === 'matching' && def.pairs.some((p) => p.left.includes('->') || p.right.includes('->'))) {
    return 'an item contains "->", which GIFT reads as the pairing arrow';
  }
  return null;
}

function metaComment(def: QuestionDefinition): string {
  const meta: GiftMeta = { type: def.type, topics: def.topics, difficulty: def.difficulty, ...(def.level ? { level: def.level } : {}), source: def.source };
  if (def.type === 'numeric' && def.unit) meta.unit = def.unit;
  if (def.type === 'mcq' || def.type === 'multi') {
    const ids = def.choices.map((c) => c.id);
    if (ids.join() !== defaultChoiceIds(ids.length).join()) meta.choiceIds = ids;
  }
  if (def.type === 'cloze' && def.prompt !== DEFAULT_CLOZE_PROMPT) meta.prompt = def.prompt;
  if (def.type === 'essay') {
    const { maxMark, wordLimit, rubric, modelAnswer } = def;
    meta.essay = { maxMark, ...(wordLimit ? { wordLimit } : {}), ...(rubric ? { rubric } : {}), ...(modelAnswer ? { modelAnswer } : {}) };
  }
  return `// lectern: ${JSON.stringify(meta)}`;
}

const fb = (feedback: string | undefined) => (feedback ? `#${escapeGift(feedback)}` : '');
const range = (answer: number, tolerance: number) => `${answer}:${tolerance}`;

function answerLines(def: Exclude<QuestionDefinition, { type: 'cloze' | 'ordering' | 'card' }>): string[] {
  // Moodle's essay is an empty block: only the general feedback follows.
  if (def.type === 'essay') return [];
  switch (def.type) {
    case 'mcq':
      return def.choices.map((c) => {
        const marker = c.id === def.answer ? '=' : c.credit ? `~%${percent(c.credit)}%` : '~';
        return `${marker}${escapeGift(c.text)}${fb(c.feedback)}`;
      });
    case 'multi': {
      // Wrong choices take away what a right one gives, so Moodle grades as Lectern does (+1/k, −1/k).
      const share = percent(1 / def.answers.length);
      return def.choices.map((c) => `~%${def.answers.includes(c.id) ? share : `-${share}`}%${escapeGift(c.text)}${fb(c.feedback)}`);
    }
    case 'truefalse': {
      const [right, wrong] = def.answer ? [def.feedbackTrue, def.feedbackFalse] : [def.feedbackFalse, def.feedbackTrue];
      const feedback = wrong || right ? `#${escapeGift(wrong ?? '')}${right ? `#${escapeGift(right)}` : ''}` : '';
      return [`${def.answer ? 'TRUE' : 'FALSE'}${feedback}`];
    }
    case 'short':
      return [
        ...def.answers.map((a) => `=${escapeGift(a)}${fb(def.feedback?.find((f) => f.answer === a)?.text)}`),
        ...(def.partial ?? []).map((p) => `=%${percent(p.credit)}%${escapeGift(p.answer)}${fb(p.feedback)}`),
        ...(def.otherwise ? [`=%0%*${fb(def.otherwise)}`] : []),
      ];
    case 'numeric': {
      if (!def.feedback && !def.alternatives?.length && !def.otherwise) return [`#${range(def.answer, def.tolerance)}`];
      // Moodle's own exporter's form: "#" then one "=%w%answer:tolerance#feedback" a line, then "~#…".
      return [
        '#',
        `=%100%${range(def.answer, def.tolerance)}${fb(def.feedback)}`,
        ...(def.alternatives ?? []).map((a) => `=%${percent(a.credit)}%${range(a.answer, a.tolerance)}${fb(a.feedback)}`),
        ...(def.otherwise ? [`~${fb(def.otherwise)}`] : []),
      ];
    }
    case 'matching':
      return def.pairs.map((p) => `=${escapeGift(p.left)} -> ${escapeGift(p.right)}`);
  }
}

function exportOne(def: QuestionDefinition): string {
  const head = `${metaComment(def)}\n::${escapeGift(def.id)}:: `;
  const feedback = `####${escapeGift(def.explanation)}`;
  if (def.type === 'ordering' || def.type === 'card') throw new Error('unreachable: skipped above');
  if (def.type === 'cloze') {
    const [before = '', after = ''] = def.text.split('{{1}}');
    const block = `{${def.blanks[0]!.answers.map((a) => `=${escapeGift(a)}`).join(' ')} ${feedback}}`;
    return `${head}${escapeGift(before)}${block}${escapeGift(after)}`;
  }
  return `${head}${escapeGift(def.prompt)} {\n${[...answerLines(def), feedback].map((l) => `\t${l}`).join('\n')}\n}`;
}

/** Writes questions as GIFT (with Lectern's metadata in comments); lists those GIFT cannot hold. */
export function exportGift(defs: readonly QuestionDefinition[]): ExportGiftResult {
  const skipped: ExportGiftResult['skipped'] = [];
  const blocks: string[] = [];
  for (const def of defs) {
    const reason = unexportable(def);
    if (reason) skipped.push({ id: def.id, reason });
    else blocks.push(exportOne(def));
  }
  return { text: blocks.length ? `${blocks.join('\n\n')}\n` : '', skipped };
}

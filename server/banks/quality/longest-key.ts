import type { QuestionDefinition } from '../../questions/definition.ts';
import { questionFlag, type BankDetector, type QuestionDetector } from './types.ts';

/** Above this share of single-answer MCQs with a strictly longest key, length is a cue (chance is 1/n). */
export const MAX_LONGEST_KEY_SHARE = 0.3;
/** Below this many single-answer MCQs the share says little. */
const MIN_MCQ_FOR_SHARE = 8;

/** Whether a single-answer MCQ's key is strictly longer than every other choice. */
export function keyIsLongest(q: QuestionDefinition): boolean {
  if (q.type !== 'mcq') return false;
  const key = q.choices.find((c) => c.id === q.answer);
  if (!key) return false;
  return q.choices.every((c) => c.id === key.id || c.text.trim().length < key.text.trim().length);
}

/** Per question: the key is the longest option (MCQ), or the right choices are all longer than every wrong one (multi). */
export const longestKey: QuestionDetector = (q) => {
  if (q.type === 'mcq' && keyIsLongest(q)) {
    const key = q.choices.find((c) => c.id === q.answer)!.text.trim().length;
    const next = Math.max(...q.choices.filter((c) => c.id !== q.answer).map((c) => c.text.trim().length));
    return [questionFlag(q, 'longest-key', 'warning', `The key is the longest option (${key} characters, the next ${next}): learners pick the longest.`)];
  }
  if (q.type === 'multi') {
    const len = (id: string) => q.choices.find((c) => c.id === id)!.text.trim().length;
    const keys = q.answers.map(len);
    const others = q.choices.filter((c) => !q.answers.includes(c.id)).map((c) => c.text.trim().length);
    if (Math.min(...keys) > Math.max(...others)) {
      return [questionFlag(q, 'longest-key', 'warning', 'Every right choice is longer than every wrong one: length gives the answers away.')];
    }
  }
  return [];
};

/** The share of single-answer MCQs whose key is strictly longest, with what chance would give. */
export function longestKeyShare(qs: readonly QuestionDefinition[]): { longest: number; of: number; chance: number; ids: string[] } {
  const mcqs = qs.filter((q) => q.type === 'mcq');
  const ids = mcqs.filter(keyIsLongest).map((q) => q.id);
  const chance = mcqs.reduce((sum, q) => sum + (q.type === 'mcq' ? 1 / q.choices.length : 0), 0);
  return { longest: ids.length, of: mcqs.length, chance, ids };
}

/** Bank: an error when the key is the longest option in more than 30% of single-answer MCQs. */
export const longestKeyBank: BankDetector = (qs) => {
  const { longest, of, chance, ids } = longestKeyShare(qs);
  if (of < MIN_MCQ_FOR_SHARE || longest / of <= MAX_LONGEST_KEY_SHARE) return [];
  const pct = Math.round((longest / of) * 100);
  return [
    {
      code: 'longest-key-share',
      level: 'error',
      reason: `The key is the longest option in ${longest} of ${of} single-answer questions (${pct}%; chance would give about ${Math.round(chance)}): keep it at most ${MAX_LONGEST_KEY_SHARE * 100}%.`,
      related: ids,
    },
  ];
};

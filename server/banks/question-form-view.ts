/** What the question form's view needs besides the question: the labels and the bank's topics. */
import { DIFFICULTIES, LEVELS, QUESTION_TYPES } from '../questions/definition.ts';
import { topicLabels, type BankTopic } from './topics.ts';

/** How the editor names each question type. */
export const TYPE_LABELS: Record<(typeof QUESTION_TYPES)[number], string> = {
  mcq: 'Multiple choice (one correct)',
  multi: 'Multiple choice (several correct)',
  truefalse: 'True or false',
  short: 'Short answer',
  numeric: 'Numeric',
  cloze: 'Fill in the blanks (cloze)',
  matching: 'Matching',
  ordering: 'Ordering',
  essay: 'Essay (marked by hand)',
  card: 'Card (front and back, self-rated)',
};

/** How the editor names each cognitive level. */
export const LEVEL_LABELS: Record<(typeof LEVELS)[number], string> = {
  recall: 'Recall (a fact the source states)',
  understand: 'Understand (why, how, what follows)',
  apply: 'Apply (use the argument on a case)',
};

/** A bank's topics as the editor's views read them: the slugs in order and their names. */
export const topicVocab = (bank: { topics: readonly BankTopic[] }) => ({ topicSlugs: bank.topics.map((t) => t.slug), topicLabels: topicLabels(bank.topics) });

/** The vocabularies every editor view reads. */
export const vocab = { QUESTION_TYPES, TYPE_LABELS, DIFFICULTIES, LEVELS, LEVEL_LABELS };

/** The question form's vocabularies for a bank (the drafts queue opens the same form). */
export function questionFormVocab(bank: { topics: readonly BankTopic[] }) {
  return { ...vocab, ...topicVocab(bank) };
}

import type { QuestionBody, QuestionDefinition } from '../questions/definition.ts';

/**
 * The essay part of the question editor's form: the mark it is out of, an optional word limit,
 * and the grader's rubric and model answer. Pure, as question-form.ts.
 */
export interface EssayFormValues {
  maxMark: string;
  wordLimit: string;
  rubric: string;
  modelAnswer: string;
}

export const ESSAY_FIELDS = ['maxMark', 'wordLimit', 'rubric', 'modelAnswer'] as const satisfies readonly (keyof EssayFormValues)[];

export const emptyEssayForm = (): EssayFormValues => ({ maxMark: '10', wordLimit: '', rubric: '', modelAnswer: '' });

/** The essay fields of a stored essay. */
export function essayToForm(def: Extract<QuestionDefinition, { type: 'essay' }>): EssayFormValues {
  return { maxMark: String(def.maxMark), wordLimit: def.wordLimit ? String(def.wordLimit) : '', rubric: def.rubric ?? '', modelAnswer: def.modelAnswer ?? '' };
}

const WHOLE = /^\d{1,6}$/;

/** The essay body from the form, with a message per field that is not a whole number in range. */
export function essayBodyFromForm(form: EssayFormValues, errors: Partial<Record<keyof EssayFormValues, string>>): Extract<QuestionBody, { type: 'essay' }> {
  const maxMark = form.maxMark.trim() === '' ? 10 : WHOLE.test(form.maxMark.trim()) ? Number(form.maxMark.trim()) : Number.NaN;
  if (!(maxMark >= 1 && maxMark <= 100)) errors.maxMark = 'The mark is a whole number from 1 to 100.';
  const limit = form.wordLimit.trim();
  const wordLimit = limit === '' ? undefined : WHOLE.test(limit) ? Number(limit) : Number.NaN;
  if (wordLimit !== undefined && !(wordLimit >= 1 && wordLimit <= 3000))
    errors.wordLimit = 'The word limit is a whole number from 1 to 3000, or empty for none.';
  const rubric = form.rubric.trim();
  const modelAnswer = form.modelAnswer.trim();
  return { type: 'essay', maxMark, ...(wordLimit !== undefined ? { wordLimit } : {}), ...(rubric ? { rubric } : {}), ...(modelAnswer ? { modelAnswer } : {}) };
}

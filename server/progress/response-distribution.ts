import { isBlankResponse, responseText, type QuestionDefinition, type QuestionResponse } from '../questions/index.ts';

/**
 * What students answered to one question, pure: for choice questions, the share choosing each
 * option (for several-correct questions, the share ticking it); for typed answers, the most
 * common wrong answers. Blank answers are counted apart.
 */
export interface ResponseDistribution {
  responses: number;
  blank: number;
  options: { text: string; correct: boolean; count: number; share: number }[];
  /** Typed questions: the commonest wrong answers as typed (grouped ignoring case and spacing). */
  wrongAnswers: { text: string; count: number; share: number }[];
}

/** How many wrong typed answers are listed. */
export const COMMON_WRONG_ANSWERS = 5;

const isBlank = (r: QuestionResponse | null): boolean => !r || isBlankResponse(r);

/** The distribution of the answers given to one question (each with its mark, 0..1). */
export function responseDistribution(
  definition: QuestionDefinition,
  answers: ReadonlyArray<{ response: QuestionResponse | null; score: number }>,
): ResponseDistribution {
  const given = answers.filter((a) => !isBlank(a.response));
  const out: ResponseDistribution = { responses: answers.length, blank: answers.length - given.length, options: [], wrongAnswers: [] };
  const share = (count: number) => (answers.length ? count / answers.length : 0);
  if (definition.type === 'mcq' || definition.type === 'multi') {
    const correct = new Set(definition.type === 'mcq' ? [definition.answer] : definition.answers);
    out.options = definition.choices.map((c) => {
      const count = given.filter((a) =>
        a.response?.type === 'mcq' ? a.response.choice === c.id : a.response?.type === 'multi' && a.response.choices.includes(c.id),
      ).length;
      return { text: c.text, correct: correct.has(c.id), count, share: share(count) };
    });
  } else if (definition.type === 'truefalse') {
    out.options = [true, false].map((v) => {
      const count = given.filter((a) => a.response?.type === 'truefalse' && a.response.value === v).length;
      return { text: v ? 'True' : 'False', correct: definition.answer === v, count, share: share(count) };
    });
  } else if (definition.type === 'short' || definition.type === 'numeric' || definition.type === 'cloze') {
    const groups = new Map<string, { text: string; count: number }>();
    for (const a of given) {
      if (a.score >= 1) continue;
      const text = responseText(definition, a.response!);
      const key = text.trim().replace(/\s+/g, ' ').toLowerCase();
      const g = groups.get(key) ?? { text: text.trim(), count: 0 };
      g.count += 1;
      groups.set(key, g);
    }
    out.wrongAnswers = [...groups.values()]
      .sort((x, y) => y.count - x.count || x.text.localeCompare(y.text))
      .slice(0, COMMON_WRONG_ANSWERS)
      .map((g) => ({ ...g, share: share(g.count) }));
  }
  return out;
}

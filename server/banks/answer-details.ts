import type { QuestionBody, QuestionDefinition } from '../questions/definition.ts';

/**
 * What the editor form has no field for (per-answer feedback, partial credit, further numeric
 * ranges: imported from GIFT) is carried from the question as it was, wherever what it refers to
 * still exists, so saving an edit never drops it silently.
 */
export function keepAnswerDetails(body: QuestionBody, previous: QuestionDefinition | undefined): QuestionBody {
  if (!previous || previous.type !== body.type) return body;
  switch (previous.type) {
    case 'mcq':
    case 'multi': {
      if (body.type !== 'mcq' && body.type !== 'multi') return body;
      const before = new Map<string, (typeof previous.choices)[number]>(previous.choices.map((c) => [c.text, c]));
      const answer = body.type === 'mcq' ? body.answer : undefined;
      const choices = body.choices.map((c) => {
        const old = before.get(c.text);
        const credit = previous.type === 'mcq' && old && 'credit' in old && old.credit !== undefined && c.id !== answer ? { credit: old.credit } : {};
        return { ...c, ...(old?.feedback ? { feedback: old.feedback } : {}), ...credit };
      });
      return { ...body, choices };
    }
    case 'truefalse':
      return body.type === 'truefalse' ? { ...body, ...pick(previous, ['feedbackTrue', 'feedbackFalse']) } : body;
    case 'short': {
      if (body.type !== 'short') return body;
      const answers = body.answers;
      const partial = previous.partial?.filter((p) => !answers.includes(p.answer));
      const feedback = previous.feedback?.filter((f) => answers.includes(f.answer));
      return {
        ...body,
        ...(partial?.length ? { partial } : {}),
        ...(feedback?.length ? { feedback } : {}),
        ...pick(previous, ['otherwise']),
      };
    }
    case 'numeric':
      return body.type === 'numeric' ? { ...body, ...pick(previous, ['feedback', 'alternatives', 'otherwise']) } : body;
    default:
      return body;
  }
}

/** The given fields of an object that it has (an undefined one left out, as JSON would). */
function pick<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
}

import type { QuestionDefinition } from '../questions/definition.ts';

type Body = { type?: string } & Record<string, unknown>;
type Choice = { id: string; text: string; feedback?: string; credit?: number };

/**
 * What the editor form has no field for (per-answer feedback, partial credit, further numeric
 * ranges: imported from GIFT) is carried from the question as it was, wherever what it refers to
 * still exists, so saving an edit never drops it silently.
 */
export function keepAnswerDetails(body: Body, previous: QuestionDefinition | undefined): Body {
  if (!previous || previous.type !== body.type) return body;
  switch (previous.type) {
    case 'mcq':
    case 'multi': {
      const before = new Map<string, Choice>(previous.choices.map((c) => [c.text, c]));
      const answer = body.answer;
      const choices = (body.choices as Choice[] | undefined)?.map((c) => {
        const old = before.get(c.text);
        const credit = previous.type === 'mcq' && old?.credit !== undefined && c.id !== answer ? { credit: old.credit } : {};
        return { ...c, ...(old?.feedback ? { feedback: old.feedback } : {}), ...credit };
      });
      return choices ? { ...body, choices } : body;
    }
    case 'truefalse':
      return { ...body, ...pick(previous, ['feedbackTrue', 'feedbackFalse']) };
    case 'short': {
      const answers = (body.answers as string[] | undefined) ?? [];
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
      return { ...body, ...pick(previous, ['feedback', 'alternatives', 'otherwise']) };
    default:
      return body;
  }
}

function pick(from: object, keys: string[]): Record<string, unknown> {
  const source = from as Record<string, unknown>;
  return Object.fromEntries(keys.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]));
}

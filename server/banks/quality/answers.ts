import type { QuestionDefinition } from '../../questions/definition.ts';

/** The right answer(s) of a question in words, for the giveaway and duplicate checks. */
export function answerPhrases(q: QuestionDefinition): string[] {
  switch (q.type) {
    case 'mcq':
      return q.choices.filter((c) => c.id === q.answer).map((c) => c.text);
    case 'multi':
      return q.choices.filter((c) => q.answers.includes(c.id)).map((c) => c.text);
    case 'short':
      return [...q.answers];
    case 'cloze':
      return q.blanks.flatMap((b) => b.answers);
    default:
      return [];
  }
}

/**
 * The texts a question shows a learner as true: its prompt (a true statement, or a question's
 * setting), its right choices, its pairs, its items, its cloze text. A wrong choice or a false
 * statement asserts nothing, so it gives nothing away.
 */
export function assertedSegments(q: QuestionDefinition): string[] {
  const prompt = q.type === 'truefalse' && !q.answer ? [] : [q.prompt];
  switch (q.type) {
    case 'mcq':
    case 'multi':
    case 'short':
      return [...prompt, ...answerPhrases(q)];
    case 'cloze':
      return [...prompt, q.text];
    case 'matching':
      return [...prompt, ...q.pairs.map((p) => `${p.left} — ${p.right}`)];
    case 'ordering':
      return [...prompt, ...q.items];
    default:
      return prompt;
  }
}

/** The source text a question is checked against: its cited passage, or its quote when the passage is unknown. */
export function sourceTextOf(q: QuestionDefinition, passages: ReadonlyMap<string, { text: string }>): string {
  return passages.get(q.source.passageId)?.text ?? q.source.quote;
}

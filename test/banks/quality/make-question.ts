/** Small question builders for the quality detector tests (not a test file itself). */
import type { QuestionDefinition } from '../../../server/questions/definition.ts';
import type { QualityContext } from '../../../server/banks/quality/index.ts';

const meta = (id: string, prompt: string, quote = 'a quote') => ({
  id,
  prompt,
  topics: ['members' as const],
  difficulty: 'medium' as const,
  source: { passageId: 'background-1', quote },
  explanation: 'Because the paper says so.',
});

export const mcq = (id: string, prompt: string, choices: string[], answer = 0, quote?: string): QuestionDefinition => ({
  ...meta(id, prompt, quote),
  type: 'mcq',
  choices: choices.map((text, i) => ({ id: String.fromCharCode(97 + i), text })),
  answer: String.fromCharCode(97 + answer),
});

export const multi = (id: string, prompt: string, choices: string[], answers: number[], quote?: string): QuestionDefinition => ({
  ...meta(id, prompt, quote),
  type: 'multi',
  choices: choices.map((text, i) => ({ id: String.fromCharCode(97 + i), text })),
  answers: answers.map((i) => String.fromCharCode(97 + i)),
});

export const tf = (id: string, prompt: string, answer: boolean, passageId = 'background-1'): QuestionDefinition => ({
  ...meta(id, prompt),
  source: { passageId, quote: 'a quote' },
  type: 'truefalse',
  answer,
});

export const short = (id: string, prompt: string, answers: string[]): QuestionDefinition => ({ ...meta(id, prompt), type: 'short', answers });

export const matching = (id: string, prompt: string, pairs: [string, string][], quote?: string): QuestionDefinition => ({
  ...meta(id, prompt, quote),
  type: 'matching',
  pairs: pairs.map(([left, right]) => ({ left, right })),
});

export const ordering = (id: string, prompt: string, items: string[], quote?: string): QuestionDefinition => ({
  ...meta(id, prompt, quote),
  type: 'ordering',
  items,
});

export const cloze = (id: string, prompt: string, text: string, blanks: string[][], quote?: string): QuestionDefinition => ({
  ...meta(id, prompt, quote),
  type: 'cloze',
  text,
  blanks: blanks.map((answers) => ({ answers })),
});

/** A context with one passage, background-1, holding `text`. */
export const ctxWith = (text: string, more: Record<string, string> = {}): QualityContext => ({
  passages: new Map(Object.entries({ 'background-1': text, ...more }).map(([id, t]) => [id, { id, text: t, section: id.split('-')[0] }])),
});

export const codes = (flags: { code: string }[]) => flags.map((f) => f.code);

import { z } from 'zod';

/**
 * The definition of a question: what an author writes and a bank stores. The answer key lives
 * here too, which is why a definition is never sent to a learner; `presentQuestion` derives what
 * a learner may see.
 */

export const QUESTION_TYPES = [
  'mcq',
  'multi',
  'truefalse',
  'short',
  'numeric',
  'cloze',
  'matching',
  'ordering',
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export const TOPICS = [
  'members',
  'dates-events',
  'goals-principles',
  'institutions',
  'analogies',
  'energy',
  'security-terrorism',
  'political-symbolism',
  'regional-architecture',
  'australia-policy',
] as const;
export type Topic = (typeof TOPICS)[number];

export const TOPIC_LABELS: Record<Topic, string> = {
  members: 'Members',
  'dates-events': 'Dates and events',
  'goals-principles': 'Goals and principles',
  institutions: 'Institutions',
  analogies: 'Analogies and labels',
  energy: 'Energy',
  'security-terrorism': 'Security and terrorism',
  'political-symbolism': 'Political symbolism',
  'regional-architecture': 'Regional architecture',
  'australia-policy': "Australia's policy",
};

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

const text = (max: number) => z.string().trim().min(1).max(max);
const choiceId = z.string().regex(/^[a-z0-9-]{1,20}$/, 'a choice id is 1-20 lowercase letters, digits or dashes');
const choice = z.object({ id: choiceId, text: text(500) });
const acceptedAnswers = z.array(text(200)).min(1).max(20);

const uniqueIds = (choices: { id: string }[]) => new Set(choices.map((c) => c.id)).size === choices.length;

export const mcqBody = z
  .object({
    type: z.literal('mcq'),
    choices: z.array(choice).min(2).max(10),
    answer: choiceId,
  })
  .refine((q) => uniqueIds(q.choices), { message: 'choice ids must be unique', path: ['choices'] })
  .refine((q) => q.choices.some((c) => c.id === q.answer), {
    message: 'the answer must be one of the choices',
    path: ['answer'],
  });

export const multiBody = z
  .object({
    type: z.literal('multi'),
    choices: z.array(choice).min(3).max(10),
    answers: z.array(choiceId).min(1),
  })
  .refine((q) => uniqueIds(q.choices), { message: 'choice ids must be unique', path: ['choices'] })
  .refine((q) => q.answers.every((a) => q.choices.some((c) => c.id === a)), {
    message: 'every answer must be one of the choices',
    path: ['answers'],
  })
  .refine((q) => new Set(q.answers).size === q.answers.length && q.answers.length < q.choices.length, {
    message: 'answers must be distinct and leave at least one wrong choice',
    path: ['answers'],
  });

export const trueFalseBody = z.object({ type: z.literal('truefalse'), answer: z.boolean() });

export const shortBody = z.object({ type: z.literal('short'), answers: acceptedAnswers });

export const numericBody = z.object({
  type: z.literal('numeric'),
  answer: z.number().finite(),
  tolerance: z.number().finite().min(0).default(0),
  unit: z.string().trim().max(30).optional(),
});

/** Cloze text marks its blanks as {{1}}, {{2}}, … numbered in order; `blanks[i]` is blank i+1. */
export const clozeBody = z
  .object({
    type: z.literal('cloze'),
    text: text(2000),
    blanks: z.array(z.object({ answers: acceptedAnswers })).min(1).max(10),
  })
  .refine(
    (q) => {
      const marks = [...q.text.matchAll(/\{\{(\d+)\}\}/g)].map((m) => Number(m[1]));
      return marks.length === q.blanks.length && marks.every((n, i) => n === i + 1);
    },
    { message: 'the text must mark blanks {{1}}..{{n}} in order, one per blank', path: ['text'] },
  );

export const matchingBody = z
  .object({
    type: z.literal('matching'),
    pairs: z.array(z.object({ left: text(300), right: text(300) })).min(2).max(10),
  })
  .refine((q) => new Set(q.pairs.map((p) => p.left)).size === q.pairs.length, {
    message: 'left items must be distinct',
    path: ['pairs'],
  })
  .refine((q) => new Set(q.pairs.map((p) => p.right)).size === q.pairs.length, {
    message: 'right items must be distinct',
    path: ['pairs'],
  });

/** Items are listed in their correct order. */
export const orderingBody = z
  .object({ type: z.literal('ordering'), items: z.array(text(300)).min(3).max(10) })
  .refine((q) => new Set(q.items).size === q.items.length, { message: 'items must be distinct', path: ['items'] });

export const questionBody = z.discriminatedUnion('type', [
  mcqBody,
  multiBody,
  trueFalseBody,
  shortBody,
  numericBody,
  clozeBody,
  matchingBody,
  orderingBody,
]);
export type QuestionBody = z.infer<typeof questionBody>;

/** Where a question's answer is found: a passage of the source and the verbatim span that says so. */
export const sourceRef = z.object({
  passageId: z.string().regex(/^[a-z]+-\d+$/, 'a passage id looks like "background-3"'),
  quote: text(1000),
});
export type SourceRef = z.infer<typeof sourceRef>;

const questionMeta = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'an id is lowercase letters, digits and dashes'),
  prompt: text(2000),
  topics: z.array(z.enum(TOPICS)).min(1).max(5),
  difficulty: z.enum(DIFFICULTIES),
  source: sourceRef,
  explanation: text(2000),
});

/** A whole question: its metadata and one type-specific body. */
export const questionDefinition = z.intersection(questionMeta, questionBody);
export type QuestionDefinition = z.infer<typeof questionDefinition>;

import { z } from 'zod';

/**
 * The definition of a question: what an author writes and a bank stores. The answer key lives
 * here too, which is why a definition is never sent to a learner; `presentQuestion` derives what
 * a learner may see.
 */

export const QUESTION_TYPES = ['mcq', 'multi', 'truefalse', 'short', 'numeric', 'cloze', 'matching', 'ordering', 'essay', 'card'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/**
 * A topic tag: a slug of one of the bank's own topics (the bank stores their names and order),
 * so a definition only checks its shape here; the bank checks that the topic is one of its own.
 */
export const TOPIC_SLUG = /^[a-z0-9][a-z0-9-]{0,39}$/;
export const topicSlug = z.string().regex(TOPIC_SLUG, 'a topic is 1-40 lowercase letters, digits or dashes');
export type Topic = string;

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

/** What a question asks of a learner: recall a fact, understand an argument, or apply it to a case. */
export const LEVELS = ['recall', 'understand', 'apply'] as const;
export type Level = (typeof LEVELS)[number];

const text = (max: number) => z.string().trim().min(1).max(max);
const choiceId = z.string().regex(/^[a-z0-9-]{1,20}$/, 'a choice id is 1-20 lowercase letters, digits or dashes');
/** Per-answer feedback: shown to a learner who gave that answer (GIFT's `#…`, Moodle's answer feedback). */
const answerFeedback = text(1000).optional();
/** Credit on a choice other than the answer, as a fraction of full marks (GIFT's `~%50%`; 1: also right). */
const choiceCredit = z.number().gt(0).max(1);
const choice = z.object({ id: choiceId, text: text(500), feedback: answerFeedback, credit: choiceCredit.optional() });
const acceptedAnswers = z.array(text(200)).min(1).max(20);

const uniqueIds = (choices: { id: string }[]) => new Set(choices.map((c) => c.id)).size === choices.length;

export const mcqBody = z
  .object({
    type: z.literal('mcq'),
    /** A wrong choice may carry partial `credit`; the answer is always full marks. */
    choices: z.array(choice).min(2).max(10),
    answer: choiceId,
  })
  .refine((q) => uniqueIds(q.choices), { message: 'choice ids must be unique', path: ['choices'] })
  .refine((q) => q.choices.some((c) => c.id === q.answer), {
    message: 'the answer must be one of the choices',
    path: ['answer'],
  })
  .refine((q) => !q.choices.some((c) => c.id === q.answer && c.credit !== undefined), {
    message: 'the answer earns full marks: partial credit belongs on another choice',
    path: ['choices'],
  });

export const multiBody = z
  .object({
    type: z.literal('multi'),
    choices: z.array(choice).min(3).max(10),
    answers: z.array(choiceId).min(1),
  })
  .refine((q) => uniqueIds(q.choices), { message: 'choice ids must be unique', path: ['choices'] })
  .refine((q) => !q.choices.some((c) => c.credit !== undefined), {
    message: 'several-answer choices are graded +1/k and -1/k: no partial credit on a choice',
    path: ['choices'],
  })
  .refine((q) => q.answers.every((a) => q.choices.some((c) => c.id === a)), {
    message: 'every answer must be one of the choices',
    path: ['answers'],
  })
  .refine((q) => new Set(q.answers).size === q.answers.length && q.answers.length < q.choices.length, {
    message: 'answers must be distinct and leave at least one wrong choice',
    path: ['answers'],
  });

/** `feedbackTrue` is shown to a learner who answered True, `feedbackFalse` to one who answered False. */
export const trueFalseBody = z.object({
  type: z.literal('truefalse'),
  answer: z.boolean(),
  feedbackTrue: answerFeedback,
  feedbackFalse: answerFeedback,
});

/** An answer worth less than full marks (0: a known wrong answer), with what to tell a learner who gave it. */
const partialAnswer = z.object({ answer: text(200), credit: z.number().min(0).lt(1), feedback: answerFeedback });

/**
 * `answers` earn full marks; `partial` answers a fraction of them. `feedback` holds what to tell a
 * learner whose answer matched a full-marks answer, `otherwise` one whose answer matched none.
 */
export const shortBody = z
  .object({
    type: z.literal('short'),
    answers: acceptedAnswers,
    partial: z.array(partialAnswer).max(20).optional(),
    feedback: z
      .array(z.object({ answer: text(200), text: text(1000) }))
      .max(20)
      .optional(),
    otherwise: answerFeedback,
  })
  .refine((q) => (q.feedback ?? []).every((f) => q.answers.includes(f.answer)), {
    message: 'feedback is given for one of the accepted answers',
    path: ['feedback'],
  });

/** A further accepted range of a numeric question (GIFT's several numeric answers). */
const numericAlternative = z.object({
  answer: z.number().finite(),
  tolerance: z.number().finite().min(0),
  credit: z.number().min(0).max(1),
  feedback: answerFeedback,
});

/**
 * `answer ± tolerance` earns full marks (`feedback` tells why); `alternatives` are further ranges,
 * each with its credit; `otherwise` is what a learner outside every range is told.
 */
export const numericBody = z.object({
  type: z.literal('numeric'),
  answer: z.number().finite(),
  tolerance: z.number().finite().min(0).default(0),
  unit: z.string().trim().max(30).optional(),
  feedback: answerFeedback,
  alternatives: z.array(numericAlternative).max(20).optional(),
  otherwise: answerFeedback,
});

/** Cloze text marks its blanks as {{1}}, {{2}}, … numbered in order; `blanks[i]` is blank i+1. */
export const clozeBody = z
  .object({
    type: z.literal('cloze'),
    text: text(2000),
    blanks: z
      .array(z.object({ answers: acceptedAnswers }))
      .min(1)
      .max(10),
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
    pairs: z
      .array(z.object({ left: text(300), right: text(300) }))
      .min(2)
      .max(10),
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

/** The longest essay a learner may write (characters): a few thousand words. */
export const MAX_ESSAY_LENGTH = 20_000;

/**
 * An essay, marked by hand: `maxMark` is what the grader marks it out of; `wordLimit` (optional)
 * is enforced when the answer is saved; `rubric` guides the grader and `modelAnswer` is what the
 * review shows as the answer once it allows answers (both optional, as Moodle's grader information).
 */
export const essayBody = z.object({
  type: z.literal('essay'),
  maxMark: z.number().int().min(1).max(100).default(10),
  wordLimit: z.number().int().min(1).max(3000).optional(),
  rubric: text(4000).optional(),
  modelAnswer: text(4000).optional(),
});

/**
 * A front/back card (Anki's basic card, a Quizlet term): the prompt is the front, `back` what the
 * learner recalls. Self-rated: in flashcards and practice the learner says whether they knew it;
 * a graded quiz never draws one (nothing a learner types could be marked against the back).
 */
export const cardBody = z.object({ type: z.literal('card'), back: text(2000) });

export const questionBody = z.discriminatedUnion('type', [
  mcqBody,
  multiBody,
  trueFalseBody,
  shortBody,
  numericBody,
  clozeBody,
  matchingBody,
  orderingBody,
  essayBody,
  cardBody,
]);
/** The question types a learner's answer is marked by hand (no key to grade it against). */
export const HAND_MARKED_TYPES: readonly QuestionType[] = ['essay'];
/** Whether a question is marked by hand rather than graded from its key. */
export const isHandMarked = (def: { type: string }): boolean => def.type === 'essay';
export type QuestionBody = z.infer<typeof questionBody>;

/**
 * A passage id as server/sources makes them: the section's slug (words and digits joined by
 * dashes, as an uploaded document's heading slugs: "dams-and-fisheries") and the position.
 */
export const PASSAGE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*-\d+$/;

/** Where a question's answer is found: a passage of the source and the verbatim span that says so. */
export const sourceRef = z.object({
  /** Which of the bank's sources; absent: the bank's first source (a bank of one source never says). */
  sourceId: z.string().min(1).max(100).optional(),
  passageId: z.string().max(120).regex(PASSAGE_ID, 'a passage id looks like "background-3"'),
  quote: text(1000),
});
export type SourceRef = z.infer<typeof sourceRef>;

const questionMeta = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'an id is lowercase letters, digits and dashes'),
  prompt: text(2000),
  topics: z.array(topicSlug).min(1).max(5),
  difficulty: z.enum(DIFFICULTIES),
  /** Optional: untagged questions count as untagged in the quality report. */
  level: z.enum(LEVELS).optional(),
  source: sourceRef,
  explanation: text(2000),
});

/** A whole question: its metadata and one type-specific body. */
export const questionDefinition = z.intersection(questionMeta, questionBody);
export type QuestionDefinition = z.infer<typeof questionDefinition>;

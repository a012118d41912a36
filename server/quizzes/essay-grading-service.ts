import { Attempt, type AttemptDoc, type HandMark, type SlotDoc } from './model.ts';
import { usersByIds, type Caller } from '../accounts/index.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import { isHandMarked, isBlankResponse, wordCount, type QuestionDefinition } from '../questions/index.ts';
import { getOwnQuiz, finalizeExpired } from './service.ts';
import { awaitsMark, markAttempt } from './attempt-marks.ts';
import { isObjectId, toObjectId as oid } from '../object-ids.ts';

// Marking essays by hand: the quiz's owner marks one question across all its students' submitted
// attempts at a time; an attempt "needs grading" until each of its answered essays has a mark.

/** An essay question of a quiz, with how many of its answers are marked. */
export interface EssayQuestionSummary {
  questionId: string;
  key: string;
  prompt: string;
  maxMark: number;
  answers: number;
  marked: number;
}

/** One student's answer to the essay being marked. */
export interface EssayAnswer {
  attemptId: string;
  studentName: string;
  number: number;
  text: string;
  words: number;
  mark: number | null;
  maxMark: number;
  comment: string;
}

/** The grading screen of one essay question. */
export interface EssayGradingView {
  quizId: string;
  quizTitle: string;
  question: { id: string; key: string; prompt: string; maxMark: number; wordLimit: number | null; rubric: string | null; modelAnswer: string | null };
  answers: EssayAnswer[];
}

const ESSAY_SLOTS = { 'slots.definition.type': 'essay' };
const essaySlot = (a: AttemptDoc, questionId: string): { slot: SlotDoc; index: number } | null => {
  const index = a.slots.findIndex((s) => String(s.questionId) === questionId && isHandMarked(s.definition));
  return index < 0 ? null : { slot: a.slots[index]!, index };
};
const answered = (s: SlotDoc) => s.response !== null && !isBlankResponse(s.response);

async function submittedWithEssays(quizId: string): Promise<AttemptDoc[]> {
  return Attempt.find({ quizId: oid(quizId), status: 'submitted', ...ESSAY_SLOTS })
    .sort({ number: 1 })
    .lean<AttemptDoc[]>();
}

/** The essay questions of the caller's quiz that students answered, with how many are marked (404 for anyone but the owner). */
export async function essayQuestions(caller: Caller, quizId: string, now: Date): Promise<{ quizTitle: string; questions: EssayQuestionSummary[] }> {
  const quiz = await getOwnQuiz(caller, quizId);
  await finalizeExpired({ quizId: oid(quiz.id) }, now);
  const byQuestion = new Map<string, EssayQuestionSummary>();
  for (const a of await submittedWithEssays(quiz.id)) {
    for (const s of a.slots) {
      if (!isHandMarked(s.definition) || !answered(s)) continue;
      const id = String(s.questionId);
      const row = byQuestion.get(id) ?? { questionId: id, key: s.key, prompt: s.definition.prompt, maxMark: maxMarkOf(s.definition), answers: 0, marked: 0 };
      row.answers += 1;
      if (s.handMark) row.marked += 1;
      byQuestion.set(id, row);
    }
  }
  return { quizTitle: quiz.title, questions: [...byQuestion.values()].sort((x, y) => x.key.localeCompare(y.key)) };
}

const maxMarkOf = (def: QuestionDefinition) => (def.type === 'essay' ? def.maxMark : 1);

/** Every answer to one essay question of the caller's quiz, unmarked first, then by student. */
export async function essayGrading(caller: Caller, quizId: string, questionId: string, now: Date): Promise<EssayGradingView> {
  const quiz = await getOwnQuiz(caller, quizId);
  await finalizeExpired({ quizId: oid(quiz.id) }, now);
  const found = (isObjectId(questionId) ? await submittedWithEssays(quiz.id) : []).flatMap((a) => {
    const hit = essaySlot(a, questionId);
    return hit && answered(hit.slot) ? [{ a, ...hit }] : [];
  });
  if (!found.length) throw new NotFoundError('No student has answered that essay in this quiz.');
  const names = await usersByIds(found.map((f) => String(f.a.userId)));
  // The latest version any attempt holds (a regrade moves them all to it) describes the question.
  const def = found.map((f) => f.slot).sort((x, y) => y.version - x.version)[0]!.definition;
  const answers = found
    .map(({ a, slot }) => ({
      attemptId: String(a._id),
      studentName: names.get(String(a.userId))?.name ?? 'A former student',
      number: a.number,
      text: slot.response?.type === 'essay' ? slot.response.text : '',
      words: slot.response?.type === 'essay' ? wordCount(slot.response.text) : 0,
      mark: slot.handMark?.mark ?? null,
      maxMark: maxMarkOf(slot.definition),
      comment: slot.handMark?.comment ?? '',
    }))
    .sort((x, y) => Number(x.mark !== null) - Number(y.mark !== null) || x.studentName.localeCompare(y.studentName) || x.number - y.number);
  return {
    quizId: quiz.id,
    quizTitle: quiz.title,
    question: {
      id: questionId,
      key: found[0]!.slot.key,
      prompt: def.prompt,
      maxMark: maxMarkOf(def),
      wordLimit: def.type === 'essay' ? (def.wordLimit ?? null) : null,
      rubric: def.type === 'essay' ? (def.rubric ?? null) : null,
      modelAnswer: def.type === 'essay' ? (def.modelAnswer ?? null) : null,
    },
    answers,
  };
}

/** A mark the grader entered: blank leaves the answer as it is. */
export interface EssayMarkInput {
  attemptId: string;
  mark: string;
  comment: string;
}

const MAX_COMMENT = 4000;
const ROUNDS = 5;

/**
 * Saves the marks and comments entered for one essay question. Each mark is checked (a number
 * from 0 to the question's mark, half marks allowed) before anything is written; a bad one
 * refuses them all with a message per field (nothing saved). Each attempt is one guarded write
 * (its `revision` as read, bumped), which sets its score once its last essay is marked.
 */
export async function saveEssayMarks(
  caller: Caller,
  quizId: string,
  questionId: string,
  inputs: readonly EssayMarkInput[],
  now: Date,
): Promise<{ saved: number; stillToMark: number }> {
  const view = await essayGrading(caller, quizId, questionId, now);
  const known = new Map(view.answers.map((a) => [a.attemptId, a]));
  const errors: Record<string, string> = {};
  const wanted: { attemptId: string; mark: number; comment: string }[] = [];
  for (const input of inputs) {
    const answer = known.get(input.attemptId);
    if (!answer) throw new NotFoundError('One of those answers is not an answer to this essay.');
    const text = input.mark.trim();
    const comment = input.comment.trim();
    if (comment.length > MAX_COMMENT) errors[`comment_${input.attemptId}`] = `A comment is at most ${MAX_COMMENT} characters.`;
    if (text === '') {
      if (comment && answer.mark === null) errors[`mark_${input.attemptId}`] = 'Give a mark with the comment.';
      continue;
    }
    const mark = /^\d+(?:[.,]5)?$|^\d+(?:[.,]0)?$/.test(text) ? Number(text.replace(',', '.')) : Number.NaN;
    if (!(mark >= 0 && mark <= answer.maxMark)) {
      errors[`mark_${input.attemptId}`] = `A mark is a number from 0 to ${answer.maxMark} (halves allowed).`;
      continue;
    }
    if (mark !== answer.mark || comment !== answer.comment) wanted.push({ attemptId: input.attemptId, mark, comment });
  }
  if (Object.keys(errors).length) throw new ValidationError('Some marks could not be saved: see the messages below. Nothing was saved.', errors);
  for (const w of wanted) await writeMark(w, questionId, caller, now);
  const after = await essayGrading(caller, quizId, questionId, now);
  return { saved: wanted.length, stillToMark: after.answers.filter((a) => a.mark === null).length };
}

/** Marks one attempt's essay: one write guarded by the attempt's revision, retried if it changed meanwhile. */
async function writeMark(w: { attemptId: string; mark: number; comment: string }, questionId: string, caller: Caller, now: Date): Promise<void> {
  for (let round = 0; round < ROUNDS; round++) {
    const a = await Attempt.findOne({ _id: oid(w.attemptId), status: 'submitted' }).lean<AttemptDoc>();
    const hit = a ? essaySlot(a, questionId) : null;
    if (!a || !hit) throw new NotFoundError('That attempt no longer holds this essay.');
    const handMark: HandMark = { mark: w.mark, maxMark: maxMarkOf(hit.slot.definition), comment: w.comment, by: oid(caller.id), at: now };
    const slots = a.slots.map((s, i) => (i === hit.index ? { ...s, handMark } : s));
    const { marks, score, needsGrading } = markAttempt(slots);
    const res = await Attempt.collection.updateOne(
      { _id: a._id, status: 'submitted', revision: a.revision ?? null },
      {
        $set: { [`slots.${hit.index}.handMark`]: handMark, [`slots.${hit.index}.score`]: marks[hit.index], marks, score, needsGrading },
        $inc: { revision: 1 },
      },
    );
    if (res.matchedCount === 1) return;
  }
  throw new ConflictError('That attempt kept changing while it was being marked. Please save again.');
}

/** How many answered essays of a quiz's submitted attempts still wait for a mark (the owner's results page). */
export async function essaysToMark(quizId: string): Promise<number> {
  const rows = await Attempt.find(
    { quizId: oid(quizId), status: 'submitted', needsGrading: true },
    { 'slots.definition.type': 1, 'slots.response': 1, 'slots.handMark': 1 },
  ).lean<AttemptDoc[]>();
  return rows.reduce((n, a) => n + a.slots.filter((s) => awaitsMark(s)).length, 0);
}

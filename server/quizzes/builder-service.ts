import { Quiz, type QuizDoc } from './model.ts';
import { bankTopicsOf, buildableBanks, findQuestions, mergeTopicLists, questionsByIds, quizStudentsMayPractise, type StoredQuestion } from '../banks/index.ts';
import type { Caller } from '../accounts/index.ts';
import { classesTaughtBy, teachesAll } from '../classes/index.ts';
import { ValidationError } from '../http/errors.ts';
import { ruleShortfalls } from './draw-questions.ts';
import { hidesAnswerKeys } from './review-policy.ts';
import { quizFormRules, type QuizInput } from './schemas.ts';
import { quizSettings } from './settings.ts';
import { isObjectId, toObjectId as oid } from '../object-ids.ts';
import type { QuestionType } from '../questions/definition.ts';
import { getOwnQuiz, poolOf, viewOf, type QuizView } from './service.ts';

/* Building quizzes: the builder's data, checking a quiz's input, creating and updating it, and the owner's lists. */

/** What the builder page lists: banks, the questions of the chosen banks (filtered by topic, text and type), the caller's classes. */
export async function builderData(
  caller: Caller,
  chosenBankIds: readonly string[],
  filter: { topics: readonly string[]; q?: string; type?: QuestionType | '' } = { topics: [] },
) {
  const { topics } = filter;
  // Every word must appear in the key or the prompt, as the page's own filter does it.
  const words = (filter.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const banks = await buildableBanks(caller);
  const allowed = new Set(banks.map((b) => String(b._id)));
  let bankIds = chosenBankIds.filter((id) => allowed.has(id));
  // Nothing chosen yet: list a bank shipped with Lectern (no owner), else the first bank.
  if (bankIds.length === 0) bankIds = [...banks.filter((b) => b.ownerId === null), ...banks].map((b) => String(b._id)).slice(0, 1);
  const questions: (StoredQuestion & { bankTitle: string })[] = [];
  for (const id of bankIds) {
    const title = banks.find((b) => String(b._id) === id)?.title ?? '';
    const qs = await findQuestions(id, { ...(topics.length ? { topics } : {}), ...(filter.type ? { types: [filter.type] } : {}) });
    const shown = words.length ? qs.filter((q) => words.every((w) => `${q.key} ${q.definition.prompt}`.toLowerCase().includes(w))) : qs;
    // Self-rated cards are for flashcards and practice, never a graded quiz.
    questions.push(...shown.filter((q) => q.definition.type !== 'card').map((q) => ({ ...q, bankTitle: title })));
  }
  const classes = await classesTaughtBy(caller.id);
  return {
    banks: banks.map((b) => ({ id: String(b._id), title: b.title, slug: b.slug })),
    bankIds,
    // The topics the filter and the rules offer: those of the chosen banks, in their order.
    topics: mergeTopicLists(banks.filter((b) => bankIds.includes(String(b._id))).map(bankTopicsOf)),
    questions: questions.map((q) => ({
      id: q.id,
      key: q.key,
      bankTitle: q.bankTitle,
      type: q.definition.type,
      topics: q.definition.topics,
      prompt: q.definition.prompt,
    })),
    classes,
  };
}

/** Checks a builder form against the database: banks, questions, rules and classes must be the caller's to use. */
async function checkQuizInput(caller: Caller, input: QuizInput): Promise<void> {
  const errors = await quizInputErrors(caller, input);
  if (Object.keys(errors).length) throw new ValidationError('Please correct the fields marked below.', errors);
}

/** Every rule a parsed builder form breaks, across fields and against the database (field → message). */
export async function quizInputErrors(caller: Caller, input: QuizInput): Promise<Record<string, string>> {
  const errors = quizFormRules(input);
  const banks = await buildableBanks(caller);
  const allowed = new Set(banks.map((b) => String(b._id)));
  if (input.bankIds.some((id) => !allowed.has(id))) errors.bankIds = 'Choose only banks you can use.';
  if (!errors.bankIds) {
    if (input.mode === 'pick' && input.questionIds.length) {
      const found = await questionsByIds(input.questionIds);
      const ok = input.questionIds.every((id) => found.has(id) && input.bankIds.includes(found.get(id)!.bankId));
      if (!ok) errors.questionIds = 'Tick only questions from the chosen banks.';
    }
    if (input.mode === 'rules' && input.rules.length) {
      const pool = await poolOf(input.bankIds);
      const short = ruleShortfalls(input.rules, pool);
      short.forEach((n, i) => {
        if (n > 0) errors[`rule${i}_count`] ??= `The chosen banks have ${n} question${n === 1 ? '' : 's'} too few for this rule (with the rules above it).`;
      });
    }
  }
  if (input.classIds.length) {
    if (!(await teachesAll(caller, input.classIds))) errors.classIds = 'Assign the quiz only to classes you teach.';
  }
  // The answer-key rule: keys a review hides must not be one practice page away.
  if (hidesAnswerKeys(input.settings.reviewOptions)) {
    const chosen = banks.filter((b) => input.bankIds.includes(String(b._id)));
    const open = (await Promise.all(chosen.map(async (b) => ((await quizStudentsMayPractise(b, input.classIds)) ? b : null)))).filter((b) => b !== null);
    if (open.length) {
      errors.reviewShows = `Students may practise ${open.map((b) => `"${b.title}"`).join(', ')}, where its answers are shown: let the review show answers, or draw from a bank they cannot practise.`;
    }
  }
  return errors;
}

function quizFields(input: QuizInput) {
  return {
    title: input.title,
    bankIds: input.bankIds.map(oid),
    selection: { mode: input.mode, questionIds: input.mode === 'pick' ? input.questionIds.map(oid) : [], rules: input.mode === 'rules' ? input.rules : [] },
    settings: input.settings,
    classIds: input.classIds.map(oid),
  };
}

/** Creates a quiz owned by the caller. */
export async function createQuiz(caller: Caller, input: QuizInput): Promise<QuizView> {
  await checkQuizInput(caller, input);
  const doc = await Quiz.create({ ...quizFields(input), ownerId: oid(caller.id) });
  return viewOf(doc.toObject());
}

/** Changes a quiz the caller owns; attempts already started keep their frozen questions. */
export async function updateQuiz(caller: Caller, quizId: string, input: QuizInput): Promise<QuizView> {
  await getOwnQuiz(caller, quizId);
  await checkQuizInput(caller, input);
  await Quiz.updateOne({ _id: oid(quizId) }, { $set: quizFields(input) });
  return getOwnQuiz(caller, quizId);
}

/** The quizzes the caller owns, newest first. */
export async function listOwnQuizzes(caller: Caller): Promise<QuizView[]> {
  const qs = await Quiz.find({ ownerId: oid(caller.id) })
    .sort({ createdAt: -1 })
    .lean<QuizDoc[]>();
  return qs.map(viewOf);
}

/** The quizzes assigned to a class (titles and ids). */
export async function quizzesForClass(classId: string): Promise<{ id: string; title: string }[]> {
  if (!isObjectId(classId)) return [];
  const qs = await Quiz.find({ classIds: oid(classId), archivedAt: null })
    .sort({ title: 1 })
    .lean<QuizDoc[]>();
  return qs.map((q) => ({ id: String(q._id), title: q.title }));
}

/**
 * Quizzes that hide answer keys, draw from a bank, and have a student who could practise it if
 * it were shared with these classes (the answer-key rule, asked of each quiz).
 */
export async function keyHidingQuizzes(bankId: string, classIds: readonly string[]): Promise<{ id: string; title: string }[]> {
  if (!isObjectId(bankId) || !classIds.length) return [];
  const qs = await Quiz.find({ bankIds: oid(bankId) })
    .sort({ title: 1 })
    .lean<QuizDoc[]>();
  const asIfShared = { ownerId: oid(bankId), sharedWithClassIds: classIds.filter(isObjectId).map(oid) };
  const clashes = [];
  for (const q of qs) {
    if (!hidesAnswerKeys(quizSettings(q).reviewOptions)) continue;
    if (await quizStudentsMayPractise(asIfShared, (q.classIds ?? []).map(String))) clashes.push({ id: String(q._id), title: q.title });
  }
  return clashes;
}

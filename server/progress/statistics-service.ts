import type { Caller } from '../accounts/index.ts';
import { questionsForStatistics, sourceOfBanks } from '../banks/index.ts';
import { canManageQuiz, firstAttemptResponses, firstAttemptsAwaitingMarks, quizOutline, type QuizOutline } from '../quizzes/index.ts';
import { findSource } from '../sources/index.ts';
import type { QuestionDefinition, QuestionResponse } from '../questions/index.ts';
import { cronbachAlpha, itemMatrix, scoreSummary, type ScoreSummary } from './score-summary.ts';
import { responseDistribution, type ResponseDistribution } from './response-distribution.ts';
import { NotFoundError } from '../http/errors.ts';
import { excerptOf } from './paper-map.ts';
import { itemStatistics, WEAK_DISCRIMINATION, type ItemStatistics } from './item-statistics.ts';
import { isObjectId } from '../object-ids.ts';

// ---------------------------------------------------------------- instructors: item statistics

export interface ItemRow extends ItemStatistics {
  number: number;
  key: string;
  prompt: string;
  facilityPct: number | null;
  discriminationPct: number | null;
  sourceId: string;
  passageId: string;
  quote: string;
  passageExcerpt: string;
}

export interface QuizStatistics {
  quizId: string;
  title: string;
  firstAttempts: number;
  /** First attempts left out until their essays are marked. */
  awaitingMarks: number;
  items: Array<ItemRow & { distribution: ResponseDistribution | null }>;
  weakThreshold: number;
  scores: ScoreSummary;
  /** Cronbach's alpha over the first attempts that hold every question; null when undefined. */
  alpha: number | null;
  alphaAttempts: number;
}

/** A quiz the caller owns (admins: any); 404 for anyone else, its existence not revealed. */
async function ownQuiz(caller: Caller, quizId: string): Promise<QuizOutline> {
  const quiz = isObjectId(quizId) ? await quizOutline(quizId) : null;
  if (!quiz || !canManageQuiz(caller, quiz)) throw new NotFoundError('We could not find that quiz.');
  return quiz;
}

/** Facility and discrimination of each question of a quiz, from first attempts only (as Moodle). */
export async function quizStatistics(caller: Caller, quizId: string): Promise<QuizStatistics> {
  const quiz = await ownQuiz(caller, quizId);
  const [answered, awaitingMarks] = await Promise.all([firstAttemptResponses(String(quiz._id)), firstAttemptsAwaitingMarks(String(quiz._id))]);
  const firsts = answered.attempts;
  const perAttempt = firsts.map((a) => (a.slots ?? []).map((s, i) => ({ questionId: String(s.questionId), mark: a.marks?.[i] ?? 0, maxMark: 1 })));
  const stats = itemStatistics(perAttempt);
  const scores = scoreSummary(perAttempt.map((items) => (items.length ? items.reduce((t, it) => t + it.mark, 0) / items.length : 0)));
  const matrix = itemMatrix(perAttempt);
  // Each question's answers, judged against the version each attempt saw (its latest version's choices are listed).
  const answersOf = new Map<string, { definition: QuestionDefinition; answers: { response: QuestionResponse | null; score: number }[] }>();
  for (const a of answered.attempts) {
    for (const slot of a.slots ?? []) {
      const id = String(slot.questionId);
      const definition = answered.definitions.get(id);
      if (!definition) continue;
      const entry = answersOf.get(id) ?? { definition, answers: [] };
      entry.answers.push({ response: slot.response ?? null, score: slot.score ?? 0 });
      answersOf.set(id, entry);
    }
  }
  const questions = await questionsForStatistics(stats.map((s) => s.questionId));
  const qById = new Map(questions.map((q) => [String(q._id), q]));
  const sourceOfBank = await sourceOfBanks(questions.map((q) => String(q.bankId)));
  const passages = new Map<string, Map<string, string>>();
  // Each question's own source: its `sourceId`, else its bank's first source.
  const sourceOfQuestion = (q: (typeof questions)[number]) => q.sourceId ?? sourceOfBank.get(String(q.bankId)) ?? '';
  for (const sourceId of new Set(questions.map(sourceOfQuestion))) {
    const source = await findSource(sourceId);
    passages.set(sourceId, new Map((source?.passages ?? []).map((p) => [p.id, p.text])));
  }
  // The quiz's own order for hand-picked quizzes; by key for drawn ones.
  const picked = (quiz.selection?.questionIds ?? []).map(String);
  const order = (id: string) => (picked.includes(id) ? picked.indexOf(id) : picked.length);
  const items = stats
    .map((s) => {
      const q = qById.get(s.questionId);
      const def = q?.definition;
      const sourceId = q ? sourceOfQuestion(q) : '';
      const passageId = def?.source.passageId ?? q?.passageId ?? '';
      return {
        ...s,
        number: 0,
        key: q?.key ?? '',
        prompt: def?.prompt ?? 'A question that has since been deleted',
        facilityPct: s.facility === null ? null : Math.round(s.facility),
        discriminationPct: s.discrimination === null ? null : Math.round(s.discrimination),
        sourceId,
        passageId,
        quote: def?.source.quote ?? '',
        passageExcerpt: excerptOf(passages.get(sourceId)?.get(passageId) ?? '', 160),
        distribution: answersOf.has(s.questionId) ? responseDistribution(answersOf.get(s.questionId)!.definition, answersOf.get(s.questionId)!.answers) : null,
      };
    })
    .sort((a, b) => order(a.questionId) - order(b.questionId) || a.key.localeCompare(b.key));
  items.forEach((it, i) => (it.number = i + 1));
  return {
    quizId: String(quiz._id),
    title: quiz.title,
    firstAttempts: firsts.length,
    awaitingMarks,
    items,
    weakThreshold: WEAK_DISCRIMINATION,
    scores,
    alpha: cronbachAlpha(matrix),
    alphaAttempts: matrix.length,
  };
}

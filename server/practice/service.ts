import type { Caller } from '../accounts/roles.ts';
import { NotFoundError, ValidationError } from '../http/errors.ts';
import { questionSourceId, topicLabels, topicsProblem } from '../banks/index.ts';
import { findQuestions, getStudyableBank, listBanks, questionsByIds, type BankRef, type StoredQuestion } from '../banks/service.ts';
import {
  answerKeyText,
  gradeResponse,
  parseResponse,
  presentationOrder,
  presentInOrder,
  presentQuestion,
  type GradeResult,
  type PresentationOrder,
  type PresentedQuestion,
  type QuestionResponse,
} from '../questions/index.ts';
import { PracticeSession, type PracticeMode, type PracticeSessionDoc } from './model.ts';
import { pastResponses, recordResponse } from '../responses/index.ts';
import { missedQuestionIds, pickQuestions, weakestTopics, type PastAnswer } from './pick-questions.ts';
import { topicSummary, type TopicSummaryRow } from './topic-summary.ts';
import { sourceEvidence, type SourceEvidence } from './source-evidence.ts';
import { MAX_PRACTICE_LENGTH, type StartPracticeInput } from './schemas.ts';
import { checkAnswerQuota, checkSessionQuota, type PracticeQuota } from './quota.ts';
import { isObjectId, toObjectId as oid } from '../object-ids.ts';

/** "Weakest topics" needs this many answers in a topic before it judges it. */
export const WEAKEST_MIN_ANSWERS = 3;
/** How many of the weakest topics a "weakest topics" session draws from. */
export const WEAKEST_TOPIC_COUNT = 2;

async function loadSession(caller: Caller, sessionId: string): Promise<PracticeSessionDoc> {
  // Another learner's session is "not found", never "forbidden": its existence is not theirs to know.
  const session = isObjectId(sessionId) ? await PracticeSession.findOne({ _id: oid(sessionId), userId: oid(caller.id) }).lean<PracticeSessionDoc>() : null;
  if (!session) throw new NotFoundError('We could not find that practice session.');
  return session;
}

/** The learner's past practice answers in a bank, oldest first. */
function pastAnswers(caller: Caller, bankId: string): Promise<PastAnswer[]> {
  return pastResponses(caller.id, bankId, 'practice');
}

async function createSession(
  caller: Caller,
  bankId: string,
  mode: PracticeMode,
  settings: { topics: string[]; types: string[]; length: number },
  questions: StoredQuestion[],
  now: Date,
  rng: () => number,
): Promise<string> {
  const presentations: PresentationOrder[] = questions.map((q) => presentationOrder(presentQuestion(q.definition, rng)));
  const session = await PracticeSession.create({
    userId: oid(caller.id),
    bankId: oid(bankId),
    mode,
    settings,
    questionIds: questions.map((q) => oid(q.id)),
    presentations,
    position: 0,
    answers: [],
    startedAt: now,
  });
  return String(session._id);
}

/** The set-up page: the banks the learner may practise, and their recent sessions. */
export async function practiceHome(caller: Caller) {
  const banks = await listBanks(caller);
  const recent = await PracticeSession.find({ userId: oid(caller.id) }, { answers: 1, questionIds: 1, startedAt: 1, finishedAt: 1, mode: 1, bankId: 1 })
    .sort({ startedAt: -1 })
    .limit(5)
    .lean<PracticeSessionDoc[]>();
  const titles = new Map(banks.map((b) => [b.id, b.title]));
  return {
    banks,
    recent: recent.map((s) => ({
      id: String(s._id),
      bankTitle: titles.get(String(s.bankId)) ?? 'A question bank',
      mode: s.mode,
      startedAt: s.startedAt,
      finished: Boolean(s.finishedAt),
      answered: s.answers.length,
      total: s.questionIds.length,
      correct: s.answers.filter((a) => a.correct).length,
    })),
  };
}

/**
 * Starts a practice session and returns its id. 'new' draws `length` random questions matching
 * the topics and types; 'retry' takes every question whose latest practice answer scored below 1
 * (at most `length` of them; topics and types do not apply); 'weakest' draws from the lowest-scoring topics.
 */
export async function startPractice(caller: Caller, input: StartPracticeInput, now: Date, rng: () => number, quota: PracticeQuota): Promise<string> {
  const bank = await getStudyableBank(caller, input.bankId);
  await checkSessionQuota(caller.id, quota, now);
  if (topicsProblem(input.topics, bank.topics))
    throw new ValidationError('Please correct the choices marked below.', { topics: 'Choose topics from the list.' });
  if (input.sourceId && !bank.sourceIds.includes(input.sourceId))
    throw new ValidationError('That source is not one of this bank’s.', { passageId: 'Not a passage of this bank’s sources.' });
  const filter = {
    topics: input.topics,
    types: input.types,
    selfMarkedOnly: true,
    passageIds: input.passageId ? [input.passageId] : undefined,
    ...(input.passageId ? { sourceId: input.sourceId ?? bank.sourceId } : {}),
  };
  if (input.mode === 'retry') {
    const missed = missedQuestionIds(await pastAnswers(caller, bank.id)).slice(0, MAX_PRACTICE_LENGTH * 2);
    const live = await findQuestions(bank.id, { ids: missed, selfMarkedOnly: true });
    if (live.length === 0) {
      throw new ValidationError('You have no missed questions to retry in this bank. Practise some questions first.', { mode: 'Nothing to retry yet.' });
    }
    // The chosen length still applies: a few of the misses, drawn at random, when there are more.
    const ordered = pickQuestions(
      live.map((q) => q.id),
      Math.min(input.length, live.length),
      rng,
    );
    const byId = new Map(live.map((q) => [q.id, q]));
    return createSession(
      caller,
      bank.id,
      'retry',
      { topics: [], types: [], length: ordered.length },
      ordered.map((id) => byId.get(id)!),
      now,
      rng,
    );
  }
  if (input.mode === 'weakest') {
    const weak = weakestTopics(await pastAnswers(caller, bank.id), { minAnswers: WEAKEST_MIN_ANSWERS, count: WEAKEST_TOPIC_COUNT });
    if (weak.length === 0) {
      throw new ValidationError(
        `We need at least ${WEAKEST_MIN_ANSWERS} answers in a topic, not all correct, to find your weakest topics. Practise a little more first.`,
        { mode: 'Not enough answers yet.' },
      );
    }
    const topics = weak.map((t) => t.topic);
    const candidates = await findQuestions(bank.id, { topics, types: input.types, selfMarkedOnly: true });
    return startWith(caller, bank, 'weakest', { topics, types: input.types, length: input.length }, candidates, now, rng);
  }
  const candidates = await findQuestions(bank.id, filter);
  return startWith(caller, bank, 'new', { topics: input.topics, types: input.types, length: input.length }, candidates, now, rng);
}

async function startWith(
  caller: Caller,
  bank: BankRef,
  mode: PracticeMode,
  settings: { topics: string[]; types: string[]; length: number },
  candidates: StoredQuestion[],
  now: Date,
  rng: () => number,
): Promise<string> {
  if (candidates.length === 0) {
    throw new ValidationError('No questions in this bank match those topics and types. Choose more of them.', { topics: 'No questions match.' });
  }
  const ids = pickQuestions(
    candidates.map((q) => q.id),
    settings.length,
    rng,
  );
  const byId = new Map(candidates.map((q) => [q.id, q]));
  return createSession(
    caller,
    bank.id,
    mode,
    { ...settings, length: ids.length },
    ids.map((id) => byId.get(id)!),
    now,
    rng,
  );
}

/** Starts a session of the questions missed in an earlier session of the learner's. */
export async function retrySessionMisses(caller: Caller, sessionId: string, now: Date, rng: () => number, quota: PracticeQuota): Promise<string> {
  const session = await loadSession(caller, sessionId);
  const bank = await getStudyableBank(caller, String(session.bankId));
  await checkSessionQuota(caller.id, quota, now);
  const missed = session.answers.filter((a) => a.score < 1).map((a) => String(a.questionId));
  const live = await findQuestions(String(session.bankId), { ids: missed, selfMarkedOnly: true });
  if (live.length === 0) throw new ValidationError('You missed nothing in that session: there is nothing to retry.');
  return startWith(caller, bank, 'misses', { topics: [], types: [], length: live.length }, live, now, rng);
}

/** What the question page shows: the question at the session's position, presented as frozen. */
export interface CurrentQuestion {
  sessionId: string;
  bankTitle: string;
  index: number;
  total: number;
  questionId: string;
  question: PresentedQuestion;
}

/** The next question of a session, or null when every question is answered. */
export async function currentQuestion(caller: Caller, sessionId: string): Promise<CurrentQuestion | null> {
  const session = await loadSession(caller, sessionId);
  if (session.finishedAt || session.position >= session.questionIds.length) return null;
  const index = session.position;
  const questionId = String(session.questionIds[index]);
  const question = (await questionsByIds([questionId])).get(questionId);
  if (!question) throw new NotFoundError('This question is no longer in the bank.');
  const bank = await getStudyableBank(caller, String(session.bankId));
  return {
    sessionId,
    bankTitle: bank.title,
    index,
    total: session.questionIds.length,
    questionId,
    question: presentInOrder(question.definition, session.presentations[index] ?? {}),
  };
}

/**
 * Records the answer to the question at `position` and returns the index to show feedback for.
 * A second submission of the same position (double click, second tab) records nothing and leads
 * to the feedback of the first. An unknown question, a position out of turn or a response that
 * does not fit the question (a forged choice) is a ValidationError.
 */
export async function answerQuestion(
  caller: Caller,
  sessionId: string,
  input: { position: number; questionId: string; body: unknown },
  now: Date,
  quota: PracticeQuota,
): Promise<{ index: number; recorded: boolean }> {
  const session = await loadSession(caller, sessionId);
  // The bank may have stopped being the learner's to practise (unshared, or they left the class).
  await getStudyableBank(caller, String(session.bankId));
  const expected = session.questionIds[input.position];
  if (!expected || String(expected) !== input.questionId) {
    throw new ValidationError('That question is not the one to answer at this point of the session. Go back to the session and try again.', {
      questionId: 'Unknown question for this position.',
    });
  }
  if (input.position < session.position) return { index: input.position, recorded: false };
  if (input.position > session.position) throw new ValidationError('Answer the questions in order.');
  await checkAnswerQuota(caller.id, quota, now);
  const question = (await questionsByIds([input.questionId])).get(input.questionId);
  if (!question) throw new ValidationError('This question is no longer in the bank.');
  const parsed = parseResponse(question.definition, input.body);
  if (!parsed.ok) throw new ValidationError(`We could not read that answer: ${parsed.error}.`, { response: parsed.error });
  const grade = gradeResponse(question.definition, parsed.response);
  const last = input.position + 1 >= session.questionIds.length;
  const result = await PracticeSession.updateOne(
    { _id: session._id, userId: oid(caller.id), position: input.position, finishedAt: null },
    {
      $push: { answers: { questionId: oid(input.questionId), response: parsed.response, score: grade.score, correct: grade.correct, answeredAt: now } },
      $set: { position: input.position + 1, ...(last ? { finishedAt: now } : {}) },
    },
  );
  if (result.modifiedCount === 0) return { index: input.position, recorded: false };
  await recordResponse({
    userId: caller.id,
    source: 'practice',
    sourceRef: String(session._id),
    bankId: String(session.bankId),
    question,
    score: grade.score,
    correct: grade.correct,
    answeredAt: now,
  });
  return { index: input.position, recorded: true };
}

/** The feedback page of one answered question. */
export interface AnswerFeedback {
  sessionId: string;
  index: number;
  total: number;
  finished: boolean;
  question: PresentedQuestion;
  response: QuestionResponse;
  result: GradeResult;
  keyText: string;
  explanation: string;
  evidence: SourceEvidence | null;
}

/** Feedback for the answer at `index`: the verdict, the learner's and the correct answer, why, and the passage. */
export async function answerFeedback(caller: Caller, sessionId: string, index: number): Promise<AnswerFeedback> {
  const session = await loadSession(caller, sessionId);
  const answer = session.answers[index];
  if (!answer) throw new NotFoundError('That question has not been answered yet.');
  const questionId = String(answer.questionId);
  const question = (await questionsByIds([questionId])).get(questionId);
  if (!question) throw new NotFoundError('This question is no longer in the bank.');
  const def = question.definition;
  const bank = await getStudyableBank(caller, String(session.bankId));
  const response = answer.response;
  const regraded = gradeResponse(def, response);
  return {
    sessionId,
    index,
    total: session.questionIds.length,
    finished: Boolean(session.finishedAt),
    question: presentInOrder(def, session.presentations[index] ?? {}),
    response,
    // The score recorded when answering stands, even if the question was edited since.
    result: { ...regraded, score: answer.score, correct: answer.correct },
    keyText: answerKeyText(def),
    explanation: def.explanation,
    evidence: await sourceEvidence(questionSourceId(def, bank), def),
  };
}

/** The end-of-session summary: totals, per topic, and the missed questions. */
export interface PracticeSummary {
  sessionId: string;
  bankId: string;
  bankTitle: string;
  finished: boolean;
  total: { answered: number; correct: number; score: number; missedIds: string[] };
  questionCount: number;
  rows: TopicSummaryRow[];
  missed: Array<{ index: number; prompt: string }>;
}

/** Summarises a session by topic, with links to the feedback of each missed question. */
export async function practiceSummary(caller: Caller, sessionId: string): Promise<PracticeSummary> {
  const session = await loadSession(caller, sessionId);
  const questions = await questionsByIds(session.answers.map((a) => String(a.questionId)));
  const answers = session.answers.map((a) => {
    const def = questions.get(String(a.questionId))?.definition;
    return { questionId: String(a.questionId), topics: def?.topics ?? [], score: a.score, prompt: def?.prompt ?? '(question removed)' };
  });
  const bank = await getStudyableBank(caller, String(session.bankId));
  const { rows, total } = topicSummary(answers, topicLabels(bank.topics));
  return {
    sessionId,
    bankId: bank.id,
    bankTitle: bank.title,
    finished: Boolean(session.finishedAt),
    total,
    questionCount: session.questionIds.length,
    rows,
    missed: answers.map((a, index) => ({ index, prompt: a.prompt, score: a.score })).filter((a) => a.score < 1),
  };
}

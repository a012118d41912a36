import mongoose from 'mongoose';
import { sharedRead } from '../db-batch.ts';
import type { Caller } from '../accounts/index.ts';
import { NotFoundError, ValidationError } from '../http/errors.ts';
import { isDuplicateKey } from '../mongo-errors.ts';
import {
  countLiveQuestions,
  getStudyableBank,
  listBanks,
  liveQuestionIds,
  questionSourceId,
  questionTopics,
  questionsByIds,
  questionsCollectionName,
  storedQuestion,
  type BankRef,
  type BankSummary,
  type QuestionDoc,
  type StoredQuestion,
} from '../banks/index.ts';
import {
  answerKeyText,
  gradeResponse,
  isBlankResponse,
  parseResponse,
  presentQuestion,
  type GradeResult,
  type PresentedQuestion,
  type QuestionDefinition,
  type QuestionResponse,
} from '../questions/index.ts';
import { recordResponse } from '../responses/index.ts';
import { sourceEvidence, type SourceEvidence } from '../practice/index.ts';
import { StudyCard, type StudyCardDoc } from './model.ts';
import { writeReviewLog } from './review-log.ts';
import {
  newCardState,
  previewRatings,
  scheduleReview,
  startOfStudyDay,
  stateName,
  studyCounts,
  countBucket,
  type CountBucket,
  type ScopeCardCounts,
  type RatingPreview,
  type StudyRating,
  cardStateOf,
} from './schedule.ts';
import type { StudyScope } from './schemas.ts';
import { fsrsSettings } from './parameters.ts';
import { isObjectId, toObjectId as oid } from '../object-ids.ts';

/** When nothing is due and no new card is left, a learning card due this soon is shown early (as Anki's learn-ahead limit). */
export const LEARN_AHEAD_MS = 20 * 60_000;
/** Types whose flashcard front offers an optional typed answer, checked on the back. */
export const TYPED_ANSWER_TYPES = ['short', 'cloze'] as const;
/** Field prefix of the typed answer carried from the back to the rating form. */
export const TYPED_PREFIX = 'typed_';

const hasTypedAnswer = (def: QuestionDefinition) => (TYPED_ANSWER_TYPES as readonly string[]).includes(def.type);

/** The cards the scheduler may show at `now`: not suspended, not buried until later. */
export function schedulable(now: Date): Record<string, unknown> {
  return { suspended: { $ne: true }, buriedUntil: { $not: { $gt: now } } };
}

function scopeFilter(caller: Caller, scope: StudyScope, now: Date): Record<string, unknown> {
  return { userId: oid(caller.id), bankId: oid(scope.bankId), ...(scope.topic ? { topics: scope.topic } : {}), ...schedulable(now) };
}

/** Cards due now across every bank: the count on the home page (one count on the `{ userId, due }` index). */
export async function dueCardCount(userId: string, now: Date): Promise<number> {
  return StudyCard.countDocuments({ userId: oid(userId), due: { $lte: now }, ...schedulable(now) });
}

async function introducedToday(caller: Caller, now: Date): Promise<number> {
  return StudyCard.countDocuments({ userId: oid(caller.id), introducedAt: { $gte: startOfStudyDay(now, caller) } });
}

/** Live questions of the scope without a card for this learner, in bank order (by key). */
async function unseenQuestionIds(caller: Caller, scope: StudyScope): Promise<mongoose.Types.ObjectId[]> {
  const questions = await liveQuestionIds(scope.bankId, scope.topic);
  const carded = new Set(
    (await StudyCard.find({ userId: oid(caller.id), bankId: oid(scope.bankId) }, { questionId: 1 }).lean()).map((c) => String(c.questionId)),
  );
  return questions.filter((id) => !carded.has(String(id)));
}

/** The counts a study page shows for a scope, as Anki's: new (today's still allowed), learning, review. */
export interface ScopeCounts {
  new: number;
  learning: number;
  review: number;
  introducedToday: number;
  limit: number;
}

type BucketRow = { _id: { state: number; now: boolean }; n: number };

/** Stages counting a scope's cards the session can show now, by state and whether due already. */
function bucketStages(now: Date): mongoose.PipelineStage.FacetPipelineStage[] {
  return [
    { $match: { due: { $lte: new Date(now.getTime() + LEARN_AHEAD_MS) } } },
    { $group: { _id: { state: '$state', now: { $lte: ['$due', now] } }, n: { $sum: 1 } } },
  ];
}

/** New and review cards count when due now; learning ones also within the learn-ahead limit, as the session shows them. */
function bucketCounts(rows: readonly BucketRow[]): ScopeCardCounts {
  const c = { newCarded: 0, learning: 0, review: 0 };
  for (const r of rows) {
    const bucket = countBucket(r._id.state);
    if (bucket === 'learning') c.learning += r.n;
    else if (r._id.now) c[bucket === 'new' ? 'newCarded' : 'review'] += r.n;
  }
  return c;
}

async function scopeCounts(caller: Caller, scope: StudyScope, now: Date, limit: number, unseen?: number): Promise<ScopeCounts> {
  const [rows, today, unseenCount] = await Promise.all([
    StudyCard.aggregate<BucketRow>([{ $match: scopeFilter(caller, scope, now) }, ...bucketStages(now)]),
    introducedToday(caller, now),
    unseen ?? unseenQuestionIds(caller, scope).then((ids) => ids.length),
  ]);
  return { ...studyCounts({ ...bucketCounts(rows), introducedToday: today, unseen: unseenCount, limit }), introducedToday: today, limit };
}

/** The study page: each bank the learner may study, with its due and new counts. */
export async function studyHome(caller: Caller, now: Date, limit: number): Promise<{ banks: Array<BankSummary & { counts: ScopeCounts }>; dueTotal: number }> {
  const banks = await listBanks(caller);
  const withCounts = await Promise.all(banks.map(async (b) => ({ ...b, counts: await scopeCounts(caller, { bankId: b.id }, now, limit) })));
  return { banks: withCounts, dueTotal: await dueCardCount(caller.id, now) };
}

/** The front of a card: the question as a learner sees it, never its answer. */
export interface CardFront {
  cardId: string;
  question: PresentedQuestion;
  typed: boolean;
  state: string;
  /** The count this card is part of (underlined on the page, as Anki does). */
  bucket: CountBucket;
}

/** The next card of a session, or why there is none. */
export interface NextCard {
  bank: BankRef;
  scope: StudyScope;
  counts: ScopeCounts;
  card: CardFront | null;
  /** When nothing is left now: when the next card of this scope falls due. */
  nextDue: Date | null;
}

/**
 * The next card to study in a scope: the most overdue card; else a new card while today's limit
 * allows (its card is created now, which counts it against the limit); else a learning card due
 * within LEARN_AHEAD_MS; else none, with the time the next one falls due.
 */
export async function nextCard(caller: Caller, scope: StudyScope, now: Date, limit: number): Promise<NextCard> {
  if (!isObjectId(scope.bankId)) throw new NotFoundError('We could not find that question bank.');
  const filter = scopeFilter(caller, scope, now);
  // The bank check and the snapshot are independent reads; the card is used only if the check passes.
  const [bank, snapshot] = await Promise.all([getStudyableBank(caller, scope.bankId), scopeSnapshot(caller, scope, now)]);
  if (scope.topic && !bank.topics.some((t) => t.slug === scope.topic))
    throw new ValidationError('That is not a topic of this bank.', { topic: 'Not a topic of this bank.' });
  if (snapshot.card && snapshot.question) {
    // The common case, a card due now: everything the page shows came in those two reads.
    const { buckets, introducedToday: today, unseen } = snapshot;
    const counts = { ...studyCounts({ ...buckets, introducedToday: today, unseen, limit }), introducedToday: today, limit };
    return { bank, scope, counts, nextDue: null, card: cardFront(snapshot.card, snapshot.question) };
  }
  let card: StudyCardDoc | null = null;
  const unseen = await unseenQuestionIds(caller, scope);
  const newCounts = await scopeCounts(caller, scope, now, limit, unseen.length);
  if (newCounts.new > 0) card = await introduceCard(caller, scope.bankId, unseen[0]!, now);
  card ??= await StudyCard.findOne({ ...filter, state: { $in: [1, 3] }, due: { $lte: new Date(now.getTime() + LEARN_AHEAD_MS) } })
    .sort({ due: 1 })
    .lean<StudyCardDoc>();
  const counts = await scopeCounts(caller, scope, now, limit);
  if (!card) {
    const upcoming = await StudyCard.findOne(filter, { due: 1 }).sort({ due: 1 }).lean<StudyCardDoc>();
    return { bank, scope, counts, card: null, nextDue: upcoming?.due ?? null };
  }
  const question = (await questionsByIds([String(card.questionId)])).get(String(card.questionId));
  if (!question) throw new NotFoundError('This card’s question is no longer in the bank.');
  return { bank, scope, counts, nextDue: null, card: cardFront(card, question) };
}

function cardFront(card: StudyCardDoc, question: Pick<StoredQuestion, 'definition'>): CardFront {
  return {
    cardId: String(card._id),
    question: presentQuestion(question.definition),
    typed: hasTypedAnswer(question.definition),
    state: stateName(card.state),
    bucket: countBucket(card.state),
  };
}

/** What a study page needs of a scope, read in one aggregation (and a count of live questions). */
interface ScopeSnapshot {
  /** The most overdue card due now, and its question. */
  card: StudyCardDoc | null;
  question: StoredQuestion | null;
  buckets: ScopeCardCounts;
  introducedToday: number;
  /** Live questions of the scope the learner has no card for yet. */
  unseen: number;
}

/** Live questions in a scope, counted once for the requests that ask together. */
const liveQuestionCount = sharedRead<StudyScope, number>(
  async (scopes) => {
    const counts = await Promise.all(scopes.map((s) => countLiveQuestions(s.bankId, s.topic)));
    return new Map(scopes.map((s, i) => [scopeKey(s), counts[i]!]));
  },
  (s) => scopeKey(s),
  0,
);

function scopeKey(scope: StudyScope): string {
  return `${scope.bankId}/${scope.topic ?? ''}`;
}

async function scopeSnapshot(caller: Caller, scope: StudyScope, now: Date): Promise<ScopeSnapshot> {
  const userId = oid(caller.id);
  const bankId = oid(scope.bankId);
  const inScope = scopeFilter(caller, scope, now);
  const questions = questionsCollectionName();
  const [[snapshot], live] = await Promise.all([
    StudyCard.aggregate<{ next: StudyCardDoc[]; buckets: BucketRow[]; today: { n: number }[]; carded: { n: number }[]; question: QuestionDoc[] }>([
      // All the learner's cards: the daily limit on new cards counts every bank.
      { $match: { userId } },
      {
        $facet: {
          next: [{ $match: { ...inScope, due: { $lte: now } } }, { $sort: { due: 1 } }, { $limit: 1 }],
          buckets: [{ $match: inScope }, ...bucketStages(now)],
          today: [{ $match: { introducedAt: { $gte: startOfStudyDay(now, caller) } } }, { $count: 'n' }],
          // Cards of the scope's live questions (by the question's topics, as unseen ones are found).
          carded: [
            { $match: { bankId } },
            { $lookup: { from: questions, localField: 'questionId', foreignField: '_id', as: 'question' } },
            { $match: { 'question.retired': false, ...(scope.topic ? { 'question.topics': scope.topic } : {}) } },
            { $count: 'n' },
          ],
        },
      },
      { $lookup: { from: questions, localField: 'next.questionId', foreignField: '_id', as: 'question' } },
    ]),
    liveQuestionCount(scope),
  ]);
  const n = (rows: { n: number }[] | undefined) => rows?.[0]?.n ?? 0;
  const question = snapshot?.question[0];
  return {
    card: snapshot?.next[0] ?? null,
    question: question ? storedQuestion(question) : null,
    buckets: bucketCounts(snapshot?.buckets ?? []),
    introducedToday: n(snapshot?.today),
    unseen: live - n(snapshot?.carded),
  };
}

/** Creates the learner's card for a question (or returns the one a parallel request just made). */
async function introduceCard(caller: Caller, bankId: string, questionId: mongoose.Types.ObjectId, now: Date): Promise<StudyCardDoc> {
  const topics = await questionTopics(String(questionId));
  const state = newCardState(now);
  try {
    return (await StudyCard.findOneAndUpdate(
      { userId: oid(caller.id), questionId },
      { $setOnInsert: { userId: oid(caller.id), questionId, bankId: oid(bankId), topics: topics ?? [], introducedAt: now, ...state } },
      { upsert: true, returnDocument: 'after' },
    ).lean<StudyCardDoc>())!;
  } catch (err) {
    // Two requests upserting the same card: the loser reads the winner's.
    if (!isDuplicateKey(err)) throw err;
    return (await StudyCard.findOne({ userId: oid(caller.id), questionId }).lean<StudyCardDoc>())!;
  }
}

/** The back of a card: answer, explanation, passage, the typed answer checked, and the four ratings. */
export interface CardBack {
  cardId: string;
  bank: BankRef;
  question: PresentedQuestion;
  state: string;
  keyText: string;
  explanation: string;
  evidence: SourceEvidence | null;
  /** The typed answer and its grade, when one was typed. */
  typed: { response: QuestionResponse; result: GradeResult; fields: Record<string, string> } | null;
  ratings: RatingPreview[];
  guard: { reps: number; lastReview: string };
}

function typedFields(response: QuestionResponse): Record<string, string> {
  if (response.type === 'short') return { [`${TYPED_PREFIX}text`]: response.text };
  if (response.type === 'cloze') return Object.fromEntries(response.blanks.map((b, i) => [`${TYPED_PREFIX}blank${i + 1}`, b]));
  return {};
}

/** Reads and grades a typed answer (short answer and cloze only); a blank answer counts as none typed. */
function readTyped(def: QuestionDefinition, raw: unknown, namePrefix: string): CardBack['typed'] {
  if (!hasTypedAnswer(def) || raw === undefined) return null;
  const parsed = parseResponse(def, raw, { namePrefix });
  if (!parsed.ok) throw new ValidationError(`We could not read that answer: ${parsed.error}.`, { response: parsed.error });
  if (isBlankResponse(parsed.response)) return null;
  return { response: parsed.response, result: gradeResponse(def, parsed.response), fields: typedFields(parsed.response) };
}

async function loadCard(caller: Caller, cardId: string): Promise<StudyCardDoc> {
  // Another learner's card is "not found": its existence is not theirs to know.
  const card = isObjectId(cardId) ? await StudyCard.findOne({ _id: oid(cardId), userId: oid(caller.id) }).lean<StudyCardDoc>() : null;
  if (!card) throw new NotFoundError('We could not find that card.');
  return card;
}

/** Shows a card's back at `now`; `typedRaw` is the front form's query (its typed answer, if any). */
export async function cardBack(caller: Caller, cardId: string, now: Date, typedRaw?: unknown): Promise<CardBack> {
  const card = await loadCard(caller, cardId);
  const question = (await questionsByIds([String(card.questionId)])).get(String(card.questionId));
  if (!question) throw new NotFoundError('This card’s question is no longer in the bank.');
  const bank = await getStudyableBank(caller, String(card.bankId));
  const def = question.definition;
  return {
    cardId,
    bank,
    question: presentQuestion(def),
    state: stateName(card.state),
    keyText: answerKeyText(def),
    explanation: def.explanation,
    evidence: await sourceEvidence(questionSourceId(def, bank), def),
    typed: readTyped(def, typedRaw, ''),
    ratings: previewRatings(cardStateOf(card), now, await fsrsSettings(caller.id)),
    guard: { reps: card.reps, lastReview: card.last_review ? card.last_review.toISOString() : '' },
  };
}

/**
 * Applies a rating to a card at `now`. The update is guarded on the `reps` and `last_review` the
 * rating was shown with, so a second submission (double click, another tab) changes nothing and
 * returns `applied: false`. Writes a ReviewLog entry and, when an answer was typed, a LearnerResponse.
 */
export async function rateCard(
  caller: Caller,
  cardId: string,
  input: { rating: StudyRating; reps: number; lastReview: Date | null; body?: unknown },
  now: Date,
): Promise<{ applied: boolean; card: StudyCardDoc; logId?: string }> {
  const card = await loadCard(caller, cardId);
  await getStudyableBank(caller, String(card.bankId));
  const shownLastReview = card.last_review ? card.last_review.getTime() : null;
  const postedLastReview = input.lastReview ? input.lastReview.getTime() : null;
  if (card.reps !== input.reps || shownLastReview !== postedLastReview) return { applied: false, card };
  const question = (await questionsByIds([String(card.questionId)])).get(String(card.questionId));
  const typed = question ? readTyped(question.definition, input.body, TYPED_PREFIX) : null;
  const { card: next, log } = scheduleReview(cardStateOf(card), input.rating, now, await fsrsSettings(caller.id));
  const result = await StudyCard.updateOne({ _id: card._id, userId: card.userId, reps: card.reps, last_review: card.last_review ?? null }, { $set: next });
  if (result.modifiedCount === 0) return { applied: false, card };
  const entry = await writeReviewLog({
    userId: card.userId,
    cardId: card._id,
    questionId: card.questionId,
    bankId: card.bankId,
    topics: card.topics,
    ...log,
    nextState: next.state,
    nextDue: next.due,
    nextStability: next.stability,
    typedScore: typed ? typed.result.score : null,
    previous: cardStateOf(card),
  });
  if (typed && question) {
    await recordResponse({
      userId: String(card.userId),
      source: 'study',
      sourceRef: String(card._id),
      bankId: String(card.bankId),
      question: { ...question, id: String(card.questionId) },
      score: typed.result.score,
      correct: typed.result.correct,
      answeredAt: now,
    });
  }
  return { applied: true, card: { ...card, ...next }, logId: String(entry._id) };
}

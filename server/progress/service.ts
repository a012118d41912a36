import mongoose from 'mongoose';
import type { Caller } from '../accounts/roles.ts';
import { Bank, Question, type BankDoc, type QuestionDoc } from '../banks/model.ts';
import { findBank, listBanks, liveQuestionOutlines } from '../banks/service.ts';
import { Enrolment, type EnrolmentDoc } from '../classes/model.ts';
import { getTaughtClass, type ClassSummary } from '../classes/service.ts';
import { LearnerResponse } from '../practice/response-model.ts';
import { PracticeSession } from '../practice/model.ts';
import { StudyCard, ReviewLog } from '../study/model.ts';
import { startOfStudyDay } from '../study/schedule.ts';
import { Attempt, Quiz, type QuizDoc } from '../quizzes/model.ts';
import { GRADING_METHOD_LABELS, type GradingMethod } from '../quizzes/grading-method.ts';
import { reviewAllowance, type FeedbackTiming, type ReviewLevel } from '../quizzes/review-policy.ts';
import { getSource } from '../sources/service.ts';
import { TOPICS, TOPIC_LABELS, blankResponse, responseText, type QuestionDefinition, type QuestionResponse, type Topic } from '../questions/index.ts';
import { NotFoundError } from '../http/errors.ts';
import { LearnerProgress, type DaySummary, type QuestionStat } from './model.ts';
import {
  laterAnswer,
  masteryByPassage,
  masteryByTopic,
  percent,
  questionMastery,
  recallProbability,
  type AnswerEvidence,
  type MasteryGroup,
  type QuestionMastery,
} from './mastery.ts';
import { dayKey, lastDays, streakOf, type Streak } from './streak.ts';
import { paperMap, excerptOf, type MapSection } from './paper-map.ts';
import { gradebookCell, CELL_STATE_LABELS, type GradebookAttempt, type GradebookCell, type GradebookQuiz } from './gradebook.ts';
import { itemStatistics, WEAK_DISCRIMINATION, type ItemStatistics } from './item-statistics.ts';
import { toCsv, csvCell, type CsvCell } from './csv.ts';
import { isObjectId, toObjectId as oid } from '../object-ids.ts';

const isDuplicateKey = (err: unknown) => (err as { code?: unknown })?.code === 11000;
const DAY_MS = 86_400_000;
const DAY_FORMAT = '%Y-%m-%d';

// ---------------------------------------------------------------- the learner's summarised history

interface History {
  through: Date;
  days: DaySummary[];
  questions: QuestionStat[];
}

/** Folds new rows of per-day counts into the days already summarised. */
function mergeDays(old: readonly DaySummary[], fresh: Iterable<DaySummary>): DaySummary[] {
  const byDay = new Map(old.map((d) => [d.day, { ...d }]));
  for (const d of fresh) {
    const cur = byDay.get(d.day) ?? { day: d.day, reviews: 0, recalled: 0, answers: 0, scoreSum: 0 };
    cur.reviews += d.reviews ?? 0;
    cur.recalled += d.recalled ?? 0;
    cur.answers += d.answers ?? 0;
    cur.scoreSum += d.scoreSum ?? 0;
    byDay.set(d.day, cur);
  }
  return [...byDay.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
}

function mergeQuestions(old: readonly QuestionStat[], fresh: readonly QuestionStat[]): QuestionStat[] {
  const byId = new Map(old.map((q) => [String(q.questionId), { ...q }]));
  for (const q of fresh) {
    const cur = byId.get(String(q.questionId));
    if (!cur) {
      byId.set(String(q.questionId), { ...q });
      continue;
    }
    cur.n += q.n;
    cur.scoreSum += q.scoreSum;
    if (q.lastAt.getTime() >= cur.lastAt.getTime()) {
      cur.lastAt = q.lastAt;
      cur.lastScore = q.lastScore;
    }
  }
  return [...byId.values()];
}

/**
 * The learner's history summarised up to the start of today. Whole days not yet folded in are
 * aggregated (ReviewLog by day; LearnerResponse by day and by question) and written with a
 * guard on the `through` that was read, so racing views fold each day in once.
 */
export async function summarisedHistory(userId: string, now: Date): Promise<History> {
  const uid = oid(userId);
  const today = startOfStudyDay(now);
  for (let tries = 0; tries < 5; tries++) {
    const doc = await LearnerProgress.findOne({ userId: uid }).lean();
    const prev = doc?.through ?? null;
    if (doc && prev && prev.getTime() >= today.getTime()) return { through: prev, days: doc.days, questions: doc.questions };
    const range = { $gte: prev ?? new Date(0), $lt: today };
    const [reviewDays, answerDays, questionRows] = await Promise.all([
      ReviewLog.aggregate<{ _id: string; reviews: number; recalled: number }>([
        { $match: { userId: uid, review: range } },
        {
          $group: {
            _id: { $dateToString: { format: DAY_FORMAT, date: '$review' } },
            reviews: { $sum: 1 },
            recalled: { $sum: { $cond: [{ $gte: ['$rating', 2] }, 1, 0] } },
          },
        },
      ]),
      LearnerResponse.aggregate<{ _id: string; answers: number; scoreSum: number }>([
        { $match: { userId: uid, answeredAt: range } },
        { $group: { _id: { $dateToString: { format: DAY_FORMAT, date: '$answeredAt' } }, answers: { $sum: 1 }, scoreSum: { $sum: '$score' } } },
      ]),
      LearnerResponse.aggregate<{ _id: mongoose.Types.ObjectId; n: number; scoreSum: number; lastScore: number; lastAt: Date }>([
        { $match: { userId: uid, answeredAt: range } },
        { $sort: { answeredAt: 1 } },
        { $group: { _id: '$questionId', n: { $sum: 1 }, scoreSum: { $sum: '$score' }, lastScore: { $last: '$score' }, lastAt: { $last: '$answeredAt' } } },
      ]),
    ]);
    const days = mergeDays(doc?.days ?? [], [
      ...reviewDays.map((r) => ({ day: r._id, reviews: r.reviews, recalled: r.recalled, answers: 0, scoreSum: 0 })),
      ...answerDays.map((r) => ({ day: r._id, reviews: 0, recalled: 0, answers: r.answers, scoreSum: r.scoreSum })),
    ]);
    const questions = mergeQuestions(
      doc?.questions ?? [],
      questionRows.map((r) => ({ questionId: r._id, n: r.n, scoreSum: r.scoreSum, lastScore: r.lastScore, lastAt: new Date(r.lastAt) })),
    );
    try {
      const res = await LearnerProgress.updateOne({ userId: uid, through: prev }, { $set: { through: today, days, questions } }, { upsert: !doc });
      if (res.matchedCount > 0 || res.upsertedCount > 0) return { through: today, days, questions };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    // Another view folded these days in first: read what it wrote.
  }
  throw new Error('Could not bring the progress summary up to date.');
}

// ---------------------------------------------------------------- the learner dashboard

export interface TopicRow {
  topic: Topic;
  label: string;
  percent: number | null;
  studied: number;
  questions: number;
}

export interface ActivityDay {
  day: string;
  reviews: number;
  answers: number;
  /** Mean score of the day's answers, %; null without answers. */
  answerScore: number | null;
  /** Share of the day's flashcard ratings that were not "Again", %; null when not known. */
  recalled: number | null;
  quizzes: number;
}

export interface SourceMap {
  sourceId: string;
  title: string;
  /** A bank of this source the learner may practise, for the practice links. */
  bankId: string | null;
  sections: MapSection[];
}

export interface LearnerDashboard {
  topics: TopicRow[];
  due: { today: number; week: number; cards: number };
  streak: Streak;
  /** The last 30 days, oldest first, for the chart and its table. */
  chart: ActivityDay[];
  /** Days with activity, newest first (at most 10). */
  recentDays: ActivityDay[];
  recentSessions: Array<{ id: string; startedAt: Date; mode: string; answered: number; total: number; correct: number; finished: boolean }>;
  recentAttempts: Array<{ id: string; quizId: string; title: string; number: number; submittedAt: Date | null; score: number | null }>;
  totals: { reviews: number; answers: number; cardsStudied: number; questionsAnswered: number };
  maps: SourceMap[];
}

/** An attempt as the progress pages read it: its marks and which question each slot held. */
interface MarkedAttempt {
  _id: mongoose.Types.ObjectId;
  quizId: mongoose.Types.ObjectId;
  userId: mongoose.Types.ObjectId;
  number: number;
  score?: number | null;
  submittedAt?: Date | null;
  marks?: number[];
  slots?: Array<{ questionId: mongoose.Types.ObjectId }>;
}

/** An attempt as the responses export reads it. */
interface ExportAttempt {
  _id: mongoose.Types.ObjectId;
  quizId: mongoose.Types.ObjectId;
  userId: mongoose.Types.ObjectId;
  number: number;
  submittedAt?: Date | null;
  slots?: Array<{ key: string; definition: unknown; response: unknown; score?: number | null; savedAt?: Date | null }>;
}

interface UniverseQuestion {
  id: string;
  bankId: string;
  topics: string[];
  passageId: string;
}

/** The learner's progress: mastery per topic and passage, due cards, streak, history and the paper map. Only ever their own. */
export async function learnerDashboard(caller: Caller, now: Date): Promise<LearnerDashboard> {
  const uid = oid(caller.id);
  const today = startOfStudyDay(now);
  const todayKey = dayKey(today);
  const banks = await listBanks(caller);
  const [history, cards, todaysSessions, recentSessions, attempts, bankQuestions] = await Promise.all([
    summarisedHistory(caller.id, now),
    StudyCard.find({ userId: uid }, { questionId: 1, stability: 1, state: 1, last_review: 1, due: 1 }).lean(),
    // Today's practice answers (the summary holds the days before); a session may have started yesterday.
    PracticeSession.find({ userId: uid, startedAt: { $gte: new Date(today.getTime() - DAY_MS) } }, { answers: 1 }).lean(),
    PracticeSession.find({ userId: uid }, { mode: 1, startedAt: 1, finishedAt: 1, 'settings.length': 1, 'answers.score': 1 })
      .sort({ startedAt: -1 })
      .limit(5)
      .lean<Array<{ _id: mongoose.Types.ObjectId; mode: string; startedAt: Date; finishedAt?: Date | null; settings?: { length?: number }; answers?: Array<{ score: number }> }>>(),
    Attempt.find({ userId: uid, status: 'submitted' }, { quizId: 1, number: 1, score: 1, submittedAt: 1, marks: 1, 'slots.questionId': 1 }).lean<MarkedAttempt[]>(),
    liveQuestionOutlines(banks.map((b) => b.id)),
  ]);

  // Quizzes: a mark counts only once the quiz's review lets the student see correctness.
  const quizzes = attempts.length
    ? await Quiz.find({ _id: { $in: [...new Set(attempts.map((a) => String(a.quizId)))].map(oid) } }, { title: 1, settings: 1 }).lean<QuizDoc[]>()
    : [];
  const quizById = new Map(quizzes.map((q) => [String(q._id), q]));
  const submittedPerQuiz = new Map<string, number>();
  for (const a of attempts) submittedPerQuiz.set(String(a.quizId), (submittedPerQuiz.get(String(a.quizId)) ?? 0) + 1);
  const latest = new Map<string, AnswerEvidence>();
  const note = (questionId: string, ev: AnswerEvidence) => {
    const l = laterAnswer(latest.get(questionId), ev);
    if (l) latest.set(questionId, l);
  };
  for (const q of history.questions) note(String(q.questionId), { score: q.lastScore, at: new Date(q.lastAt) });
  const todayRow: ActivityDay = { day: todayKey, reviews: 0, answers: 0, answerScore: null, recalled: null, quizzes: 0 };
  let todayScoreSum = 0;
  for (const s of todaysSessions) {
    for (const a of s.answers ?? []) {
      if (a.answeredAt.getTime() < today.getTime()) continue;
      note(String(a.questionId), { score: a.score, at: a.answeredAt });
      todayRow.answers += 1;
      todayScoreSum += a.score;
    }
  }
  const quizDays = new Map<string, { n: number; sum: number }>();
  const recentAttempts: LearnerDashboard['recentAttempts'] = [];
  for (const a of attempts) {
    const quiz = quizById.get(String(a.quizId));
    if (!quiz) continue;
    const allowance = reviewAllowance(reviewSettingsOf(quiz), { submitted: true, attemptsSubmitted: submittedPerQuiz.get(String(a.quizId)) ?? 0, now });
    const at = a.submittedAt ?? now;
    if (allowance.showCorrectness) {
      (a.slots ?? []).forEach((slot, i) => {
        const mark = a.marks?.[i];
        if (typeof mark === 'number') note(String(slot.questionId), { score: mark, at });
      });
    }
    if (allowance.showScore && typeof a.score === 'number') {
      const k = dayKey(at);
      const d = quizDays.get(k) ?? { n: 0, sum: 0 };
      d.n += 1;
      d.sum += a.score;
      quizDays.set(k, d);
    }
    recentAttempts.push({ id: String(a._id), quizId: String(a.quizId), title: quiz.title, number: a.number, submittedAt: a.submittedAt ?? null, score: allowance.showScore ? (a.score ?? null) : null });
  }
  recentAttempts.sort((x, y) => (y.submittedAt?.getTime() ?? 0) - (x.submittedAt?.getTime() ?? 0));

  // Cards: recall now, due counts, today's reviews (distinct cards: today's ratings are not summarised yet).
  const recall = new Map<string, number>();
  const endOfToday = today.getTime() + DAY_MS;
  const due = { today: 0, week: 0, cards: cards.length };
  for (const c of cards) {
    const r = recallProbability({ stability: c.stability, state: c.state, last_review: c.last_review ?? null }, now);
    if (r !== null) recall.set(String(c.questionId), r);
    const dueAt = c.due.getTime();
    if (dueAt < endOfToday) due.today += 1;
    if (dueAt < endOfToday + 6 * DAY_MS) due.week += 1;
    if (c.last_review && c.last_review.getTime() >= today.getTime()) todayRow.reviews += 1;
  }
  if (todayRow.answers) todayRow.answerScore = Math.round((100 * todayScoreSum) / todayRow.answers);

  // The questions mastery is measured over: the learner's banks, plus any met in a quiz from elsewhere.
  const universe = new Map<string, UniverseQuestion>();
  for (const q of bankQuestions) universe.set(String(q._id), { id: String(q._id), bankId: String(q.bankId), topics: q.topics ?? [], passageId: q.passageId });
  const strays = [...new Set([...latest.keys(), ...recall.keys()])].filter((id) => !universe.has(id));
  if (strays.length) {
    const extra = await Question.find({ _id: { $in: strays.map(oid) } }, { bankId: 1, topics: 1, passageId: 1 }).lean<QuestionDoc[]>();
    for (const q of extra) universe.set(String(q._id), { id: String(q._id), bankId: String(q.bankId), topics: q.topics ?? [], passageId: q.passageId });
  }
  const bankIds = [...new Set([...universe.values()].map((q) => q.bankId))];
  const bankDocs = (await Promise.all(bankIds.map(findBank))).filter((b) => b !== null);
  const sourceOfBank = new Map(bankDocs.map((b) => [String(b._id), b.sourceId]));
  const items: QuestionMastery[] = [...universe.values()].map((q) => ({
    questionId: q.id,
    topics: q.topics,
    passageKey: `${sourceOfBank.get(q.bankId) ?? ''}#${q.passageId}`,
    mastery: questionMastery(latest.get(q.id) ?? null, recall.get(q.id) ?? null),
  }));

  const byTopic = masteryByTopic(items);
  const topics: TopicRow[] = TOPICS.filter((t) => byTopic.has(t)).map((t) => {
    const g = byTopic.get(t)!;
    return { topic: t, label: TOPIC_LABELS[t], percent: percent(g.mastery), studied: g.studied, questions: g.questions };
  });

  const maps = await sourceMaps(items, banks.map((b) => ({ id: b.id, sourceId: b.sourceId })), sourceOfBank);

  // History by day: the summary, today's live counts, and quizzes.
  const byDay = new Map<string, ActivityDay>();
  for (const d of history.days) {
    byDay.set(d.day, {
      day: d.day,
      reviews: d.reviews,
      answers: d.answers,
      answerScore: d.answers ? Math.round((100 * d.scoreSum) / d.answers) : null,
      recalled: d.reviews ? Math.round((100 * d.recalled) / d.reviews) : null,
      quizzes: 0,
    });
  }
  if (todayRow.reviews || todayRow.answers) byDay.set(todayKey, todayRow);
  for (const [k, q] of quizDays) {
    const row = byDay.get(k) ?? { day: k, reviews: 0, answers: 0, answerScore: null, recalled: null, quizzes: 0 };
    row.quizzes = q.n;
    byDay.set(k, row);
  }
  const empty = (day: string): ActivityDay => ({ day, reviews: 0, answers: 0, answerScore: null, recalled: null, quizzes: 0 });
  const chart = lastDays(todayKey, 30).map((d) => byDay.get(d) ?? empty(d));
  const recentDays = [...byDay.values()].filter((d) => d.day <= todayKey).sort((a, b) => (a.day < b.day ? 1 : -1)).slice(0, 10);
  const activeDays = [...byDay.values()].filter((d) => d.reviews || d.answers || d.quizzes).map((d) => d.day);

  return {
    topics,
    due,
    streak: streakOf(activeDays, todayKey),
    chart,
    recentDays,
    recentSessions: recentSessions.map((s) => ({
      id: String(s._id),
      startedAt: s.startedAt,
      mode: s.mode,
      answered: s.answers?.length ?? 0,
      total: s.settings?.length ?? 0,
      correct: (s.answers ?? []).filter((a) => a.score === 1).length,
      finished: Boolean(s.finishedAt),
    })),
    recentAttempts: recentAttempts.slice(0, 5),
    totals: {
      reviews: history.days.reduce((n, d) => n + d.reviews, 0) + todayRow.reviews,
      answers: history.days.reduce((n, d) => n + d.answers, 0) + todayRow.answers,
      cardsStudied: recall.size,
      questionsAnswered: latest.size,
    },
    maps,
  };
}

function reviewSettingsOf(quiz: QuizDoc) {
  const s = (quiz.settings ?? {}) as Record<string, unknown>;
  return {
    feedbackTiming: (s.feedbackTiming ?? 'immediately') as FeedbackTiming,
    reviewShows: (s.reviewShows ?? 'explanations') as ReviewLevel,
    attemptsAllowed: (s.attemptsAllowed as number | undefined) ?? 1,
    dueAt: (s.dueAt as Date | null | undefined) ?? null,
    closesAt: (s.closesAt as Date | null | undefined) ?? null,
  };
}

/** The paper map of each source the questions come from (the learner's banks' sources first). */
async function sourceMaps(items: readonly QuestionMastery[], banks: ReadonlyArray<{ id: string; sourceId: string }>, sourceOfBank: ReadonlyMap<string, string>): Promise<SourceMap[]> {
  const byPassage = masteryByPassage(items);
  const sourceIds = [...new Set([...banks.map((b) => b.sourceId), ...sourceOfBank.values()])];
  const maps: SourceMap[] = [];
  for (const sourceId of sourceIds) {
    const source = await getSource(sourceId).catch(() => null);
    if (!source) continue;
    const forSource = new Map<string, MasteryGroup>();
    for (const [key, g] of byPassage) if (key.startsWith(`${sourceId}#`)) forSource.set(key.slice(sourceId.length + 1), g);
    if (forSource.size === 0) continue;
    maps.push({ sourceId, title: source.title, bankId: banks.find((b) => b.sourceId === sourceId)?.id ?? null, sections: paperMap(source.passages, forSource) });
  }
  return maps;
}

// ---------------------------------------------------------------- instructors: the gradebook

export interface GradebookQuizColumn {
  id: string;
  title: string;
  dueAt: Date | null;
  closesAt: Date | null;
  gradingMethod: GradingMethod;
  gradingLabel: string;
}

export interface GradebookRow {
  userId: string;
  name: string;
  email: string;
  cells: GradebookCell[];
}

export interface Gradebook {
  cls: ClassSummary;
  quizzes: GradebookQuizColumn[];
  rows: GradebookRow[];
  page: number;
  pages: number;
  total: number;
  perPage: number;
}

export const GRADEBOOK_PAGE_SIZE = 50;

function quizColumn(q: QuizDoc): GradebookQuizColumn & GradebookQuiz {
  const s = (q.settings ?? {}) as Record<string, unknown>;
  const gradingMethod = ((s.gradingMethod as GradingMethod | undefined) ?? 'highest') as GradingMethod;
  return {
    id: String(q._id),
    title: q.title,
    dueAt: (s.dueAt as Date | null) ?? null,
    closesAt: (s.closesAt as Date | null) ?? null,
    opensAt: (s.opensAt as Date | null) ?? null,
    gradingMethod,
    gradingLabel: GRADING_METHOD_LABELS[gradingMethod],
  };
}

/**
 * The class's students by name (the roster), for a class the caller teaches; with `page`, only
 * that page of it (sorted and cut by the database) and the roster's size.
 */
async function studentsOf(classId: string, page?: { skip: number; limit: number }): Promise<{ students: Array<{ userId: string; name: string; email: string }> }> {
  // Enrolments carry the student's name, so the database sorts and cuts the roster in one read.
  let query = Enrolment.find({ classId: oid(classId) }, { userId: 1, name: 1, email: 1 }).sort({ name: 1, email: 1 });
  if (page) query = query.skip(page.skip).limit(page.limit);
  const rows = await query.lean<EnrolmentDoc[]>();
  return { students: rows.map((r) => ({ userId: String(r.userId), name: r.name, email: r.email })) };
}

async function classQuizzes(classId: string): Promise<Array<GradebookQuizColumn & GradebookQuiz>> {
  const qs = await Quiz.find({ classIds: oid(classId) }, { title: 1, settings: 1, createdAt: 1 }).lean<QuizDoc[]>();
  return qs
    .map((q) => ({ col: quizColumn(q), created: (q as { createdAt?: Date }).createdAt?.getTime() ?? 0 }))
    .sort((a, b) => (a.col.dueAt?.getTime() ?? 8.64e15) - (b.col.dueAt?.getTime() ?? 8.64e15) || a.created - b.created)
    .map((x) => x.col);
}

type AttemptRow = { _id: mongoose.Types.ObjectId; quizId: mongoose.Types.ObjectId; userId: mongoose.Types.ObjectId; number: number; status: string; score?: number | null; submittedAt?: Date | null; deadline?: Date | null };

const ATTEMPT_SUMMARY = { quizId: 1, userId: 1, number: 1, status: 1, score: 1, submittedAt: 1, deadline: 1 } as const;

/** The gradebook cells of a student, one per quiz, from the attempts read. */
function cellsFor(quizzes: ReadonlyArray<GradebookQuizColumn & GradebookQuiz>, attempts: readonly AttemptRow[], now: Date): (userId: string) => GradebookCell[] {
  // Student → quiz → attempts; a page has about a thousand, so each id is turned to hex once.
  const byStudent = new Map<string, Map<string, GradebookAttempt[]>>();
  for (const a of attempts) {
    const student = a.userId.toHexString();
    const quiz = a.quizId.toHexString();
    let quizzesOf = byStudent.get(student);
    if (!quizzesOf) byStudent.set(student, (quizzesOf = new Map()));
    let list = quizzesOf.get(quiz);
    if (!list) quizzesOf.set(quiz, (list = []));
    list.push({
      id: a._id.toHexString(),
      number: a.number,
      status: a.status as 'in-progress' | 'submitted',
      score: a.score ?? null,
      submittedAt: a.submittedAt ?? null,
      deadline: a.deadline ?? null,
    });
  }
  return (userId) => {
    const mine = byStudent.get(userId);
    return quizzes.map((q) => gradebookCell(q, mine?.get(q.id) ?? [], now));
  };
}

/** One page of a class's gradebook (students × assigned quizzes), for the class's instructor only. */
export async function classGradebook(caller: Caller, classId: string, now: Date, page = 1): Promise<Gradebook> {
  if (!isObjectId(classId)) throw new NotFoundError('We could not find that class.');
  const requested = Math.max(1, page);
  const pageOf = (n: number) => ({ skip: (n - 1) * GRADEBOOK_PAGE_SIZE, limit: GRADEBOOK_PAGE_SIZE });
  // Read in parallel with the check that the caller teaches the class; nothing read is shown
  // unless the check passes.
  const [cls, quizzes, first] = await Promise.all([getTaughtClass(caller, classId), classQuizzes(classId), studentsOf(classId, pageOf(requested))]);
  // The class summary already counts the roster.
  const roster = cls.studentCount;
  const pages = Math.max(1, Math.ceil(roster / GRADEBOOK_PAGE_SIZE));
  const current = Math.min(requested, pages);
  const shown = current === requested ? first.students : (await studentsOf(cls.id, pageOf(current))).students;
  // The page's students' attempts: filtered on userId alone, so the lookup goes through the
  // `{ userId, status }` index (a student has a few dozen attempts) rather than every attempt
  // at the class's quizzes; other quizzes' attempts are dropped when the cells are built.
  const attempts = shown.length && quizzes.length
    ? await Attempt.collection.find<AttemptRow>({ userId: { $in: shown.map((s) => oid(s.userId)) } }, { projection: ATTEMPT_SUMMARY, batchSize: 5000 }).toArray()
    : [];
  const cells = cellsFor(quizzes, attempts, now);
  return {
    cls,
    quizzes,
    rows: shown.map((s) => ({ ...s, cells: cells(s.userId) })),
    page: current,
    pages,
    total: roster,
    perPage: GRADEBOOK_PAGE_SIZE,
  };
}

const pct = (x: number | null) => (x === null ? null : Math.round(1000 * x) / 10);

/** The whole gradebook as CSV: one row per student, a grade and a state column per quiz. */
export async function gradebookCsv(caller: Caller, classId: string, now: Date): Promise<{ filename: string; csv: string }> {
  const cls = await getTaughtClass(caller, classId);
  const [{ students }, quizzes] = await Promise.all([studentsOf(cls.id), classQuizzes(cls.id)]);
  const attempts = quizzes.length ? await Attempt.find({ quizId: { $in: quizzes.map((q) => oid(q.id)) } }, ATTEMPT_SUMMARY).lean<AttemptRow[]>() : [];
  const cells = cellsFor(quizzes, attempts, now);
  const header = ['Student', 'Email', ...quizzes.flatMap((q) => [`${q.title} (%)`, `${q.title} (status)`])];
  const rows = students.map((s) => [s.name, s.email, ...cells(s.userId).flatMap((c) => [pct(c.grade), CELL_STATE_LABELS[c.state]])] as CsvCell[]);
  return { filename: `gradebook-${slug(cls.name)}.csv`, csv: toCsv(header, rows) };
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'class';
}

export const RESPONSES_CSV_HEADER = ['Student', 'Email', 'Quiz', 'Attempt', 'Question number', 'Question', 'Answer given', 'Score', 'Time'] as const;

/**
 * Every response of the class's students to the class's quizzes, one CSV line per question of
 * each attempt, written in chunks as attempts are read (an export of a large class is big).
 */
export async function classResponsesCsv(caller: Caller, classId: string, write: (chunk: string) => void): Promise<{ filename: string; run: () => Promise<void> }> {
  const cls = await getTaughtClass(caller, classId);
  const [{ students }, quizzes] = await Promise.all([studentsOf(cls.id), classQuizzes(cls.id)]);
  const who = new Map(students.map((s) => [s.userId, s]));
  const titles = new Map(quizzes.map((q) => [q.id, q.title]));
  const run = async () => {
    write(toCsv(RESPONSES_CSV_HEADER, []));
    if (!quizzes.length) return;
    const cursor = Attempt.find(
      { quizId: { $in: quizzes.map((q) => oid(q.id)) } },
      { quizId: 1, userId: 1, number: 1, submittedAt: 1, 'slots.key': 1, 'slots.definition': 1, 'slots.response': 1, 'slots.score': 1, 'slots.savedAt': 1 },
    )
      .lean<ExportAttempt>()
      .cursor({ batchSize: 200 });
    let lines: string[] = [];
    for await (const a of cursor) {
      const student = who.get(String(a.userId));
      if (!student) continue; // someone no longer in this class
      (a.slots ?? []).forEach((slot, i) => {
        const def = slot.definition as QuestionDefinition;
        const response = (slot.response as QuestionResponse | null) ?? null;
        const cells: CsvCell[] = [
          student.name,
          student.email,
          titles.get(String(a.quizId)) ?? '',
          a.number,
          i + 1,
          `${slot.key}: ${def.prompt}`,
          response ? responseText(def, response) : responseText(def, blankResponse(def.type)),
          typeof slot.score === 'number' ? slot.score : null,
          slot.savedAt ?? a.submittedAt ?? null,
        ];
        lines.push(cells.map(csvCell).join(','));
      });
      if (lines.length >= 500) {
        write(lines.join('\r\n') + '\r\n');
        lines = [];
      }
    }
    if (lines.length) write(lines.join('\r\n') + '\r\n');
  };
  return { filename: `responses-${slug(cls.name)}.csv`, run };
}

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
  items: ItemRow[];
  weakThreshold: number;
}

/** A quiz the caller owns (admins: any); 404 for anyone else, its existence not revealed. */
async function ownQuiz(caller: Caller, quizId: string): Promise<QuizDoc> {
  const quiz = isObjectId(quizId) ? await Quiz.findById(quizId, { title: 1, ownerId: 1, classIds: 1, selection: 1, settings: 1 }).lean<QuizDoc>() : null;
  if (!quiz || (caller.role !== 'admin' && String(quiz.ownerId) !== caller.id)) throw new NotFoundError('We could not find that quiz.');
  return quiz;
}

/** Facility and discrimination of each question of a quiz, from first attempts only (as Moodle). */
export async function quizStatistics(caller: Caller, quizId: string): Promise<QuizStatistics> {
  const quiz = await ownQuiz(caller, quizId);
  const firsts = await Attempt.find({ quizId: quiz._id, number: 1, status: 'submitted' }, { marks: 1, 'slots.questionId': 1 }).lean<MarkedAttempt[]>();
  const stats = itemStatistics(
    firsts.map((a) => (a.slots ?? []).map((s, i) => ({ questionId: String(s.questionId), mark: a.marks?.[i] ?? 0, maxMark: 1 }))),
  );
  const questions = await Question.find({ _id: { $in: stats.map((s) => oid(s.questionId)) } }, { key: 1, bankId: 1, definition: 1, passageId: 1 }).lean<QuestionDoc[]>();
  const qById = new Map(questions.map((q) => [String(q._id), q]));
  const banks = await Bank.find({ _id: { $in: [...new Set(questions.map((q) => String(q.bankId)))].map(oid) } }, { sourceId: 1 }).lean<BankDoc[]>();
  const sourceOfBank = new Map(banks.map((b) => [String(b._id), b.sourceId]));
  const passages = new Map<string, Map<string, string>>();
  for (const sourceId of new Set(sourceOfBank.values())) {
    const source = await getSource(sourceId).catch(() => null);
    passages.set(sourceId, new Map((source?.passages ?? []).map((p) => [p.id, p.text])));
  }
  // The quiz's own order for hand-picked quizzes; by key for drawn ones.
  const picked = (quiz.selection?.questionIds ?? []).map(String);
  const order = (id: string) => (picked.includes(id) ? picked.indexOf(id) : picked.length);
  const items = stats
    .map((s) => {
      const q = qById.get(s.questionId);
      const def = q?.definition as QuestionDefinition | undefined;
      const sourceId = q ? (sourceOfBank.get(String(q.bankId)) ?? '') : '';
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
      };
    })
    .sort((a, b) => order(a.questionId) - order(b.questionId) || a.key.localeCompare(b.key));
  items.forEach((it, i) => (it.number = i + 1));
  return { quizId: String(quiz._id), title: quiz.title, firstAttempts: firsts.length, items, weakThreshold: WEAK_DISCRIMINATION };
}

// ---------------------------------------------------------------- instructors: the class's paper map

export interface ClassPaperMap {
  cls: ClassSummary;
  maps: SourceMap[];
  attempts: number;
  students: number;
}

/**
 * The paper map for a whole class: each passage shaded by the class's mean mark on the quiz
 * questions that cite it (every submitted attempt at the class's quizzes, by its students).
 */
export async function classPaperMap(caller: Caller, classId: string): Promise<ClassPaperMap> {
  const cls = await getTaughtClass(caller, classId);
  const [{ students }, quizzes] = await Promise.all([studentsOf(cls.id), classQuizzes(cls.id)]);
  const inClass = new Set(students.map((s) => s.userId));
  const attempts = quizzes.length
    ? await Attempt.find({ quizId: { $in: quizzes.map((q) => oid(q.id)) }, status: 'submitted' }, { userId: 1, marks: 1, 'slots.questionId': 1 }).lean<MarkedAttempt[]>()
    : [];
  const sums = new Map<string, { sum: number; n: number }>();
  let counted = 0;
  for (const a of attempts) {
    if (!inClass.has(String(a.userId))) continue;
    counted += 1;
    (a.slots ?? []).forEach((s, i) => {
      const mark = a.marks?.[i];
      if (typeof mark !== 'number') return;
      const e = sums.get(String(s.questionId)) ?? { sum: 0, n: 0 };
      e.sum += mark;
      e.n += 1;
      sums.set(String(s.questionId), e);
    });
  }
  const qs = sums.size ? await Question.find({ _id: { $in: [...sums.keys()].map(oid) } }, { bankId: 1, topics: 1, passageId: 1 }).lean<QuestionDoc[]>() : [];
  const banks = await Bank.find({ _id: { $in: [...new Set(qs.map((q) => String(q.bankId)))].map(oid) } }, { sourceId: 1 }).lean<BankDoc[]>();
  const sourceOfBank = new Map(banks.map((b) => [String(b._id), b.sourceId]));
  const items: QuestionMastery[] = qs.map((q) => {
    const e = sums.get(String(q._id))!;
    return { questionId: String(q._id), topics: q.topics ?? [], passageKey: `${sourceOfBank.get(String(q.bankId)) ?? ''}#${q.passageId}`, mastery: e.sum / e.n };
  });
  let maps = await sourceMaps(items, [], sourceOfBank);
  if (maps.length === 0) {
    // Nothing answered yet: still show the shipped paper, every passage unstudied.
    const shipped = await Bank.findOne({ slug: 'sco-policy-brief' }, { sourceId: 1 }).lean<BankDoc>();
    if (shipped) {
      const source = await getSource(shipped.sourceId).catch(() => null);
      if (source) maps = [{ sourceId: source.id, title: source.title, bankId: null, sections: paperMap(source.passages, new Map()) }];
    }
  }
  return { cls, maps: maps.map((m) => ({ ...m, bankId: null })), attempts: counted, students: students.length };
}

/** The class's name, for a class the caller teaches (404 otherwise). */
export async function taughtClass(caller: Caller, classId: string): Promise<ClassSummary> {
  return getTaughtClass(caller, classId);
}


import { DEFAULT_DAY_START_HOUR, type Caller } from '../accounts/index.ts';
import { bankTopicsOf, findBank, listBanks, liveQuestionOutlines, questionPlaces, shippedSourceId, sourceOfBanks } from '../banks/index.ts';
import { getTaughtClass, type ClassSummary } from '../classes/index.ts';
import { recentPracticeSessions } from '../practice/index.ts';
import { cardsForRecall, startOfStudyDay } from '../study/index.ts';
import { learnerAggregate } from '../aggregates/index.ts';
import { quizOutlines, quizSettings, reviewAllowance, submittedAttemptsAt, submittedAttemptsOf, type QuizOutline } from '../quizzes/index.ts';
import { findSource } from '../sources/index.ts';
import { DEFAULT_TIME_ZONE, percentValue, studyDayReader } from '../formatting/index.ts';
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
import { lastDays, streakOf, type Streak } from './streak.ts';
import { paperMap, type MapSection } from './paper-map.ts';

const DAY_MS = 86_400_000;

import { classQuizzes, studentsOf } from './gradebook-service.ts';

// ---------------------------------------------------------------- the learner dashboard

export interface TopicRow {
  topic: string;
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

interface UniverseQuestion {
  id: string;
  bankId: string;
  topics: string[];
  passageId: string;
  /** Null: the bank's first source. */
  sourceId: string | null;
}

/** The learner's progress: mastery per topic and passage, due cards, streak, history and the paper map. Only ever their own. */
export async function learnerDashboard(caller: Caller, now: Date): Promise<LearnerDashboard> {
  // Days are the learner's study days: their zone, and the hour their day starts.
  const today = startOfStudyDay(now, caller);
  const zone = caller.timeZone ?? DEFAULT_TIME_ZONE;
  const dayStart = caller.dayStartHour ?? DEFAULT_DAY_START_HOUR;
  const studyDay = studyDayReader(zone, dayStart);
  const todayKey = studyDay(now);
  const banks = await listBanks(caller);
  // The learner's history is one small document kept up to date as reviews and answers are written.
  const [history, cards, recentSessions, attempts, bankQuestions] = await Promise.all([
    learnerAggregate(caller.id, studyDay.ofSlot),
    cardsForRecall(caller.id),
    recentPracticeSessions(caller.id, 5),
    submittedAttemptsOf(caller.id),
    liveQuestionOutlines(banks.map((b) => b.id)),
  ]);

  // Quizzes: a mark counts only once the quiz's review lets the student see correctness.
  const quizzes = attempts.length ? await quizOutlines([...new Set(attempts.map((a) => String(a.quizId)))]) : [];
  const quizById = new Map(quizzes.map((q) => [String(q._id), q]));
  const submittedPerQuiz = new Map<string, number>();
  for (const a of attempts) submittedPerQuiz.set(String(a.quizId), (submittedPerQuiz.get(String(a.quizId)) ?? 0) + 1);
  const latest = new Map<string, AnswerEvidence>();
  const note = (questionId: string, ev: AnswerEvidence) => {
    const l = laterAnswer(latest.get(questionId), ev);
    if (l) latest.set(questionId, l);
  };
  for (const q of history.questions) note(q.questionId, { score: q.lastScore, at: q.lastAt });
  const quizDays = new Map<string, { n: number; sum: number }>();
  const recentAttempts: LearnerDashboard['recentAttempts'] = [];
  for (const a of attempts) {
    const quiz = quizById.get(String(a.quizId));
    if (!quiz) continue;
    const allowance = reviewAllowance(reviewSettingsOf(quiz), {
      submitted: true,
      attemptsSubmitted: submittedPerQuiz.get(String(a.quizId)) ?? 0,
      now,
      submittedAt: a.submittedAt ?? null,
    });
    const at = a.submittedAt ?? now;
    if (allowance.showCorrectness) {
      (a.slots ?? []).forEach((slot, i) => {
        const mark = a.marks?.[i];
        if (typeof mark === 'number') note(String(slot.questionId), { score: mark, at });
      });
    }
    if (allowance.showScore && typeof a.score === 'number') {
      const k = studyDay(at);
      const d = quizDays.get(k) ?? { n: 0, sum: 0 };
      d.n += 1;
      d.sum += a.score;
      quizDays.set(k, d);
    }
    recentAttempts.push({
      id: String(a._id),
      quizId: String(a.quizId),
      title: quiz.title,
      number: a.number,
      submittedAt: a.submittedAt ?? null,
      score: allowance.showScore ? (a.score ?? null) : null,
    });
  }
  recentAttempts.sort((x, y) => (y.submittedAt?.getTime() ?? 0) - (x.submittedAt?.getTime() ?? 0));

  // Cards: recall now, due counts.
  const recall = new Map<string, number>();
  const endOfToday = today.getTime() + DAY_MS;
  const due = { today: 0, week: 0, cards: cards.length };
  for (const c of cards) {
    const r = recallProbability({ stability: c.stability, state: c.state, last_review: c.last_review ?? null }, now);
    if (r !== null) recall.set(String(c.questionId), r);
    const dueAt = c.due.getTime();
    if (dueAt < endOfToday) due.today += 1;
    if (dueAt < endOfToday + 6 * DAY_MS) due.week += 1;
  }

  // The questions mastery is measured over: the learner's banks, plus any met in a quiz from elsewhere.
  const universe = new Map<string, UniverseQuestion>();
  for (const q of bankQuestions)
    universe.set(String(q._id), { id: String(q._id), bankId: String(q.bankId), topics: q.topics ?? [], passageId: q.passageId, sourceId: q.sourceId ?? null });
  const strays = [...new Set([...latest.keys(), ...recall.keys()])].filter((id) => !universe.has(id));
  if (strays.length) {
    const extra = await questionPlaces(strays);
    for (const q of extra)
      universe.set(String(q._id), {
        id: String(q._id),
        bankId: String(q.bankId),
        topics: q.topics ?? [],
        passageId: q.passageId,
        sourceId: q.sourceId ?? null,
      });
  }
  const bankIds = [...new Set([...universe.values()].map((q) => q.bankId))];
  const bankDocs = (await Promise.all(bankIds.map(findBank))).filter((b) => b !== null);
  const sourceOfBank = new Map(bankDocs.map((b) => [String(b._id), b.sourceId]));
  const items: QuestionMastery[] = [...universe.values()].map((q) => ({
    questionId: q.id,
    topics: q.topics,
    passageKey: `${q.sourceId ?? sourceOfBank.get(q.bankId) ?? ''}#${q.passageId}`,
    mastery: questionMastery(latest.get(q.id) ?? null, recall.get(q.id) ?? null),
  }));

  const byTopic = masteryByTopic(items);
  // Topics in their banks' order and named as their banks name them; a tag no bank lists comes last.
  const named = new Map<string, string>();
  for (const b of bankDocs) for (const t of bankTopicsOf(b)) if (!named.has(t.slug)) named.set(t.slug, t.name);
  const order = [...named.keys(), ...[...byTopic.keys()].filter((t) => !named.has(t)).sort()];
  const topics: TopicRow[] = order
    .filter((t) => byTopic.has(t))
    .map((t) => {
      const g = byTopic.get(t)!;
      return { topic: t, label: named.get(t) ?? t, percent: percent(g.mastery), studied: g.studied, questions: g.questions };
    });

  const maps = await sourceMaps(
    items,
    banks.map((b) => ({ id: b.id, sourceIds: b.sourceIds })),
  );

  // History by day: the aggregates (today included), and quizzes.
  const byDay = new Map<string, ActivityDay>();
  for (const d of history.days) {
    byDay.set(d.day, {
      day: d.day,
      reviews: d.reviews,
      answers: d.answers,
      answerScore: d.answers ? percentValue(d.scoreSum / d.answers) : null,
      recalled: d.reviews ? percentValue(d.recalled / d.reviews) : null,
      quizzes: 0,
    });
  }
  for (const [k, q] of quizDays) {
    const row = byDay.get(k) ?? { day: k, reviews: 0, answers: 0, answerScore: null, recalled: null, quizzes: 0 };
    row.quizzes = q.n;
    byDay.set(k, row);
  }
  const empty = (day: string): ActivityDay => ({ day, reviews: 0, answers: 0, answerScore: null, recalled: null, quizzes: 0 });
  const chart = lastDays(todayKey, 30).map((d) => byDay.get(d) ?? empty(d));
  const recentDays = [...byDay.values()]
    .filter((d) => d.day <= todayKey)
    .sort((a, b) => (a.day < b.day ? 1 : -1))
    .slice(0, 10);
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
      reviews: history.totals.reviews,
      answers: history.totals.answers,
      cardsStudied: recall.size,
      questionsAnswered: latest.size,
    },
    maps,
  };
}

const reviewSettingsOf = (quiz: QuizOutline) => quizSettings(quiz);

/** The paper map of each source the questions come from (the learner's banks' sources first). */
/** On the class map a passage is blank when no assigned quiz asks about it. */
const CLASS_NONE = 'No assigned quiz question';

async function sourceMaps(
  items: readonly QuestionMastery[],
  banks: ReadonlyArray<{ id: string; sourceIds: readonly string[] }>,
  noneLabel?: string,
): Promise<SourceMap[]> {
  const byPassage = masteryByPassage(items);
  // Passage keys are "sourceId#passageId" (a passage id has no "#"): every source a question cites gets a map.
  const cited = [...byPassage.keys()].map((k) => k.slice(0, k.lastIndexOf('#')));
  const sourceIds = [...new Set([...banks.flatMap((b) => b.sourceIds), ...cited])];
  const maps: SourceMap[] = [];
  for (const sourceId of sourceIds) {
    const source = await findSource(sourceId);
    if (!source) continue;
    const forSource = new Map<string, MasteryGroup>();
    for (const [key, g] of byPassage) if (key.startsWith(`${sourceId}#`)) forSource.set(key.slice(sourceId.length + 1), g);
    if (forSource.size === 0) continue;
    maps.push({
      sourceId,
      title: source.title,
      bankId: banks.find((b) => b.sourceIds.includes(sourceId))?.id ?? null,
      sections: paperMap(source.passages, forSource, noneLabel),
    });
  }
  return maps;
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
  const attempts = quizzes.length ? await submittedAttemptsAt(quizzes.map((q) => q.id)) : [];
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
  const qs = await questionPlaces([...sums.keys()]);
  const sourceOfBank = await sourceOfBanks(qs.map((q) => String(q.bankId)));
  const items: QuestionMastery[] = qs.map((q) => {
    const e = sums.get(String(q._id))!;
    return {
      questionId: String(q._id),
      topics: q.topics ?? [],
      passageKey: `${q.sourceId ?? sourceOfBank.get(String(q.bankId)) ?? ''}#${q.passageId}`,
      mastery: e.sum / e.n,
    };
  });
  let maps = await sourceMaps(items, [], CLASS_NONE);
  if (maps.length === 0) {
    // Nothing answered yet: still show the shipped paper, every passage unstudied.
    const shippedSource = await shippedSourceId();
    if (shippedSource) {
      const source = await findSource(shippedSource);
      if (source) maps = [{ sourceId: source.id, title: source.title, bankId: null, sections: paperMap(source.passages, new Map(), CLASS_NONE) }];
    }
  }
  return { cls, maps: maps.map((m) => ({ ...m, bankId: null })), attempts: counted, students: students.length };
}

import type { Caller } from '../accounts/index.ts';
import { enrolledStudents, getTaughtClass, type ClassSummary } from '../classes/index.ts';
import {
  GRADING_METHOD_LABELS,
  attemptSummariesAt,
  attemptSummariesOfLearners,
  attemptsForExport,
  quizOutlinesOfClass,
  quizSettings,
  overriddenDates,
  overridesAt,
  type AttemptRow,
  type GradingMethod,
  type OverrideRow,
  type QuizOverrideRule,
  type QuizOutline,
} from '../quizzes/index.ts';
import { blankResponse, responseText } from '../questions/index.ts';
import { NotFoundError } from '../http/errors.ts';
import { fileNameStem } from '../slug.ts';
import { percentValue } from '../formatting/index.ts';
import { gradebookCell, CELL_STATE_LABELS, type GradebookAttempt, type GradebookCell, type GradebookQuiz } from './gradebook.ts';
import { toCsv, csvCell, type CsvCell } from './csv.ts';
import { isObjectId } from '../object-ids.ts';

// ---------------------------------------------------------------- instructors: the gradebook

export interface GradebookQuizColumn {
  id: string;
  title: string;
  dueAt: Date | null;
  closesAt: Date | null;
  gradingMethod: GradingMethod;
  gradingLabel: string;
  archived: boolean;
}

export interface GradebookRow {
  userId: string;
  name: string;
  email: string;
  /** `overridden`: the student works under an override of this quiz (their own or their class's). */
  cells: Array<GradebookCell & { overridden: boolean }>;
}

export interface Gradebook {
  cls: ClassSummary;
  /** The quiz columns shown: one page of the class's quizzes, by due date. */
  quizzes: GradebookQuizColumn[];
  rows: GradebookRow[];
  page: number;
  pages: number;
  total: number;
  perPage: number;
  quizPage: number;
  quizPages: number;
  quizTotal: number;
  quizzesPerPage: number;
}

export const GRADEBOOK_PAGE_SIZE = 50;
/** Quiz columns a page: a year's 200 quizzes side by side are a megabyte of table no one can read. */
export const GRADEBOOK_QUIZZES_PER_PAGE = 20;

/** The column page shown when none is asked for: the one holding the first quiz not yet due (the last page once all are). */
export function currentQuizPage(
  quizzes: ReadonlyArray<{ dueAt: Date | null; closesAt: Date | null }>,
  now: Date,
  perPage = GRADEBOOK_QUIZZES_PER_PAGE,
): number {
  const pages = Math.max(1, Math.ceil(quizzes.length / perPage));
  const next = quizzes.findIndex((q) => {
    const due = q.dueAt ?? q.closesAt;
    return !due || due.getTime() >= now.getTime();
  });
  return next < 0 ? pages : Math.floor(next / perPage) + 1;
}

function quizColumn(q: QuizOutline): GradebookQuizColumn & GradebookQuiz {
  const s = quizSettings(q);
  return {
    id: String(q._id),
    title: q.title,
    dueAt: s.dueAt,
    closesAt: s.closesAt,
    opensAt: s.opensAt,
    gradingMethod: s.gradingMethod,
    gradingLabel: GRADING_METHOD_LABELS[s.gradingMethod],
    archived: Boolean(q.archivedAt),
  };
}

/**
 * The class's students by name (the roster), for a class the caller teaches; with `page`, only
 * that page of it (sorted and cut by the database) and the roster's size.
 */
export async function studentsOf(
  classId: string,
  page?: { skip: number; limit: number },
): Promise<{ students: Array<{ userId: string; name: string; email: string }> }> {
  return { students: await enrolledStudents(classId, page) };
}

export async function classQuizzes(classId: string): Promise<Array<GradebookQuizColumn & GradebookQuiz>> {
  const qs = await quizOutlinesOfClass(classId);
  return qs
    .map((q) => ({ col: quizColumn(q), created: q.createdAt?.getTime() ?? 0 }))
    .sort((a, b) => (a.col.dueAt?.getTime() ?? 8.64e15) - (b.col.dueAt?.getTime() ?? 8.64e15) || a.created - b.created)
    .map((x) => x.col);
}

/** The gradebook cells of a student, one per quiz, from the attempts read; a cell under an override uses the student's own dates and says so. */
function cellsFor(
  quizzes: ReadonlyArray<GradebookQuizColumn & GradebookQuiz>,
  attempts: readonly AttemptRow[],
  now: Date,
  overrides: readonly OverrideRow[],
  classId: string,
): (userId: string) => Array<GradebookCell & { overridden: boolean }> {
  const rules = new Map<string, QuizOverrideRule>();
  for (const o of overrides) {
    if (o.userId) rules.set(`${o.quizId}:${o.userId}`, o.rule);
    else if (o.classId === classId) rules.set(`${o.quizId}:class`, o.rule);
  }
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
      status: a.status,
      score: a.score ?? null,
      submittedAt: a.submittedAt ?? null,
      deadline: a.deadline ?? null,
      needsGrading: a.needsGrading === true,
      regraded: (a.regrades?.length ?? 0) > 0,
    });
  }
  return (userId) => {
    const mine = byStudent.get(userId);
    return quizzes.map((q) => {
      const own = rules.get(`${q.id}:${userId}`) ?? null;
      const ofClass = rules.get(`${q.id}:class`) ?? null;
      return { ...gradebookCell(overriddenDates(q, ofClass, own), mine?.get(q.id) ?? [], now), overridden: Boolean(own || ofClass) };
    });
  };
}

/**
 * One page of a class's gradebook (50 students × 20 assigned quizzes), for the class's instructor
 * only. Without `quizPage`, the columns are those of the quizzes due next.
 */
export async function classGradebook(caller: Caller, classId: string, now: Date, page = 1, quizPage?: number): Promise<Gradebook> {
  if (!isObjectId(classId)) throw new NotFoundError('We could not find that class.');
  const requested = Math.max(1, page);
  const pageOf = (n: number) => ({ skip: (n - 1) * GRADEBOOK_PAGE_SIZE, limit: GRADEBOOK_PAGE_SIZE });
  // Read in parallel with the check that the caller teaches the class; nothing read is shown
  // unless the check passes.
  const [cls, allQuizzes, first] = await Promise.all([getTaughtClass(caller, classId), classQuizzes(classId), studentsOf(classId, pageOf(requested))]);
  const quizPages = Math.max(1, Math.ceil(allQuizzes.length / GRADEBOOK_QUIZZES_PER_PAGE));
  const columns = Math.min(Math.max(1, quizPage ?? currentQuizPage(allQuizzes, now)), quizPages);
  const quizzes = allQuizzes.slice((columns - 1) * GRADEBOOK_QUIZZES_PER_PAGE, columns * GRADEBOOK_QUIZZES_PER_PAGE);
  // The class summary already counts the roster.
  const roster = cls.studentCount;
  const pages = Math.max(1, Math.ceil(roster / GRADEBOOK_PAGE_SIZE));
  const current = Math.min(requested, pages);
  const shown = current === requested ? first.students : (await studentsOf(cls.id, pageOf(current))).students;
  // The page's students' attempts at the page's quizzes.
  const attempts =
    shown.length && quizzes.length
      ? await attemptSummariesOfLearners(
          shown.map((s) => s.userId),
          quizzes.map((q) => q.id),
        )
      : [];
  const overrides = quizzes.length ? await overridesAt(quizzes.map((q) => q.id)) : [];
  const cells = cellsFor(quizzes, attempts, now, overrides, cls.id);
  return {
    cls,
    quizzes,
    rows: shown.map((s) => ({ ...s, cells: cells(s.userId) })),
    page: current,
    pages,
    total: roster,
    perPage: GRADEBOOK_PAGE_SIZE,
    quizPage: columns,
    quizPages,
    quizTotal: allQuizzes.length,
    quizzesPerPage: GRADEBOOK_QUIZZES_PER_PAGE,
  };
}

/** The whole gradebook as CSV: one row per student, a grade and a state column per quiz. */
export async function gradebookCsv(caller: Caller, classId: string, now: Date): Promise<{ filename: string; csv: string }> {
  const cls = await getTaughtClass(caller, classId);
  const [{ students }, quizzes] = await Promise.all([studentsOf(cls.id), classQuizzes(cls.id)]);
  const attempts = quizzes.length ? await attemptSummariesAt(quizzes.map((q) => q.id)) : [];
  const overrides = quizzes.length ? await overridesAt(quizzes.map((q) => q.id)) : [];
  const cells = cellsFor(quizzes, attempts, now, overrides, cls.id);
  const header = ['Student', 'Email', ...quizzes.flatMap((q) => [`${q.title} (%)`, `${q.title} (status)`])];
  const rows = students.map((s): CsvCell[] => [s.name, s.email, ...cells(s.userId).flatMap((c) => [percentValue(c.grade), CELL_STATE_LABELS[c.state]])]);
  return { filename: `gradebook-${slug(cls.name)}.csv`, csv: toCsv(header, rows) };
}

const slug = (name: string) => fileNameStem(name) || 'class';

export const RESPONSES_CSV_HEADER = ['Student', 'Email', 'Quiz', 'Attempt', 'Question number', 'Question', 'Answer given', 'Score', 'Time'] as const;

/**
 * Every response of the class's students to the class's quizzes, one CSV line per question of
 * each attempt, written in chunks as attempts are read (an export of a large class is big).
 */
export async function classResponsesCsv(
  caller: Caller,
  classId: string,
  write: (chunk: string) => void,
): Promise<{ filename: string; run: () => Promise<void> }> {
  const cls = await getTaughtClass(caller, classId);
  const [{ students }, quizzes] = await Promise.all([studentsOf(cls.id), classQuizzes(cls.id)]);
  const who = new Map(students.map((s) => [s.userId, s]));
  const titles = new Map(quizzes.map((q) => [q.id, q.title]));
  const run = async () => {
    write(toCsv(RESPONSES_CSV_HEADER, []));
    if (!quizzes.length) return;
    const cursor = attemptsForExport(quizzes.map((q) => q.id));
    let lines: string[] = [];
    for await (const a of cursor) {
      const student = who.get(String(a.userId));
      if (!student) continue; // someone no longer in this class
      (a.slots ?? []).forEach((slot, i) => {
        const def = slot.definition;
        const response = slot.response ?? null;
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

/** The class's name, for a class the caller teaches (404 otherwise). */
export async function taughtClass(caller: Caller, classId: string): Promise<ClassSummary> {
  return getTaughtClass(caller, classId);
}

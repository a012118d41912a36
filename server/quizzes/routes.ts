import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { RouteDeps } from '../app.ts';
import { requireRole, requireUser } from '../http/guards.ts';
import { parseInput } from '../http/validate.ts';
import { formValues } from '../http/forms.ts';
import { flash } from '../http/flash.ts';
import { ConflictError, ValidationError } from '../http/errors.ts';
import { fieldErrors } from '../http/validate.ts';
import { TOPICS, TOPIC_LABELS } from '../questions/index.ts';
import { builderQuery, objectId, quizForm, slotNumber, RULE_ROWS, type QuizInput } from './schemas.ts';
import {
  builderData,
  classNames,
  createQuiz,
  getAttemptForTaking,
  getOwnQuiz,
  getReview,
  getStudentQuiz,
  listAssigned,
  listOwnQuizzes,
  quizResults,
  saveAnswer,
  startAttempt,
  submitAttempt,
  updateQuiz,
  type QuizView,
} from './service.ts';
import { GRADING_METHODS, GRADING_METHOD_LABELS } from './grading-method.ts';
import { FEEDBACK_TIMINGS, FEEDBACK_TIMING_LABELS, REVIEW_LEVELS, REVIEW_LEVEL_LABELS } from './review-policy.ts';
import { ASSIGNMENT_STATE_LABELS, GRACE_MS } from './attempt-state.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** A time as pages show it; times are in UTC, and the pages say so. */
function formatWhen(d: Date | null | undefined): string {
  if (!d) return '—';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}
/** A 0..1 score as a percentage. */
const percent = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${Math.round(x * 1000) / 10}%`);
/** A Date as the value of a datetime-local input (UTC). */
const inputDate = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 16) : '');

const wantsJson = (req: Request) => req.is('application/json') === 'application/json' || req.accepts(['html', 'json']) === 'json';

const pageLocals = { formatWhen, percent, inputDate, TOPICS, TOPIC_LABELS, stateLabels: ASSIGNMENT_STATE_LABELS, GRADING_METHOD_LABELS, FEEDBACK_TIMING_LABELS, REVIEW_LEVEL_LABELS };

/** The builder form's values for a saved quiz (editing). */
function valuesOf(q: QuizView): Record<string, unknown> {
  const v: Record<string, unknown> = {
    title: q.title,
    mode: q.mode,
    bankIds: q.bankIds,
    questionIds: q.questionIds,
    classIds: q.classIds,
    timeLimitMinutes: q.settings.timeLimitMinutes ?? '',
    opensAt: inputDate(q.settings.opensAt),
    dueAt: inputDate(q.settings.dueAt),
    closesAt: inputDate(q.settings.closesAt),
    attemptsAllowed: String(q.settings.attemptsAllowed),
    gradingMethod: q.settings.gradingMethod,
    shuffleQuestions: q.settings.shuffleQuestions,
    shuffleChoices: q.settings.shuffleChoices,
    feedbackTiming: q.settings.feedbackTiming,
    reviewShows: q.settings.reviewShows,
    passMark: q.settings.passMark ?? '',
  };
  q.rules.forEach((r, i) => {
    v[`rule${i}_count`] = r.count;
    v[`rule${i}_topics`] = r.topics;
  });
  return v;
}

/** The builder form's values from a posted body, lists kept as lists. */
function postedValues(body: unknown): Record<string, unknown> {
  const b = (body ?? {}) as Record<string, unknown>;
  const v: Record<string, unknown> = { ...formValues(body) };
  const asList = (x: unknown) => (Array.isArray(x) ? x : x === undefined ? [] : [x]);
  for (const k of ['bankIds', 'questionIds', 'classIds']) v[k] = asList(b[k]);
  for (let i = 0; i < RULE_ROWS; i++) v[`rule${i}_topics`] = asList(b[`rule${i}_topics`]);
  v.shuffleQuestions = b.shuffleQuestions === 'on';
  v.shuffleChoices = b.shuffleChoices === 'on';
  return v;
}

const DEFAULT_VALUES = {
  mode: 'pick',
  attemptsAllowed: '1',
  gradingMethod: 'highest',
  feedbackTiming: 'immediately',
  reviewShows: 'explanations',
  shuffleQuestions: false,
  shuffleChoices: false,
};

/** Routes for quizzes: the builder, assignment, attempts (autosave, timing, submit) and reviews. */
export function createQuizzesRouter(deps: RouteDeps): Router {
  const router = Router();

  async function renderBuilder(req: Request, res: Response, opts: { quiz?: QuizView; values: Record<string, unknown>; errors?: Record<string, string>; message?: string; status?: number }) {
    const query = builderQuery.parse(req.query);
    const chosen = query.banks.length ? query.banks : ((opts.values.bankIds as string[] | undefined) ?? opts.quiz?.bankIds ?? []);
    const data = await builderData(req.user!, chosen, query.topics);
    res.status(opts.status ?? 200).render('quizzes/builder', {
      ...pageLocals,
      title: opts.quiz ? `Edit ${opts.quiz.title}` : 'Build a quiz',
      quiz: opts.quiz ?? null,
      data,
      filterTopics: query.topics,
      values: opts.values,
      errors: opts.errors ?? {},
      message: opts.message,
      RULE_ROWS,
      GRADING_METHODS,
      FEEDBACK_TIMINGS,
      REVIEW_LEVELS,
    });
  }

  async function saveQuiz(req: Request, res: Response, existing?: QuizView) {
    const parsed = quizForm.safeParse(req.body);
    const values = postedValues(req.body);
    if (!parsed.success) {
      await renderBuilder(req, res, { quiz: existing, values, errors: fieldErrors(parsed.error), message: 'Please correct the fields marked below.', status: 400 });
      return;
    }
    try {
      const input: QuizInput = parsed.data;
      const quiz = existing ? await updateQuiz(req.user!, existing.id, input) : await createQuiz(req.user!, input);
      flash(req, existing ? 'Quiz saved. Attempts already started keep their questions.' : `Quiz "${quiz.title}" created.`);
      res.redirect(303, `/quizzes/${quiz.id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderBuilder(req, res, { quiz: existing, values, errors: err.fields, message: err.message, status: 400 });
    }
  }

  /** GET /quizzes  Instructors: the quizzes they built. Students go to their assigned quizzes. */
  router.get('/quizzes', requireUser, async (req, res) => {
    if (req.user!.role === 'student') return res.redirect('/quizzes/assigned');
    const quizzes = await listOwnQuizzes(req.user!);
    const names = await classNames(quizzes.flatMap((q) => q.classIds));
    res.render('quizzes/index', { ...pageLocals, title: 'Your quizzes', quizzes, names });
  });

  /** GET /quizzes/assigned  A student's assigned quizzes, each with its state and score as the review settings allow. */
  router.get('/quizzes/assigned', requireUser, async (req, res) => {
    const quizzes = await listAssigned(req.user!, deps.clock());
    res.render('quizzes/assigned', { ...pageLocals, title: 'Assigned quizzes', quizzes });
  });

  /** GET /quizzes/new  The quiz builder; ?banks=…&topics=… choose which questions it lists. */
  router.get('/quizzes/new', requireRole('instructor'), async (req, res) => {
    await renderBuilder(req, res, { values: { ...DEFAULT_VALUES } });
  });

  /** POST /quizzes  Create a quiz. */
  router.post('/quizzes', requireRole('instructor'), async (req, res) => {
    await saveQuiz(req, res);
  });

  /** GET /quizzes/:id  Owner: settings and results. Student of an assigned class: state, attempts, start or resume. */
  router.get('/quizzes/:id', requireUser, async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const caller = req.user!;
    const now = deps.clock();
    if (caller.role !== 'student') {
      const own = await getOwnQuiz(caller, id).catch(() => null);
      if (own) {
        const results = await quizResults(caller, id, now);
        const names = await classNames(own.classIds);
        res.render('quizzes/owner', { ...pageLocals, title: own.title, quiz: own, results, names });
        return;
      }
    }
    const quiz = await getStudentQuiz(caller, id, now);
    res.render('quizzes/student', { ...pageLocals, title: quiz.title, quiz, now });
  });

  /** GET /quizzes/:id/edit  The builder for a quiz the caller owns. */
  router.get('/quizzes/:id/edit', requireRole('instructor'), async (req, res) => {
    const quiz = await getOwnQuiz(req.user!, parseInput(objectId, req.params.id));
    await renderBuilder(req, res, { quiz, values: valuesOf(quiz) });
  });

  /** POST /quizzes/:id  Save changes to a quiz. */
  router.post('/quizzes/:id', requireRole('instructor'), async (req, res) => {
    const quiz = await getOwnQuiz(req.user!, parseInput(objectId, req.params.id));
    await saveQuiz(req, res, quiz);
  });

  /** POST /quizzes/:id/attempts  Start an attempt (or resume the one in progress) and go to its first question. */
  router.post('/quizzes/:id/attempts', requireUser, async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    try {
      const { attemptId, resumed } = await startAttempt(req.user!, id, deps.clock());
      if (resumed) flash(req, 'You already had this attempt in progress; carry on where you left off.');
      res.redirect(303, `/attempts/${attemptId}`);
    } catch (err) {
      if (!(err instanceof ConflictError) || wantsJson(req)) throw err;
      flash(req, err.message);
      res.redirect(303, `/quizzes/${id}`);
    }
  });

  async function renderSlot(req: Request, res: Response, attemptId: string, n: number, extra: { status?: number; message?: string; response?: unknown } = {}) {
    const now = deps.clock();
    const taking = await getAttemptForTaking(req.user!, attemptId, now);
    if (taking.submitted) {
      if (taking.submittedBy === 'deadline') flash(req, 'Time is up: your attempt was submitted with the answers you had saved.');
      res.redirect(303, `/attempts/${attemptId}/review`);
      return;
    }
    const view = taking.view;
    const slot = view.slots[n - 1];
    if (!slot) {
      res.redirect(303, n > view.slots.length ? `/attempts/${attemptId}/summary` : `/attempts/${attemptId}/slots/1`);
      return;
    }
    res.status(extra.status ?? 200).render('quizzes/attempt', {
      ...pageLocals,
      title: `Question ${n} · ${view.quizTitle}`,
      attempt: view,
      slot,
      response: extra.response ?? slot.response,
      message: extra.message,
      now,
      graceMs: GRACE_MS,
    });
  }

  /** GET /attempts/:id  Resume an attempt at its first unanswered question. */
  router.get('/attempts/:id', requireUser, async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const taking = await getAttemptForTaking(req.user!, id, deps.clock());
    if (taking.submitted) return res.redirect(303, `/attempts/${id}/review`);
    const next = taking.view.slots.find((s) => !s.answered) ?? taking.view.slots[0]!;
    res.redirect(303, `/attempts/${id}/slots/${next.number}`);
  });

  /** GET /attempts/:id/slots/:n  One question of an attempt in progress (works without JavaScript). */
  router.get('/attempts/:id/slots/:n', requireUser, async (req, res) => {
    await renderSlot(req, res, parseInput(objectId, req.params.id), parseInput(slotNumber, req.params.n));
  });

  const goField = z.union([z.enum(['prev', 'next', 'summary', 'stay']), z.string().regex(/^\d{1,3}$/)]).optional().catch(undefined);

  /**
   * POST /attempts/:id/slots/:n  Save the answer to question n. JSON clients (the autosave script)
   * get `{ saved: true, savedAt }` or a 4xx JSON error; forms go on to the question `go` names.
   */
  router.post('/attempts/:id/slots/:n', requireUser, async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const n = parseInput(slotNumber, req.params.n);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (wantsJson(req)) {
      const raw = body.response && typeof body.response === 'object' ? body.response : body;
      const { savedAt } = await saveAnswer(req.user!, id, n, raw, deps.clock());
      res.json({ saved: true, savedAt: savedAt.toISOString() });
      return;
    }
    try {
      await saveAnswer(req.user!, id, n, body, deps.clock());
    } catch (err) {
      if (err instanceof ValidationError) {
        await renderSlot(req, res, id, n, { status: 400, message: err.message });
        return;
      }
      if (err instanceof ConflictError) {
        flash(req, err.message);
        res.redirect(303, `/attempts/${id}/review`);
        return;
      }
      throw err;
    }
    const go = goField.parse(body.go);
    if (go === 'summary') return res.redirect(303, `/attempts/${id}/summary`);
    const target = go === 'prev' ? n - 1 : go === 'next' || go === undefined ? n + 1 : go === 'stay' ? n : Number(go);
    res.redirect(303, target >= 1 ? `/attempts/${id}/slots/${target}` : `/attempts/${id}/slots/1`);
  });

  /** GET /attempts/:id/summary  Which questions are answered, and the Submit button. */
  router.get('/attempts/:id/summary', requireUser, async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const now = deps.clock();
    const taking = await getAttemptForTaking(req.user!, id, now);
    if (taking.submitted) return res.redirect(303, `/attempts/${id}/review`);
    res.render('quizzes/summary', { ...pageLocals, title: `Submit · ${taking.view.quizTitle}`, attempt: taking.view, now, graceMs: GRACE_MS });
  });

  /** POST /attempts/:id/submit  Submit and grade; a second submit grades nothing and shows the result. */
  router.post('/attempts/:id/submit', requireUser, async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const { alreadySubmitted } = await submitAttempt(req.user!, id, deps.clock());
    if (wantsJson(req)) {
      res.json({ submitted: true, alreadySubmitted });
      return;
    }
    flash(req, alreadySubmitted ? 'This attempt was already submitted.' : 'Your attempt was submitted.');
    res.redirect(303, `/attempts/${id}/review`);
  });

  /** GET /attempts/:id/review  The review, showing exactly what the quiz's settings allow now (everything for the quiz's owner). */
  router.get('/attempts/:id/review', requireUser, async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const review = await getReview(req.user!, id, deps.clock());
    if (review.status === 'in-progress' && !review.asInstructor) return res.redirect(303, `/attempts/${id}`);
    res.render('quizzes/review', { ...pageLocals, title: `Review · ${review.quizTitle}`, review });
  });

  return router;
}

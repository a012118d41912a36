import { Router, type Request, type Response } from 'express';
import { fieldsOf, stringsOf } from '../http/body.ts';
import { z } from 'zod';
import type { RouteDeps } from '../http/route-deps.ts';
import { requireRole, requireUser, signedIn } from '../http/guards.ts';
import { topicLabels } from '../banks/index.ts';
import { parseInput } from '../http/validate.ts';
import { formValues } from '../http/forms.ts';
import { flash } from '../http/flash.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors.ts';
import { fieldErrors } from '../http/validate.ts';
import { objectId, overrideForm, reviewFieldName, slotNumber, RULE_ROWS } from './schemas.ts';
import { classNames, getOwnQuiz, getStudentQuiz, listAssigned, startAttempt, type QuizView } from './service.ts';
import { getAttemptForTaking, saveAnswer, submitAttempt } from './taking-service.ts';
import { getReview, quizResults } from './review-service.ts';
import { builderData, createQuiz, listOwnQuizzes, updateQuiz } from './builder-service.ts';
import { DEFAULT_VALUES, allQuizErrors, filterOf, isListRefresh, postedValues, valuesOf, withZonedDates } from './builder-form.ts';
import { QUESTION_TYPES } from '../questions/definition.ts';
import { GRADING_METHODS, GRADING_METHOD_LABELS } from './grading-method.ts';
import {
  FEEDBACK_TIMINGS,
  FEEDBACK_TIMING_LABELS,
  REVIEW_FLAGS,
  REVIEW_FLAG_LABELS,
  REVIEW_LEVELS,
  REVIEW_LEVEL_LABELS,
  REVIEW_PHASES,
  REVIEW_PHASE_LABELS,
} from './review-policy.ts';
import { ASSIGNMENT_STATE_LABELS, GRACE_MS } from './attempt-state.ts';
import { DEFAULT_TIME_ZONE, formatPercent, formatTime } from '../formatting/index.ts';
import { wantsJson } from '../http/wants-json.ts';
import { addLifecycleRoutes } from './lifecycle-routes.ts';
import { addMarkingRoutes } from './marking-routes.ts';
import { deleteOverride, listOverrides, saveOverride } from './override-service.ts';
import { describeOverride } from './overrides.ts';

/** The zone the signed-in person reads and enters times in. */
const zoneOf = (req: Request) => req.user?.timeZone ?? DEFAULT_TIME_ZONE;
const notOwner = (err: unknown) => {
  if (err instanceof NotFoundError || err instanceof ForbiddenError) return null;
  throw err;
};
const percent = formatPercent;

// formatWhen and inputDate come from res.locals, in the viewer's zone (app.ts).
const pageLocals = {
  percent,
  stateLabels: ASSIGNMENT_STATE_LABELS,
  GRADING_METHOD_LABELS,
  FEEDBACK_TIMING_LABELS,
  REVIEW_LEVEL_LABELS,
  REVIEW_PHASES,
  REVIEW_FLAGS,
  REVIEW_PHASE_LABELS,
  REVIEW_FLAG_LABELS,
  reviewFieldName,
};

/** Routes for quizzes: the builder, assignment, attempts (autosave, timing, submit) and reviews. */
export function createQuizzesRouter(deps: RouteDeps): Router {
  const router = Router();

  async function renderBuilder(
    req: Request,
    res: Response,
    opts: { quiz?: QuizView; values: Record<string, unknown>; errors?: Record<string, string>; message?: string; status?: number },
  ) {
    // A posted builder lists what its own filter fields ask for; a GET, what its query asks.
    const filter = filterOf(req.query, req.method === 'POST' ? req.body : undefined);
    const chosen = filter.banks.length ? filter.banks : (stringsOf(opts.values.bankIds) ?? opts.quiz?.bankIds ?? []);
    const data = await builderData(signedIn(req), chosen, filter);
    const listed = new Set(data.questions.map((q) => q.id));
    res.status(opts.status ?? 200).render('quizzes/builder', {
      ...pageLocals,
      title: opts.quiz ? `Edit ${opts.quiz.title}` : 'Build a quiz',
      quiz: opts.quiz ?? null,
      data,
      topicSlugs: data.topics.map((t) => t.slug),
      topicLabels: topicLabels(data.topics),
      filter,
      // Ticked questions the filter does not list stay ticked (hidden inputs).
      tickedElsewhere: (stringsOf(opts.values.questionIds) ?? []).filter((id) => !listed.has(id)),
      QUESTION_TYPES,
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
    const values = postedValues(req.body);
    if (isListRefresh(req.body)) {
      await renderBuilder(req, res, { quiz: existing, values });
      return;
    }
    const { input, errors } = await allQuizErrors(signedIn(req), withZonedDates(req.body, zoneOf(req)));
    if (!input || Object.keys(errors).length) {
      await renderBuilder(req, res, { quiz: existing, values, errors, message: 'Please correct the fields marked below.', status: 400 });
      return;
    }
    try {
      const quiz = existing ? await updateQuiz(signedIn(req), existing.id, input) : await createQuiz(signedIn(req), input);
      flash(req, existing ? 'Quiz saved. Attempts already started keep their questions.' : `Quiz "${quiz.title}" created.`);
      res.redirect(303, `/quizzes/${quiz.id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderBuilder(req, res, { quiz: existing, values, errors: err.fields, message: err.message, status: 400 });
    }
  }

  async function renderOwner(
    req: Request,
    res: Response,
    quiz: QuizView,
    form: { values?: Record<string, unknown>; errors?: Record<string, string>; message?: string; status?: number } = {},
  ) {
    const caller = signedIn(req);
    const results = await quizResults(caller, quiz.id, deps.clock());
    const names = await classNames(quiz.classIds);
    const overrides = await listOverrides(caller, quiz.id);
    res.status(form.status ?? 200).render('quizzes/owner', {
      ...pageLocals,
      title: quiz.title,
      quiz,
      results,
      names,
      overrides: overrides.map((o) => ({ ...o, text: describeOverride(o, (d) => formatTime(d, zoneOf(req))) })),
      overrideValues: form.values ?? {},
      errors: form.errors ?? {},
      message: form.message,
    });
  }

  /** GET /quizzes  Instructors: the quizzes they built. Students go to their assigned quizzes. */
  router.get('/quizzes', requireUser, async (req, res) => {
    if (signedIn(req).role === 'student') return res.redirect('/quizzes/assigned');
    const quizzes = await listOwnQuizzes(signedIn(req));
    const names = await classNames(quizzes.flatMap((q) => q.classIds));
    res.render('quizzes/index', { ...pageLocals, title: 'Your quizzes', quizzes, names });
  });

  /** GET /quizzes/assigned  A student's assigned quizzes, each with its state and score as the review settings allow. */
  router.get('/quizzes/assigned', requireUser, async (req, res) => {
    const quizzes = await listAssigned(signedIn(req), deps.clock());
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
    const caller = signedIn(req);
    const now = deps.clock();
    if (caller.role !== 'student') {
      // Not theirs (404) or not allowed (403): they may still be a student of it, below.
      const own = await getOwnQuiz(caller, id).catch(notOwner);
      if (own) {
        await renderOwner(req, res, own);
        return;
      }
    }
    const quiz = await getStudentQuiz(caller, id, now);
    res.render('quizzes/student', { ...pageLocals, title: quiz.title, quiz, now });
  });

  /** GET /quizzes/:id/edit  The builder for a quiz the caller owns. */
  router.get('/quizzes/:id/edit', requireRole('instructor'), async (req, res) => {
    const quiz = await getOwnQuiz(signedIn(req), parseInput(objectId, req.params.id));
    await renderBuilder(req, res, { quiz, values: valuesOf(quiz, zoneOf(req)) });
  });

  /** POST /quizzes/:id  Save changes to a quiz. */
  router.post('/quizzes/:id', requireRole('instructor'), async (req, res) => {
    const quiz = await getOwnQuiz(signedIn(req), parseInput(objectId, req.params.id));
    await saveQuiz(req, res, quiz);
  });

  addLifecycleRoutes(router, deps);
  addMarkingRoutes(router, deps);

  /** POST /quizzes/:id/overrides  Set (or replace) the extra time, dates or attempts of one student or class. */
  router.post('/quizzes/:id/overrides', requireRole('instructor'), async (req, res) => {
    const quiz = await getOwnQuiz(signedIn(req), parseInput(objectId, req.params.id));
    const parsed = overrideForm.safeParse(withZonedDates(req.body, zoneOf(req)));
    const values = formValues(req.body);
    if (!parsed.success) {
      await renderOwner(req, res, quiz, {
        values,
        errors: fieldErrors(parsed.error),
        message: 'Please correct the override fields marked below.',
        status: 400,
      });
      return;
    }
    try {
      await saveOverride(signedIn(req), quiz.id, parsed.data);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderOwner(req, res, quiz, { values, errors: err.fields, message: err.message, status: 400 });
      return;
    }
    flash(req, 'Override saved. The server applies it from now on, to attempts started from now.');
    res.redirect(303, `/quizzes/${quiz.id}#overrides-h`);
  });

  /** POST /quizzes/:id/overrides/:overrideId/delete  Remove an override. */
  router.post('/quizzes/:id/overrides/:overrideId/delete', requireRole('instructor'), async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    await deleteOverride(signedIn(req), id, parseInput(objectId, req.params.overrideId));
    flash(req, 'Override removed.');
    res.redirect(303, `/quizzes/${id}#overrides-h`);
  });

  /** POST /quizzes/:id/attempts  Start an attempt (or resume the one in progress) and go to its first question. */
  router.post('/quizzes/:id/attempts', requireUser, async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    try {
      const { attemptId, resumed } = await startAttempt(signedIn(req), id, deps.clock());
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
    const taking = await getAttemptForTaking(signedIn(req), attemptId, now);
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
    const taking = await getAttemptForTaking(signedIn(req), id, deps.clock());
    if (taking.submitted) return res.redirect(303, `/attempts/${id}/review`);
    const next = taking.view.slots.find((s) => !s.answered) ?? taking.view.slots[0]!;
    res.redirect(303, `/attempts/${id}/slots/${next.number}`);
  });

  /** GET /attempts/:id/slots/:n  One question of an attempt in progress (works without JavaScript). */
  router.get('/attempts/:id/slots/:n', requireUser, async (req, res) => {
    await renderSlot(req, res, parseInput(objectId, req.params.id), parseInput(slotNumber, req.params.n));
  });

  const goField = z
    .union([z.enum(['prev', 'next', 'summary', 'stay']), z.string().regex(/^\d{1,3}$/)])
    .optional()
    .catch(undefined);

  /**
   * POST /attempts/:id/slots/:n  Save the answer to question n. JSON clients (the autosave script)
   * get `{ saved: true, savedAt }` or a 4xx JSON error; forms go on to the question `go` names.
   */
  router.post('/attempts/:id/slots/:n', requireUser, async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const n = parseInput(slotNumber, req.params.n);
    const body = fieldsOf(req.body);
    if (wantsJson(req)) {
      const raw = body.response && typeof body.response === 'object' ? body.response : body;
      const { savedAt } = await saveAnswer(signedIn(req), id, n, raw, deps.clock());
      res.json({ saved: true, savedAt: savedAt.toISOString() });
      return;
    }
    try {
      await saveAnswer(signedIn(req), id, n, body, deps.clock());
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
    const taking = await getAttemptForTaking(signedIn(req), id, now);
    if (taking.submitted) return res.redirect(303, `/attempts/${id}/review`);
    res.render('quizzes/summary', { ...pageLocals, title: `Submit · ${taking.view.quizTitle}`, attempt: taking.view, now, graceMs: GRACE_MS });
  });

  /** POST /attempts/:id/submit  Submit and grade; a second submit grades nothing and shows the result. */
  router.post('/attempts/:id/submit', requireUser, async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const { alreadySubmitted } = await submitAttempt(signedIn(req), id, deps.clock());
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
    const review = await getReview(signedIn(req), id, deps.clock());
    if (review.status === 'in-progress' && !review.asInstructor) return res.redirect(303, `/attempts/${id}`);
    res.render('quizzes/review', { ...pageLocals, title: `Review · ${review.quizTitle}`, review });
  });

  return router;
}

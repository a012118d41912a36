import { Router, type Request, type Response } from 'express';
import type { RouteDeps } from '../app.ts';
import { requireUser } from '../http/guards.ts';
import { parseInput } from '../http/validate.ts';
import { renderInvalid } from '../http/forms.ts';
import { ValidationError } from '../http/errors.ts';
import { QUESTION_TYPES, TOPICS, TOPIC_LABELS } from '../questions/index.ts';
import { answerMeta, feedbackParams, objectId, PRACTICE_LENGTHS, startPracticeInput } from './schemas.ts';
import { answerFeedback, answerQuestion, currentQuestion, practiceHome, practiceSummary, retrySessionMisses, startPractice } from './service.ts';

const TYPE_LABELS: Record<(typeof QUESTION_TYPES)[number], string> = {
  mcq: 'Multiple choice',
  multi: 'Multiple answers',
  truefalse: 'True or false',
  short: 'Short answer',
  numeric: 'Numeric',
  cloze: 'Fill in the blanks',
  matching: 'Matching',
  ordering: 'Ordering',
};

/** The set-up form's values as the view reads them (lists kept as lists). */
function setupValues(body: unknown) {
  const b = (body ?? {}) as Record<string, unknown>;
  const asList = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);
  return {
    bankId: typeof b.bankId === 'string' ? b.bankId : '',
    mode: typeof b.mode === 'string' ? b.mode : 'new',
    topics: asList(b.topics),
    types: asList(b.types),
    length: typeof b.length === 'string' ? b.length : '10',
  };
}

/** Routes for practice: set up a session, answer one question per page with immediate feedback, a summary by topic. */
export function createPracticeRouter(deps: RouteDeps): Router {
  const router = Router();
  const rng = Math.random;

  async function renderSetup(req: Request, res: Response, values: ReturnType<typeof setupValues>, status = 200, errors: Record<string, string> = {}, message?: string) {
    const home = await practiceHome(req.user!);
    if (!values.bankId && home.banks[0]) values.bankId = home.banks[0].id;
    res.status(status).render('practice/index', {
      title: 'Practise',
      ...home,
      values,
      errors,
      message,
      topics: TOPICS.map((t) => ({ id: t, label: TOPIC_LABELS[t] })),
      types: QUESTION_TYPES.map((t) => ({ id: t, label: TYPE_LABELS[t] })),
      lengths: PRACTICE_LENGTHS,
    });
  }

  /** GET /practice  Choose a bank, topics, types and a length, or "retry what I missed" / "weakest topics". */
  router.get('/practice', requireUser, async (req, res) => {
    await renderSetup(req, res, setupValues({}));
  });

  /** POST /practice  Start a session and go to its first question. */
  router.post('/practice', requireUser, async (req, res) => {
    const values = setupValues(req.body);
    const parsed = startPracticeInput.safeParse(req.body);
    if (!parsed.success) {
      const home = { errors: {} as Record<string, string> };
      for (const issue of parsed.error.issues) home.errors[String(issue.path[0] ?? '_form')] ??= issue.message;
      await renderSetup(req, res, values, 400, home.errors, 'Please correct the choices marked below.');
      return;
    }
    try {
      const id = await startPractice(req.user!, parsed.data, deps.clock(), rng);
      res.redirect(303, `/practice/${id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderSetup(req, res, values, 400, err.fields, err.message);
    }
  });

  /** GET /practice/:id  The current question (or the summary once all are answered). */
  router.get('/practice/:id', requireUser, async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const current = await currentQuestion(req.user!, id);
    if (!current) {
      res.redirect(`/practice/${id}/summary`);
      return;
    }
    res.render('practice/question', { title: `Question ${current.index + 1} of ${current.total}`, ...current, message: undefined, response: undefined });
  });

  /** POST /practice/:id/answers  Record the answer to the current question, then show its feedback. */
  router.post('/practice/:id/answers', requireUser, async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const meta = parseInput(answerMeta, req.body, 'We could not tell which question this answer is for.');
    try {
      const { index } = await answerQuestion(req.user!, id, { ...meta, body: req.body }, deps.clock());
      res.redirect(303, `/practice/${id}/feedback/${index}`);
    } catch (err) {
      // A response that does not fit the question: show the question again, with the message, as a 400.
      if (!(err instanceof ValidationError) || !err.fields.response) throw err;
      const current = await currentQuestion(req.user!, id);
      if (!current || current.questionId !== meta.questionId) throw err;
      renderInvalid(res, 'practice/question', err, { title: `Question ${current.index + 1} of ${current.total}`, ...current, response: undefined });
    }
  });

  /** GET /practice/:id/feedback/:index  Right or wrong, the correct answer, why, and the source passage. */
  router.get('/practice/:id/feedback/:index', requireUser, async (req, res) => {
    const { id, index } = parseInput(feedbackParams, req.params);
    const feedback = await answerFeedback(req.user!, id, index);
    res.render('practice/feedback', { title: `Question ${index + 1} of ${feedback.total}: feedback`, ...feedback });
  });

  /** GET /practice/:id/summary  The session by topic, with the missed questions and a way to retry them. */
  router.get('/practice/:id/summary', requireUser, async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const summary = await practiceSummary(req.user!, id);
    res.render('practice/summary', { title: 'Practice summary', ...summary });
  });

  /** POST /practice/:id/retry  Start a session of this session's missed questions. */
  router.post('/practice/:id/retry', requireUser, async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const newId = await retrySessionMisses(req.user!, id, deps.clock(), rng);
    res.redirect(303, `/practice/${newId}`);
  });

  return router;
}

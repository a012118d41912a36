import { Router, type Request, type Response } from 'express';
import { fieldsOf } from '../http/body.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { pauseSelfStudyDuringQuiz } from '../http/self-study-pause.ts';
import { requireUser, signedIn } from '../http/guards.ts';
import { parseInput } from '../http/validate.ts';
import { renderInvalid } from '../http/forms.ts';
import { flash } from '../http/flash.ts';
import { QuotaError, ValidationError } from '../http/errors.ts';
import { z } from 'zod';
import { QUESTION_TYPES } from '../questions/index.ts';
import { answerMeta, feedbackParams, objectId, PRACTICE_LENGTHS, startPracticeInput } from './schemas.ts';
import { typedBack } from './typed-back.ts';
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
  essay: 'Essay',
  card: 'Cards (self-rated)',
};

/** The set-up form's values as the view reads them (lists kept as lists). */
function setupValues(body: unknown) {
  const b = fieldsOf(body);
  const asList = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);
  return {
    bankId: typeof b.bankId === 'string' ? b.bankId : '',
    mode: typeof b.mode === 'string' ? b.mode : 'new',
    topics: asList(b.topics),
    types: asList(b.types),
    length: typeof b.length === 'string' ? b.length : '10',
  };
}

/** `?bank=` of the set-up page: which bank's topics to offer. */
const chooseBankQuery = z.object({ bank: objectId.optional().catch(undefined) });

/** Routes for practice: set up a session, answer one question per page with immediate feedback, a summary by topic. */
export function createPracticeRouter(deps: RouteDeps): Router {
  const router = Router();
  // Answers are shown here: not while a quiz that hides its keys is open (quizzes' pausesSelfStudy).
  router.use('/practice', pauseSelfStudyDuringQuiz(deps));
  const rng = Math.random;

  async function renderSetup(
    req: Request,
    res: Response,
    values: ReturnType<typeof setupValues>,
    status = 200,
    errors: Record<string, string> = {},
    message?: string,
  ) {
    const home = await practiceHome(signedIn(req));
    // The topics offered are the chosen bank's own (the first bank's until one is chosen).
    const chosen = home.banks.find((b) => b.id === values.bankId) ?? home.banks[0];
    if (chosen) values.bankId = chosen.id;
    res.status(status).render('practice/index', {
      title: 'Practise',
      ...home,
      values,
      errors,
      message,
      chosenBank: chosen ?? null,
      topics: (chosen?.topics ?? []).map((t) => ({ id: t.slug, label: t.name })),
      // Essays are marked by hand: not offered in practice, which marks each answer at once.
      types: QUESTION_TYPES.filter((t) => t !== 'essay').map((t) => ({ id: t, label: TYPE_LABELS[t] })),
      lengths: PRACTICE_LENGTHS,
    });
  }

  /** GET /practice?bank=…  Choose a bank, topics, types and a length, or "retry what I missed" / "weakest topics". */
  router.get('/practice', requireUser, async (req, res) => {
    const { bank } = chooseBankQuery.parse(req.query);
    await renderSetup(req, res, { ...setupValues({}), bankId: bank ?? '' });
  });

  /** POST /practice  Start a session and go to its first question. */
  router.post('/practice', requireUser, async (req, res) => {
    const values = setupValues(req.body);
    const parsed = startPracticeInput.safeParse(req.body);
    if (!parsed.success) {
      const home: { errors: Record<string, string> } = { errors: {} };
      for (const issue of parsed.error.issues) home.errors[String(issue.path[0] ?? '_form')] ??= issue.message;
      await renderSetup(req, res, values, 400, home.errors, 'Please correct the choices marked below.');
      return;
    }
    try {
      const id = await startPractice(signedIn(req), parsed.data, deps.clock(), rng, deps.config.practiceQuota);
      res.redirect(303, `/practice/${id}`);
    } catch (err) {
      if (err instanceof QuotaError) {
        await renderSetup(req, res, values, 429, {}, err.message);
        return;
      }
      if (!(err instanceof ValidationError)) throw err;
      await renderSetup(req, res, values, 400, err.fields, err.message);
    }
  });

  /** GET /practice/:id  The current question (or the summary once all are answered). */
  router.get('/practice/:id', requireUser, async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const current = await currentQuestion(signedIn(req), id);
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
      const { index, recorded } = await answerQuestion(signedIn(req), id, { ...meta, body: req.body }, deps.clock(), deps.config.practiceQuota);
      // Back or a second tab sends an answered question again: say that the first answer stands.
      if (!recorded) flash(req, 'You had already answered this question, so that answer was not recorded. Here is the answer you gave first.');
      res.redirect(303, `/practice/${id}/feedback/${index}`);
    } catch (err) {
      // A response that does not fit the question: show the question again, with the message, as a 400.
      if (!(err instanceof ValidationError) || !err.fields.response) throw err;
      const current = await currentQuestion(signedIn(req), id);
      if (!current || current.questionId !== meta.questionId) throw err;
      const q = current.question;
      const response = typedBack(q.type, fieldsOf(req.body), q.type === 'cloze' ? q.blankCount : 0);
      renderInvalid(res, 'practice/question', err, { title: `Question ${current.index + 1} of ${current.total}`, ...current, response });
    }
  });

  /** GET /practice/:id/feedback/:index  Right or wrong, the correct answer, why, and the source passage. */
  router.get('/practice/:id/feedback/:index', requireUser, async (req, res) => {
    const { id, index } = parseInput(feedbackParams, req.params);
    const feedback = await answerFeedback(signedIn(req), id, index);
    res.render('practice/feedback', { title: `Question ${index + 1} of ${feedback.total}: feedback`, ...feedback });
  });

  /** GET /practice/:id/summary  The session by topic, with the missed questions and a way to retry them. */
  router.get('/practice/:id/summary', requireUser, async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const summary = await practiceSummary(signedIn(req), id);
    res.render('practice/summary', { title: 'Practice summary', ...summary });
  });

  /** POST /practice/:id/retry  Start a session of this session's missed questions. */
  router.post('/practice/:id/retry', requireUser, async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const newId = await retrySessionMisses(signedIn(req), id, deps.clock(), rng, deps.config.practiceQuota);
    res.redirect(303, `/practice/${newId}`);
  });

  return router;
}

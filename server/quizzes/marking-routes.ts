import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { RouteDeps } from '../http/route-deps.ts';
import { requireRole, signedIn } from '../http/guards.ts';
import { parseInput } from '../http/validate.ts';
import { fieldsOf } from '../http/body.ts';
import { flash } from '../http/flash.ts';
import { ConflictError, ValidationError } from '../http/errors.ts';
import { wantsJson } from '../http/wants-json.ts';
import { formatPercent } from '../formatting/index.ts';
import { objectId } from './schemas.ts';
import { essayGrading, essayQuestions, saveEssayMarks, type EssayMarkInput } from './essay-grading-service.ts';
import { applyRegrade, regradeDryRun } from './regrade-service.ts';

const fingerprint = z.object({ fingerprint: z.string().regex(/^[0-9a-f]{32}$/, 'The regrade form is out of date: check the dry run again.') });

/** The marks form: `attempt` lists the answers on the page, `mark_<id>` and `comment_<id>` hold what was entered. */
function marksOf(body: unknown): EssayMarkInput[] {
  const b = fieldsOf(body);
  const ids = typeof b.attempt === 'string' ? [b.attempt] : Array.isArray(b.attempt) ? b.attempt : [];
  const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 10_000) : '');
  return ids
    .filter((id): id is string => typeof id === 'string' && objectId.safeParse(id).success)
    .slice(0, 2000)
    .map((id) => ({ attemptId: id, mark: text(b[`mark_${id}`]), comment: text(b[`comment_${id}`]) }));
}

/** The owner's marking of a quiz: essays graded by hand, and regrading after a key is fixed. */
export function addMarkingRoutes(router: Router, deps: RouteDeps): void {
  const renderGrading = async (
    req: Request,
    res: Response,
    quizId: string,
    questionId: string,
    form?: { values: Record<string, string>; errors: Record<string, string>; message: string },
  ) => {
    const view = await essayGrading(signedIn(req), quizId, questionId, deps.clock());
    res.status(form ? 400 : 200).render('quizzes/essay-grading', {
      title: `Mark essays · ${view.quizTitle}`,
      view,
      values: form?.values ?? {},
      errors: form?.errors ?? {},
      message: form?.message ?? null,
    });
  };

  /** GET /quizzes/:id/essays  The essay questions of a quiz with how many answers are marked. */
  router.get('/quizzes/:id/essays', requireRole('instructor'), async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const { quizTitle, questions } = await essayQuestions(signedIn(req), id, deps.clock());
    res.render('quizzes/essays', { title: `Essays · ${quizTitle}`, quizId: id, quizTitle, questions });
  });

  /** GET /quizzes/:id/essays/:questionId  One essay question across every student: each answer with its mark and comment. */
  router.get('/quizzes/:id/essays/:questionId', requireRole('instructor'), async (req, res) => {
    await renderGrading(req, res, parseInput(objectId, req.params.id), parseInput(objectId, req.params.questionId));
  });

  /** POST /quizzes/:id/essays/:questionId  Save the marks and comments entered (all or nothing when one is bad). */
  router.post('/quizzes/:id/essays/:questionId', requireRole('instructor'), async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const questionId = parseInput(objectId, req.params.questionId);
    const inputs = marksOf(req.body);
    try {
      const { saved, stillToMark } = await saveEssayMarks(signedIn(req), id, questionId, inputs, deps.clock());
      if (wantsJson(req)) return void res.json({ saved, stillToMark });
      flash(
        req,
        `Saved ${saved} mark${saved === 1 ? '' : 's'}. ${stillToMark ? `${stillToMark} answer${stillToMark === 1 ? '' : 's'} still to mark.` : 'Every answer to this essay is marked.'}`,
      );
      res.redirect(303, `/quizzes/${id}/essays/${questionId}`);
    } catch (err) {
      if (!(err instanceof ValidationError) || wantsJson(req)) throw err;
      const values = Object.fromEntries(
        inputs.flatMap((i) => [
          [`mark_${i.attemptId}`, i.mark],
          [`comment_${i.attemptId}`, i.comment],
        ]),
      );
      await renderGrading(req, res, id, questionId, { values, errors: err.fields, message: err.message });
    }
  });

  /** GET /quizzes/:id/regrade  The dry run: every mark, score and grade regrading would change. Changes nothing. */
  router.get('/quizzes/:id/regrade', requireRole('instructor'), async (req, res) => {
    const report = await regradeDryRun(signedIn(req), parseInput(objectId, req.params.id), deps.clock());
    if (wantsJson(req)) return void res.json(report);
    res.render('quizzes/regrade', { title: `Regrade · ${report.quizTitle}`, report, percent: formatPercent });
  });

  /** POST /quizzes/:id/regrade  Apply the regrade the dry run showed (409 when it changed since). */
  router.post('/quizzes/:id/regrade', requireRole('instructor'), async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const { fingerprint: shown } = parseInput(fingerprint, fieldsOf(req.body));
    try {
      const report = await applyRegrade(signedIn(req), id, shown, deps.clock());
      if (wantsJson(req)) return void res.json(report);
      flash(
        req,
        `Regraded: ${report.attemptsMoved} attempt${report.attemptsMoved === 1 ? '' : 's'} moved to the new versions; ${report.marks.length} mark${report.marks.length === 1 ? '' : 's'} changed.`,
      );
      res.redirect(303, `/quizzes/${id}`);
    } catch (err) {
      if (!(err instanceof ConflictError) || wantsJson(req)) throw err;
      flash(req, err.message);
      res.redirect(303, `/quizzes/${id}/regrade`);
    }
  });
}

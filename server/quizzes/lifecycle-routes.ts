import type { Router } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { requireRole, signedIn } from '../http/guards.ts';
import { parseInput } from '../http/validate.ts';
import { flash } from '../http/flash.ts';
import { ConflictError } from '../http/errors.ts';
import { wantsJson } from '../http/wants-json.ts';
import { objectId } from './schemas.ts';
import { startPreview } from './preview.ts';
import { archiveQuiz, deleteQuiz, duplicateQuiz, restoreQuiz } from './lifecycle.ts';

/** The owner's actions on a whole quiz: duplicate, delete, archive, restore, and preview it as a student. */
export function addLifecycleRoutes(router: Router, deps: RouteDeps): void {
  /** POST /quizzes/:id/duplicate  Copy a quiz the caller manages (assigned to no class) and open the copy's builder. */
  router.post('/quizzes/:id/duplicate', requireRole('instructor'), async (req, res) => {
    const copy = await duplicateQuiz(signedIn(req), parseInput(objectId, req.params.id));
    flash(req, `Quiz copied as "${copy.title}". Assign it to a class when it is ready.`);
    res.redirect(303, `/quizzes/${copy.id}/edit`);
  });

  /** POST /quizzes/:id/delete  Delete a quiz no student has attempted (409 otherwise: archive it). */
  router.post('/quizzes/:id/delete', requireRole('instructor'), async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    try {
      const { title } = await deleteQuiz(signedIn(req), id);
      flash(req, `Quiz "${title}" deleted.`);
      res.redirect(303, '/quizzes');
    } catch (err) {
      if (!(err instanceof ConflictError) || wantsJson(req)) throw err;
      flash(req, err.message);
      res.redirect(303, `/quizzes/${id}`);
    }
  });

  /** POST /quizzes/:id/archive  Hide a quiz from its students; its results stay in the gradebook. */
  router.post('/quizzes/:id/archive', requireRole('instructor'), async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const { title, submitted } = await archiveQuiz(signedIn(req), id, deps.clock());
    flash(
      req,
      `Quiz "${title}" archived: students no longer see it; its results stay in the gradebook.${submitted ? ` ${submitted} attempt${submitted === 1 ? ' in progress was' : 's in progress were'} submitted with the answers saved.` : ''}`,
    );
    res.redirect(303, `/quizzes/${id}`);
  });

  /** POST /quizzes/:id/restore  Bring an archived quiz back to its students. */
  router.post('/quizzes/:id/restore', requireRole('instructor'), async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const { title } = await restoreQuiz(signedIn(req), id);
    flash(req, `Quiz "${title}" restored: its students see it again.`);
    res.redirect(303, `/quizzes/${id}`);
  });

  /** POST /quizzes/:id/preview  The owner previews the quiz as a student would; nothing is recorded. */
  router.post('/quizzes/:id/preview', requireRole('instructor'), async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    try {
      const { attemptId } = await startPreview(signedIn(req), id, deps.clock());
      res.redirect(303, `/attempts/${attemptId}`);
    } catch (err) {
      if (!(err instanceof ConflictError) || wantsJson(req)) throw err;
      flash(req, err.message);
      res.redirect(303, `/quizzes/${id}`);
    }
  });
}

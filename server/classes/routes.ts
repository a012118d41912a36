import { Router } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { requireRole, requireUser, signedIn } from '../http/guards.ts';
import { parseInput } from '../http/validate.ts';
import { formValues, renderInvalid } from '../http/forms.ts';
import { flash } from '../http/flash.ts';
import { NotFoundError, ValidationError } from '../http/errors.ts';
import { guessLimiters } from '../http/rate-limits.ts';
import { classForm, joinForm, objectId } from './schemas.ts';
import { formatJoinCode } from './join-code.ts';
import { canAuthor } from '../accounts/index.ts';
import { createEnrolRouter } from './enrol-routes.ts';
import {
  archiveClass,
  createClass,
  getVisibleClass,
  joinClass,
  listJoinedClasses,
  listTaughtClasses,
  regenerateJoinCode,
  removeStudent,
  renameClass,
  roster,
  unarchiveClass,
} from './service.ts';

/** Routes for classes: create and share a join code, join with it, the roster. */
export function createClassesRouter(deps: RouteDeps): Router {
  const router = Router();
  const joinGuesses = guessLimiters('join', { limit: deps.config.codeGuessRateLimit, windowMs: deps.config.loginRateWindowMs });

  async function classesPage(req: import('express').Request) {
    const caller = signedIn(req);
    const teaching = canAuthor(caller);
    const taught = teaching ? await listTaughtClasses(caller) : [];
    const joined = await listJoinedClasses(caller);
    // Archived classes leave the main lists for a section of their own, where their results stay reachable.
    return {
      title: 'Classes',
      teaching,
      taught: taught.filter((c) => !c.archivedAt),
      joined: joined.filter((c) => !c.archivedAt),
      archivedTaught: taught.filter((c) => c.archivedAt),
      archivedJoined: joined.filter((c) => c.archivedAt),
      formatJoinCode,
      values: {},
      errors: {},
    };
  }

  /** GET /classes  Instructors: their classes and a form to create one. Students: their classes and a form to join one. */
  router.get('/classes', requireUser, async (req, res) => {
    res.render('classes/index', await classesPage(req));
  });

  /** POST /classes  Create a class (instructors). */
  router.post('/classes', requireRole('instructor'), async (req, res) => {
    const parsed = classForm.safeParse(req.body);
    if (!parsed.success) {
      renderInvalid(res, 'classes/index', parsed.error, { ...(await classesPage(req)), values: formValues(req.body) });
      return;
    }
    const cls = await createClass(signedIn(req), parsed.data.name);
    flash(req, `Class "${cls.name}" created. Share its join code: ${formatJoinCode(cls.joinCode)}.`);
    res.redirect(303, `/classes/${cls.id}`);
  });

  /** POST /classes/join  Join a class with its code (students); wrong codes are rate-limited. */
  router.post('/classes/join', requireUser, ...joinGuesses, async (req, res) => {
    const parsed = joinForm.safeParse(req.body);
    try {
      if (!parsed.success) throw new ValidationError('That is not a join code.', { code: 'A join code is 8 letters and digits, like K7QM-2XPA.' });
      const { cls, alreadyMember } = await joinClass(signedIn(req), parsed.data.code, deps.clock());
      flash(req, alreadyMember ? `You are already in ${cls.name}.` : `You joined ${cls.name}.`);
      res.redirect(303, `/classes/${cls.id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      renderInvalid(res, 'classes/index', err, { ...(await classesPage(req)), values: formValues(req.body) });
    }
  });

  /** GET /classes/:id  Instructor: join code, roster, quizzes assigned. Student: the class and its quizzes. */
  router.get('/classes/:id', requireUser, async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const { cls, teaching } = await getVisibleClass(signedIn(req), id);
    const students = teaching ? await roster(signedIn(req), id) : [];
    const quizzes = await deps.quizzesForClass(id);
    res.render('classes/show', { title: cls.name, cls, teaching, students, quizzes, formatJoinCode });
  });

  /** POST /classes/:id/code  Replace the join code; the old one stops working. */
  router.post('/classes/:id/code', requireRole('instructor'), async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const code = await regenerateJoinCode(signedIn(req), id);
    flash(req, `New join code: ${formatJoinCode(code)}. The old code no longer works.`);
    res.redirect(303, `/classes/${id}`);
  });

  /** POST /classes/:id/name  Rename a class the caller teaches; a bad name re-renders the class page with the message. */
  router.post('/classes/:id/name', requireRole('instructor'), async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const parsed = classForm.safeParse(req.body);
    if (!parsed.success) {
      const { cls, teaching } = await getVisibleClass(signedIn(req), id);
      if (!teaching) throw new NotFoundError('We could not find that class.');
      renderInvalid(res, 'classes/show', parsed.error, {
        title: cls.name,
        cls,
        teaching,
        students: await roster(signedIn(req), id),
        quizzes: await deps.quizzesForClass(id),
        formatJoinCode,
        values: formValues(req.body),
      });
      return;
    }
    const cls = await renameClass(signedIn(req), id, parsed.data.name);
    flash(req, `The class is now called "${cls.name}".`);
    res.redirect(303, `/classes/${id}`);
  });

  /** POST /classes/:id/archive  Archive a class the caller teaches: no new students, no quizzes to take; results stay. */
  router.post('/classes/:id/archive', requireRole('instructor'), async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const { cls, submitted } = await archiveClass(signedIn(req), id, deps.clock(), deps.classArchived);
    const closed = submitted ? ` ${submitted} attempt${submitted === 1 ? ' in progress was' : 's in progress were'} submitted with the answers saved.` : '';
    flash(
      req,
      `"${cls.name}" is archived: its join code admits no one and its quizzes can no longer be taken; the roster, results and gradebook stay.${closed} Unarchive it to bring everything back.`,
    );
    res.redirect(303, `/classes/${id}`);
  });

  /** POST /classes/:id/unarchive  Bring an archived class back as it was. */
  router.post('/classes/:id/unarchive', requireRole('instructor'), async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const cls = await unarchiveClass(signedIn(req), id);
    flash(req, `"${cls.name}" is running again: its join code works and its students can take its quizzes.`);
    res.redirect(303, `/classes/${id}`);
  });

  /** POST /classes/:id/students/:userId/remove  Remove a student from the roster. */
  router.post('/classes/:id/students/:userId/remove', requireRole('instructor'), async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const userId = parseInput(objectId, req.params.userId);
    await removeStudent(signedIn(req), id, userId);
    flash(req, 'The student was removed from the class. Their past attempts are kept.');
    res.redirect(303, `/classes/${id}`);
  });

  router.use(createEnrolRouter(deps));

  return router;
}

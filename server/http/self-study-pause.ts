import type { RequestHandler } from 'express';
import type { RouteDeps } from './route-deps.ts';
import { ForbiddenError } from './errors.ts';

/**
 * Refuses practice and flashcard routes (403, saying why) while the signed-in learner has an
 * attempt open at a quiz that keeps its keys from them: those pages show answers.
 */
export function pauseSelfStudyDuringQuiz(deps: Pick<RouteDeps, 'selfStudyPausedBy' | 'clock'>): RequestHandler {
  return async (req, _res, next) => {
    if (!req.user) return next();
    const quiz = await deps.selfStudyPausedBy(req.user.id, deps.clock());
    if (!quiz) return next();
    next(
      new ForbiddenError(`Practice and flashcards are paused while your quiz "${quiz.title}" is open: they show answers. They open again when you submit it.`),
    );
  };
}

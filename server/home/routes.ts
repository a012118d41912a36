import { Router } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { dueCardCount } from '../study/index.ts';
import { sourceTitles } from '../sources/index.ts';

/** The home page: what Lectern is for visitors; a start page for signed-in users. */
export function createHomeRouter(deps: RouteDeps): Router {
  const router = Router();
  /** GET /  Home; a signed-in user sees how many flashcards are due (one indexed count) and the sources to read. */
  router.get('/', async (req, res) => {
    const [studyDue, sources] = req.user ? await Promise.all([dueCardCount(req.user.id, deps.clock()), sourceTitles()]) : [undefined, []];
    res.render('home/index', { title: req.user ? 'Home' : 'Lectern', studyDue, sources: sources.slice(0, 5) });
  });
  /** GET /about  What Lectern is: static text in the layout, no database access (also the benchmarks' baseline page). */
  router.get('/about', (_req, res) => {
    res.render('home/about', { title: 'About Lectern' });
  });
  return router;
}

import { Router } from 'express';
import type { RouteDeps } from '../app.ts';

/** The home page: what Lectern is for visitors; a start page for signed-in users. */
export function createHomeRouter(_deps: RouteDeps): Router {
  const router = Router();
  /** GET /  Home. */
  router.get('/', (req, res) => {
    res.render('home/index', { title: req.user ? 'Home' : 'Lectern' });
  });
  /** GET /about  What Lectern is: static text in the layout, no database access (also the benchmarks' baseline page). */
  router.get('/about', (_req, res) => {
    res.render('home/about', { title: 'About Lectern' });
  });
  return router;
}

import { Router } from 'express';
import type { RouteDeps } from '../app.ts';

/** The home page: what Lectern is for visitors; a start page for signed-in users. */
export function createHomeRouter(_deps: RouteDeps): Router {
  const router = Router();
  /** GET /  Home. */
  router.get('/', (req, res) => {
    res.render('home/index', { title: req.user ? 'Home' : 'Lectern' });
  });
  return router;
}

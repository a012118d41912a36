import { Router } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { requireUser, signedIn } from '../http/guards.ts';
import { parseInput } from '../http/validate.ts';
import { flash } from '../http/flash.ts';
import { fieldsOf } from '../http/body.ts';
import { applyCardAction, browseCards } from './browse.ts';
import { browseQuery, cardActionParams, type BrowseQuery } from './schemas.ts';

/** The browser's query string for a set of filters (and a page), for links and the way back. */
export function browseQueryString(query: BrowseQuery, page = query.page): string {
  const q = new URLSearchParams();
  if (query.q) q.set('q', query.q);
  if (query.bank) q.set('bank', query.bank);
  if (query.topic) q.set('topic', query.topic);
  if (query.state) q.set('state', query.state);
  if (query.dueBy) q.set('dueBy', query.dueBy.toISOString().slice(0, 10));
  if (page > 1) q.set('page', String(page));
  return q.toString();
}

const DONE: Record<string, string> = {
  suspend: 'Card suspended.',
  unsuspend: 'Card unsuspended.',
  reset: 'Card reset: it is new again.',
  bury: 'Card buried until tomorrow.',
};

/** The card browser: search and filter the learner's cards; suspend, unsuspend, reset or bury one. */
export function createStudyBrowseRouter(deps: RouteDeps): Router {
  const router = Router();

  /** GET /study/browse?q=…&bank=…&topic=…&state=…&dueBy=…&page=…  A page of the learner's cards. */
  router.get('/study/browse', requireUser, async (req, res) => {
    const query = parseInput(browseQuery, req.query, 'Those filters could not be read.');
    const page = await browseCards(signedIn(req), query, deps.clock());
    // Topics are each bank's own: those of the chosen bank, or of every bank (one entry per slug).
    const labels = new Map<string, string>();
    for (const b of page.banks) if (!query.bank || b.id === query.bank) for (const t of b.topics) if (!labels.has(t.slug)) labels.set(t.slug, t.name);
    const topics = [...labels].map(([id, label]) => ({ id, label }));
    res.render('study/browse', {
      title: 'Card browser',
      ...page,
      query,
      topics,
      topicLabels: Object.fromEntries(labels),
      dueByText: query.dueBy ? query.dueBy.toISOString().slice(0, 10) : '',
      here: browseQueryString(query),
      pageUrl: (n: number) => `/study/browse?${browseQueryString(query, n)}`,
    });
  });

  /** POST /study/cards/:id/(suspend|unsuspend|reset|bury)  One action on one of the learner's cards. */
  router.post('/study/cards/:id/:action', requireUser, async (req, res) => {
    const { id, action } = parseInput(cardActionParams, req.params);
    await applyCardAction(signedIn(req), id, action, deps.clock());
    flash(req, DONE[action]!);
    // Back to the same filters and page: re-read from the posted query string, never a raw URL.
    const back = browseQuery.safeParse(Object.fromEntries(new URLSearchParams(String(fieldsOf(req.body).return ?? ''))));
    res.redirect(303, `/study/browse?${back.success ? browseQueryString(back.data) : ''}`);
  });

  return router;
}

import { Router } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { requireUser, signedIn } from '../http/guards.ts';
import { parseInput } from '../http/validate.ts';
import { topicLabel } from '../banks/index.ts';
import { CUSTOM_MODE_LABELS, nextCustomCard } from './custom.ts';
import { customStudyQuery } from './schemas.ts';

/** The fields that carry a custom session from a card's front to its back and its rating. */
export interface CustomCarry {
  mode?: 'ahead' | 'forgotten' | 'topic' | 'passage';
  passage?: string;
  since?: string;
}

/** Where a custom session continues. */
export function customUrl(bank: string, topic: string | undefined, carry: Required<Pick<CustomCarry, 'mode'>> & CustomCarry): string {
  const q = new URLSearchParams({ bank, mode: carry.mode });
  if (topic) q.set('topic', topic);
  if (carry.passage) q.set('passage', carry.passage);
  if (carry.since) q.set('since', carry.since);
  return `/study/custom?${q.toString()}`;
}

/** Custom study: study ahead, cards forgotten this week, a topic or a passage, once the day's cards are done. */
export function createCustomStudyRouter(deps: RouteDeps): Router {
  const router = Router();

  /** GET /study/custom?bank=…&mode=ahead|forgotten|topic|passage[&topic=…|&passage=…]&since=…  The next card of a custom session. */
  router.get('/study/custom', requireUser, async (req, res) => {
    const query = parseInput(customStudyQuery, req.query, 'Choose what to study.');
    // A session begins now: its start goes into the URL, so each card comes once in it.
    if (!query.since) {
      res.redirect(303, customUrl(query.bank, query.topic, { mode: query.mode, passage: query.passage, since: deps.clock().toISOString() }));
      return;
    }
    const custom = { ...query, since: query.since };
    const next = await nextCustomCard(signedIn(req), custom, deps.clock());
    const carry = { mode: query.mode, passage: query.passage ?? '', since: query.since.toISOString() };
    const label = `${CUSTOM_MODE_LABELS[query.mode]}${query.topic ? `: ${topicLabel(next.bank.topics, query.topic)}` : ''}${query.passage ? `: passage ${query.passage}` : ''}`;
    res.render(next.card ? 'study/front' : 'study/custom-done', {
      title: next.card ? 'Flashcard' : 'Custom study finished',
      bank: next.bank,
      card: next.card,
      scope: { bankId: query.bank, topic: query.topic },
      custom: { ...carry, label, left: next.left },
      undo: null,
      counts: null,
      topicLabel: null,
    });
  });

  return router;
}

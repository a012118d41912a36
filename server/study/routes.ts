import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { RouteDeps } from '../app.ts';
import { requireUser } from '../http/guards.ts';
import { parseInput } from '../http/validate.ts';
import { TOPICS, TOPIC_LABELS } from '../questions/index.ts';
import { objectId, rateInput, studyHomeQuery, studyScopeQuery } from './schemas.ts';
import { cardBack, dueCardCount, nextCard, rateCard, studyHome } from './service.ts';
import { isStudyRating } from './schedule.ts';

const backQuery = z.object({
  bank: objectId.optional().catch(undefined),
  topic: z.enum(TOPICS).optional().catch(undefined),
});

/** Where a session continues: the next card of the same bank and topic. */
function sessionUrl(bankId: string, topic?: string): string {
  const q = new URLSearchParams({ bank: bankId });
  if (topic) q.set('topic', topic);
  return `/study/session?${q.toString()}`;
}

/**
 * Puts `res.locals.studyDue` (cards due now) on the home page for a signed-in user: mounted in
 * app.ts just before the home router. One indexed count; other pages are untouched.
 */
export function dueCountsLocals(deps: RouteDeps): RequestHandler {
  return async (req, res, next) => {
    if (req.method !== 'GET' || req.path !== '/' || !req.user) return next();
    res.locals.studyDue = await dueCardCount(req.user.id, deps.clock());
    next();
  };
}

/** Routes for flashcards: choose what to study, the card front, its back with the four ratings, and rating. */
export function createStudyRouter(deps: RouteDeps): Router {
  const router = Router();
  const limit = () => deps.config.newCardsPerDay;
  const topics = TOPICS.map((t) => ({ id: t, label: TOPIC_LABELS[t] }));

  /** GET /study  Banks with their due and new counts; pick a bank and, optionally, a topic. */
  router.get('/study', requireUser, async (req, res) => {
    const { bank } = studyHomeQuery.parse(req.query);
    const home = await studyHome(req.user!, deps.clock(), limit());
    res.render('study/index', { title: 'Flashcards', ...home, selected: bank ?? home.banks[0]?.id ?? '', topics });
  });

  /** GET /study/session?bank=…&topic=…  The front of the next card, or "done for now". */
  router.get('/study/session', requireUser, async (req, res) => {
    const { bank, topic } = parseInput(studyScopeQuery, req.query, 'Choose a question bank to study.');
    const next = await nextCard(req.user!, { bankId: bank, topic }, deps.clock(), limit());
    res.render(next.card ? 'study/front' : 'study/done', {
      title: next.card ? 'Flashcard' : 'Done for now',
      ...next,
      topicLabel: topic ? TOPIC_LABELS[topic] : null,
    });
  });

  /** GET /study/cards/:id  The back: answer, explanation, source, the typed answer checked, and the ratings. */
  router.get('/study/cards/:id', requireUser, async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const { bank, topic } = backQuery.parse(req.query);
    const back = await cardBack(req.user!, id, deps.clock(), req.query);
    res.render('study/back', { title: 'Flashcard: answer', ...back, scopeBank: bank ?? back.bank.id, scopeTopic: topic ?? '', topicLabel: topic ? TOPIC_LABELS[topic] : null });
  });

  /** POST /study/cards/:id/rate  Apply a rating once (a repeat is ignored), then the next card. */
  router.post('/study/cards/:id/rate', requireUser, async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const input = parseInput(rateInput, req.body, 'That rating could not be applied: a rating is Again (1), Hard (2), Good (3) or Easy (4).');
    if (!isStudyRating(input.rating)) throw new Error('unreachable: rateInput bounds the rating');
    await rateCard(req.user!, id, { rating: input.rating, reps: input.reps, lastReview: input.lastReview, body: req.body }, deps.clock());
    res.redirect(303, sessionUrl(input.bank, input.topic));
  });

  return router;
}

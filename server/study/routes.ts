import { Router } from 'express';
import { z } from 'zod';
import type { RouteDeps } from '../http/route-deps.ts';
import { pauseSelfStudyDuringQuiz } from '../http/self-study-pause.ts';
import { requireUser, signedIn } from '../http/guards.ts';
import { parseInput } from '../http/validate.ts';
import { topicSlug } from '../questions/index.ts';
import { topicLabel } from '../banks/index.ts';
import { flash } from '../http/flash.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { customCarry, retentionInput, objectId, rateInput, studyHomeQuery, studyScopeQuery, undoInput } from './schemas.ts';
import { createCustomStudyRouter, customUrl } from './custom-routes.ts';
import { CUSTOM_MODE_LABELS, cardPassages } from './custom.ts';
import { reviewStats } from './stats.ts';
import { OPTIMISE_EVERY_MS, optimiseParameters, parametersView, setDesiredRetention } from './parameters.ts';
import { cardBack, nextCard, rateCard, studyHome } from './service.ts';
import { isStudyRating } from './schedule.ts';
import { createStudyBrowseRouter } from './browse-routes.ts';
import { undoOffer, undoRating, type UndoToken } from './undo.ts';

declare module 'express-session' {
  interface SessionData {
    /** The review log entry of this session's last rating: the one its undo button may undo, once. */
    undoRating?: UndoToken;
  }
}

const backQuery = z.object({
  bank: objectId.optional().catch(undefined),
  topic: topicSlug.optional().catch(undefined),
});

/** Where a session continues: the next card of the same bank and topic. */
function sessionUrl(bankId: string, topic?: string): string {
  const q = new URLSearchParams({ bank: bankId });
  if (topic) q.set('topic', topic);
  return `/study/session?${q.toString()}`;
}

/** Routes for flashcards: choose what to study, the card front, its back with the four ratings, and rating. */
export function createStudyRouter(deps: RouteDeps): Router {
  const router = Router();
  // Answers are shown here: not while a quiz that hides its keys is open (quizzes' pausesSelfStudy).
  router.use('/study', pauseSelfStudyDuringQuiz(deps));
  const limit = () => deps.config.newCardsPerDay;

  /** GET /study  Banks with their due and new counts; pick a bank and, optionally, a topic. */
  router.get('/study', requireUser, async (req, res) => {
    const { bank } = studyHomeQuery.parse(req.query);
    const home = await studyHome(signedIn(req), deps.clock(), limit());
    // The topics offered are the chosen bank's own (the first bank's until one is chosen).
    const chosen = home.banks.find((b) => b.id === bank) ?? home.banks[0];
    const topics = (chosen?.topics ?? []).map((t) => ({ id: t.slug, label: t.name }));
    res.render('study/index', { title: 'Flashcards', ...home, selected: chosen?.id ?? '', chosenBank: chosen ?? null, topics });
  });

  /** GET /study/session?bank=…&topic=…  The front of the next card, or "done for now". */
  router.get('/study/session', requireUser, async (req, res) => {
    const { bank, topic } = parseInput(studyScopeQuery, req.query, 'Choose a question bank to study.');
    const now = deps.clock();
    const next = await nextCard(signedIn(req), { bankId: bank, topic }, now, limit());
    const undo = undoOffer(req.session.undoRating, now, signedIn(req));
    // Done for the day: custom study is offered, with the passages this learner's cards cite.
    const passages = next.card ? [] : await cardPassages(signedIn(req), bank);
    res.render(next.card ? 'study/front' : 'study/done', {
      title: next.card ? 'Flashcard' : 'Done for now',
      ...next,
      undo,
      passages,
      modes: CUSTOM_MODE_LABELS,
      topicLabel: topic ? topicLabel(next.bank.topics, topic) : null,
    });
  });

  /** GET /study/cards/:id  The back: answer, explanation, source, the typed answer checked, and the ratings. */
  router.get('/study/cards/:id', requireUser, async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const { bank, topic } = backQuery.parse(req.query);
    const back = await cardBack(signedIn(req), id, deps.clock(), req.query);
    const custom = customCarry.parse(req.query);
    res.render('study/back', {
      title: 'Flashcard: answer',
      ...back,
      custom: custom.mode ? custom : null,
      scopeBank: bank ?? back.bank.id,
      scopeTopic: topic ?? '',
      topicLabel: topic ? topicLabel(back.bank.topics, topic) : null,
    });
  });

  /** POST /study/cards/:id/rate  Apply a rating once (a repeat is ignored), then the next card. */
  router.post('/study/cards/:id/rate', requireUser, async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const input = parseInput(rateInput, req.body, 'That rating could not be applied: a rating is Again (1), Hard (2), Good (3) or Easy (4).');
    if (!isStudyRating(input.rating)) throw new Error('unreachable: rateInput bounds the rating');
    const rated = await rateCard(signedIn(req), id, { rating: input.rating, reps: input.reps, lastReview: input.lastReview, body: req.body }, deps.clock());
    if (rated.logId) req.session.undoRating = { log: rated.logId, rating: input.rating, at: deps.clock().toISOString() };
    const custom = customCarry.parse(req.body);
    res.redirect(303, custom.mode ? customUrl(input.bank, input.topic, { ...custom, mode: custom.mode }) : sessionUrl(input.bank, input.topic));
  });

  /** POST /study/undo  Undo this session's last rating (once): the card's back again, to rate anew. */
  router.post('/study/undo', requireUser, async (req, res) => {
    const input = parseInput(undoInput, req.body, 'That rating could not be undone.');
    // Consumed before the undo runs: one undo per rating, and never the rating before it.
    if (req.session.undoRating?.log !== input.log) throw new ConflictError('There is nothing to undo: only your last rating can be undone, and only once.');
    delete req.session.undoRating;
    const result = await undoRating(signedIn(req), input.log, deps.clock()).catch((err: unknown) => {
      // This session gave that rating, so if it is gone, a second click or tab undid it first.
      throw err instanceof NotFoundError ? new ConflictError('That rating was already undone.') : err;
    });
    flash(req, result.undone ? 'Rating undone. Rate this card again.' : 'That rating was already undone.');
    const q = new URLSearchParams({ bank: input.bank });
    if (input.topic) q.set('topic', input.topic);
    res.redirect(303, `/study/cards/${result.cardId}?${q.toString()}`);
  });

  /** GET /study/stats  Review statistics: card counts, retention over time, the 30-day forecast. */
  router.get('/study/stats', requireUser, async (req, res) => {
    const caller = signedIn(req);
    const [stats, parameters] = await Promise.all([reviewStats(caller, deps.clock()), parametersView(caller.id)]);
    res.render('study/stats', { title: 'Flashcard statistics', ...stats, parameters });
  });

  /** POST /study/parameters  Set the desired retention (70..97%). */
  router.post('/study/parameters', requireUser, async (req, res) => {
    const { retention } = parseInput(retentionInput, req.body, 'Desired retention is a percentage between 70 and 97.');
    await setDesiredRetention(signedIn(req), retention / 100);
    flash(req, `Desired retention set to ${retention}%.`);
    res.redirect(303, '/study/stats');
  });

  /**
   * POST /study/parameters/optimise  Start optimising the learner's FSRS parameters from their
   * reviews. It runs in the background (the page does not wait); once a day at most.
   */
  router.post('/study/parameters/optimise', requireUser, async (req, res) => {
    const caller = signedIn(req);
    const view = await parametersView(caller.id);
    if (view.reviews < view.minReviews) throw new ConflictError(`Your own parameters need at least ${view.minReviews} reviews; you have ${view.reviews}.`);
    // Rate limit: the service's claim is the guard; this answers the common refusals before starting.
    if (view.running || (view.optimisedAt && deps.clock().getTime() - view.optimisedAt.getTime() < OPTIMISE_EVERY_MS)) {
      throw new ConflictError('Your parameters were optimised in the last day, or are being optimised now.');
    }
    optimiseParameters(caller, deps.clock()).catch((err: unknown) => {
      if (!(err instanceof ConflictError)) deps.logger.error({ err, userId: caller.id }, 'FSRS optimisation failed');
    });
    flash(req, 'Optimising your parameters from your reviews: reload this page in a minute.');
    res.redirect(303, '/study/stats');
  });

  // After the routes above, so that /study/cards/:id/rate is never taken for a browser action.
  router.use(createStudyBrowseRouter(deps));
  router.use(createCustomStudyRouter(deps));
  return router;
}

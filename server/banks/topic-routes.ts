import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { requireRole, signedIn } from '../http/guards.ts';
import { parseInput } from '../http/validate.ts';
import { flash } from '../http/flash.ts';
import { fieldsOf } from '../http/body.ts';
import { ValidationError } from '../http/errors.ts';
import { topicSlug } from '../questions/definition.ts';
import { bankIdParam } from './schemas.ts';
import { topicName } from './topics.ts';
import { bankTopicsPage, changeBankTopics, type TopicChange } from './topics-service.ts';

const nameInput = z.object({ name: topicName });
const moveInput = z.object({ by: z.enum(['up', 'down'], 'Move a topic up or down.') });

/** Routes of a bank's topics page: list, add, rename, reorder, remove (owner or admin; checked in the service). */
export function createBankTopicsRouter(): Router {
  const router = Router();
  const editor = requireRole('instructor');
  const bankId = (req: Request) => parseInput(bankIdParam, req.params.id, 'Not a bank id.');
  const slug = (req: Request) => parseInput(topicSlug, req.params.slug, 'Not a topic of this bank.');

  const render = async (
    req: Request,
    res: Response,
    status = 200,
    extra: { errors?: Record<string, string>; message?: string | null; values?: Record<string, string> } = {},
  ) => {
    const { bank, topics } = await bankTopicsPage(signedIn(req), bankId(req));
    res.status(status).render('banks/topics', { title: `Topics: ${bank.title}`, bank, topics, errors: {}, message: null, values: { name: '' }, ...extra });
  };

  /** Applies a change and goes back to the page, or shows the page again with the reason (400). */
  const apply = async (req: Request, res: Response, change: () => TopicChange, done: string, adding = false) => {
    const id = bankId(req);
    try {
      await changeBankTopics(signedIn(req), id, change());
      flash(req, done);
      res.redirect(303, `/banks/${id}/topics`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const body = fieldsOf(req.body);
      // The add form's field shows its own mistake; a rename's or a removal's shows under the list.
      const errors = adding ? err.fields : { topic: err.fields.name ?? err.fields.topic ?? err.message };
      const typed = adding && typeof body.name === 'string' ? body.name.slice(0, 200) : '';
      await render(req, res, 400, { errors, message: err.message, values: { name: typed } });
    }
  };

  /** GET /banks/:id/topics  The bank's topics, in order, with how many questions use each. */
  router.get('/banks/:id/topics', editor, async (req, res) => {
    await render(req, res);
  });

  /** POST /banks/:id/topics  Add a topic at the end. */
  router.post('/banks/:id/topics', editor, async (req, res) => {
    await apply(req, res, () => ({ kind: 'add', name: parseInput(nameInput, req.body).name }), 'Topic added.', true);
  });

  /** POST /banks/:id/topics/:slug  Rename a topic (its questions keep it). */
  router.post('/banks/:id/topics/:slug', editor, async (req, res) => {
    await apply(req, res, () => ({ kind: 'rename', slug: slug(req), name: parseInput(nameInput, req.body).name }), 'Topic renamed.');
  });

  /** POST /banks/:id/topics/:slug/move  Move a topic one place up or down. */
  router.post('/banks/:id/topics/:slug/move', editor, async (req, res) => {
    await apply(req, res, () => ({ kind: 'move', slug: slug(req), by: parseInput(moveInput, req.body).by === 'up' ? -1 : 1 }), 'Topic moved.');
  });

  /** POST /banks/:id/topics/:slug/delete  Remove a topic no live question uses. */
  router.post('/banks/:id/topics/:slug/delete', editor, async (req, res) => {
    await apply(req, res, () => ({ kind: 'remove', slug: slug(req) }), 'Topic removed.');
  });

  return router;
}

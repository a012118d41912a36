import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { RouteDeps } from '../http/route-deps.ts';
import { requireRole, signedIn } from '../http/guards.ts';
import { parseInput } from '../http/validate.ts';
import { flash } from '../http/flash.ts';
import { ValidationError } from '../http/errors.ts';
import { objectIdSchema } from '../object-ids.ts';
import { bankIdParam } from './schemas.ts';
import { bankSharingPage, shareBank } from './sharing-service.ts';

/** The sharing form: the ticked classes (none: private). */
const sharingInput = z.object({
  classIds: z.preprocess(
    (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
    z.array(objectIdSchema, 'Choose classes from the list.').max(200),
  ),
});

/** Routes of a bank's sharing page: which classes may practise and study it (owner or admin; checked in the service). */
export function createBankSharingRouter(deps: RouteDeps): Router {
  const router = Router();
  const editor = requireRole('instructor');
  const bankId = (req: Request) => parseInput(bankIdParam, req.params.id, 'Not a bank id.');

  const render = async (req: Request, res: Response, status = 200, extra: { errors?: Record<string, string>; message?: string | null } = {}) => {
    const { bank, classes } = await bankSharingPage(signedIn(req), bankId(req));
    res.status(status).render('banks/sharing', { title: `Share: ${bank.title}`, bank, classes, errors: {}, message: null, ...extra });
  };

  /** GET /banks/:id/sharing  The classes the caller teaches, ticked where the bank is shared. */
  router.get('/banks/:id/sharing', editor, async (req, res) => {
    await render(req, res);
  });

  /** POST /banks/:id/sharing  Share with exactly the ticked classes. */
  router.post('/banks/:id/sharing', editor, async (req, res) => {
    const id = bankId(req);
    try {
      const { classIds } = parseInput(sharingInput, req.body);
      const bank = await shareBank(signedIn(req), id, classIds, deps.keyHidingQuizzes);
      const n = bank.sharedWithClassIds.length;
      flash(
        req,
        n ? `Shared with ${n} class${n === 1 ? '' : 'es'}: their students can practise and study it.` : 'The bank is private: no class can practise it.',
      );
      res.redirect(303, `/banks/${id}/sharing`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await render(req, res, 400, { errors: err.fields, message: err.message });
    }
  });

  return router;
}

import { Router, type Request } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { requireRole, requireUser, signedIn } from '../http/guards.ts';
import { formValues, renderInvalid, runForm } from '../http/forms.ts';
import { flash } from '../http/flash.ts';
import { guessLimiters } from '../http/rate-limits.ts';
import { parseInput } from '../http/validate.ts';
import { formatTime } from '../formatting/index.ts';
import { inviteCodeInput, inviteNoteInput, objectIdParam } from './schemas.ts';
import { createInvite, listInvites, redeemInvite, revokeInvite } from './invites.ts';
import { timeZoneOptions } from '../formatting/index.ts';

/** Routes for instructor invites: admins make, list and revoke them; a student redeems one. */
export function createInviteRouter(deps: RouteDeps): Router {
  const router = Router();
  const guesses = guessLimiters('invite', { limit: deps.config.codeGuessRateLimit, windowMs: deps.config.loginRateWindowMs });

  const invitesPage = async (req: Request, extra: Record<string, unknown> = {}) => ({
    title: 'Instructor invites',
    invites: await listInvites(signedIn(req)),
    newCode: null,
    formatTime,
    values: {},
    errors: {},
    message: null,
    ...extra,
  });

  /** GET /admin/invites  Every invite with its state, and a form to make one (admins only). */
  router.get('/admin/invites', requireRole('admin'), async (req, res) => {
    res.render('accounts/admin-invites', await invitesPage(req));
  });

  /** POST /admin/invites  Make a single-use invite; its code is shown on this page once and never again. */
  router.post('/admin/invites', requireRole('admin'), async (req, res) => {
    const parsed = inviteNoteInput.safeParse(req.body);
    if (!parsed.success) return renderInvalid(res, 'accounts/admin-invites', parsed.error, await invitesPage(req, { values: formValues(req.body) }));
    const { code, invite } = await createInvite(signedIn(req), parsed.data.note);
    // Rendered, not redirected: the code is never written to the session or a log.
    res.status(201).render('accounts/admin-invites', await invitesPage(req, { newCode: { code, note: invite.note } }));
  });

  /** POST /admin/invites/:id/revoke  Revoke an unused invite. */
  router.post('/admin/invites/:id/revoke', requireRole('admin'), async (req, res) => {
    await revokeInvite(signedIn(req), parseInput(objectIdParam, req.params.id), deps.clock());
    flash(req, 'The invite was revoked: its code no longer works.');
    res.redirect(303, '/admin/invites');
  });

  /** POST /account/instructor  Become an instructor with an invite an admin gave you (wrong codes are rate-limited). */
  router.post('/account/instructor', requireUser, ...guesses, async (req, res) => {
    const locals = { title: 'Your account', values: formValues(req.body ?? {}, ['code']), timeZoneOptions, errors: {}, message: null };
    const ok = await runForm(res, 'accounts/account', locals, inviteCodeInput, req.body, async ({ code }) => {
      await redeemInvite(signedIn(req), code, deps.clock());
    });
    if (!ok) return;
    flash(req, 'You are now an instructor: you can create classes and banks.');
    res.redirect('/account');
  });

  return router;
}

import { Router, type Request, type Response } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { requireRole, signedIn } from '../http/guards.ts';
import { flash } from '../http/flash.ts';
import { ConflictError } from '../http/errors.ts';
import { wantsJson } from '../http/wants-json.ts';
import { parseInput } from '../http/validate.ts';
import { objectIdParam, setRoleInput, userSearchQuery } from './schemas.ts';
import { setRole } from './service.ts';
import { deleteUser, searchUsers, setDisabled } from './admin-users.ts';
import { adminResetLink, resetPath } from './resets.ts';
import { endAllSessionsOf } from './session-store.ts';
import { linkBase } from './links.ts';

/** Routes for admins over accounts: search, roles, disable, delete, reset links. */
export function createAdminUsersRouter(deps: RouteDeps): Router {
  const router = Router();
  const back = (req: Request) => {
    // Back to the page and search the admin came from (only these two fields, only from our own form).
    const q = typeof req.body?.q === 'string' ? req.body.q.slice(0, 100) : '';
    const page = typeof req.body?.page === 'string' && /^\d{1,6}$/.test(req.body.page) ? req.body.page : '1';
    return `/admin/users?${new URLSearchParams({ q, page }).toString()}`;
  };

  // A refused change (your own account, the last admin, a teacher's classes) is said on the users
  // page the admin came from, under their own navigation, not on an error page.
  const refusedBack = (req: Request, res: Response, err: unknown) => {
    if (!(err instanceof ConflictError) || wantsJson(req)) throw err;
    flash(req, `Nothing was changed: ${err.message}`);
    res.redirect(303, back(req));
  };

  /** GET /admin/users  Users by name, 25 a page; `q` searches names and emails (admins only). */
  router.get('/admin/users', requireRole('admin'), async (req, res) => {
    const { q, page } = parseInput(userSearchQuery, req.query);
    res.render('accounts/admin-users', { title: 'Users', search: await searchUsers(signedIn(req), q, page), me: signedIn(req).id, resetLink: null });
  });

  /** POST /admin/users/:id/role  Change a user's role (admins only). */
  router.post('/admin/users/:id/role', requireRole('admin'), async (req, res) => {
    const id = parseInput(objectIdParam, req.params.id);
    const { role } = parseInput(setRoleInput, req.body);
    const changed = await setRole(signedIn(req), id, role).catch((err: unknown) => refusedBack(req, res, err));
    if (!changed) return;
    flash(req, `${changed.name} is now ${role === 'student' ? 'a' : 'an'} ${role}.`);
    res.redirect(303, back(req));
  });

  /** POST /admin/users/:id/disable  The account cannot sign in, and every session of it ends now. */
  router.post('/admin/users/:id/disable', requireRole('admin'), async (req, res) => {
    const id = parseInput(objectIdParam, req.params.id);
    const user = await setDisabled(signedIn(req), id, true, deps.clock()).catch((err: unknown) => refusedBack(req, res, err));
    if (!user) return;
    await endAllSessionsOf(req, id);
    flash(req, `${user.name}'s account is disabled: they were signed out and cannot sign in.`);
    res.redirect(303, back(req));
  });

  /** POST /admin/users/:id/enable  A disabled account may sign in again. */
  router.post('/admin/users/:id/enable', requireRole('admin'), async (req, res) => {
    const id = parseInput(objectIdParam, req.params.id);
    const user = await setDisabled(signedIn(req), id, false, deps.clock());
    flash(req, `${user.name}'s account is enabled again.`);
    res.redirect(303, back(req));
  });

  /** POST /admin/users/:id/delete  Remove the account; its results stay, anonymised. */
  router.post('/admin/users/:id/delete', requireRole('admin'), async (req, res) => {
    const id = parseInput(objectIdParam, req.params.id);
    const deleted = await deleteUser(signedIn(req), id, deps.clock(), { classesTaughtBy: deps.taughtClassCount, memberDeleted: deps.memberDeleted }).catch(
      (err: unknown) => refusedBack(req, res, err),
    );
    if (!deleted) return;
    await endAllSessionsOf(req, id);
    flash(req, `The account was deleted. Its results stay in gradebooks as "${deleted.label}".`);
    res.redirect(303, back(req));
  });

  /** POST /admin/users/:id/reset-link  A one-time password reset link for the user, shown once. */
  router.post('/admin/users/:id/reset-link', requireRole('admin'), async (req, res) => {
    const id = parseInput(objectIdParam, req.params.id);
    const link = await adminResetLink(signedIn(req), id, deps.clock(), deps.config.resetLinkMs);
    const search = await searchUsers(signedIn(req), typeof req.body?.q === 'string' ? req.body.q : '', 1);
    // Rendered, not redirected: the token is never written to the session or a log.
    res.status(201).render('accounts/admin-users', {
      title: 'Users',
      search,
      me: signedIn(req).id,
      resetLink: { name: link.name, email: link.email, url: linkBase(req, deps.config.publicUrl) + resetPath(link.token), expiresAt: link.expiresAt },
    });
  });

  return router;
}

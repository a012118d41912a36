import { Router, type Request, type Response, type NextFunction } from 'express';
import passport from 'passport';
import type { RouteDeps } from '../app.ts';
import { requireRole, requireUser } from '../http/guards.ts';
import { formValues, renderInvalid, runForm } from '../http/forms.ts';
import { flash } from '../http/flash.ts';
import { loginLimiters, registerLimiters } from '../http/rate-limits.ts';
import { parseInput } from '../http/validate.ts';
import {
  changeNameInput,
  changePasswordInput,
  inviteCodeInput,
  loginInput,
  objectIdParam,
  registerInput,
  setRoleInput,
} from './schemas.ts';
import { changeName, changePassword, listUsers, redeemInstructorInvite, registerUser, setRole } from './service.ts';
import type { Caller } from './roles.ts';
import { DEMO_ACCOUNTS } from './demo-accounts.ts';

/** Only a local path is a safe place to return to after login (no `//host` or `/\host`). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/';
}

function logIn(req: Request, caller: Caller): Promise<void> {
  // Passport 0.7 regenerates the session here, so the id an attacker may have planted is dropped.
  return new Promise((resolve, reject) => req.login(caller, (err) => (err ? reject(err) : resolve())));
}

/** Routes for accounts: register, log in and out, change name and password, admin roles. */
export function createAccountsRouter(deps: RouteDeps): Router {
  const router = Router();
  const limits = { limit: deps.config.loginRateLimit, windowMs: deps.config.loginRateWindowMs };
  const loginLocals = (req: Request) => ({
    title: 'Log in',
    values: formValues(req.body ?? {}, ['password']),
    next: safeNext(req.query.next ?? (req.body as Record<string, unknown> | undefined)?.next),
    demo: deps.config.demo ? DEMO_ACCOUNTS : null,
    errors: {},
    message: null,
  });

  /** GET /login  The sign-in form (with the demo accounts when they exist). */
  router.get('/login', (req, res) => {
    if (req.user) return res.redirect('/');
    res.render('accounts/login', loginLocals(req));
  });

  /** POST /login  Sign in with email and password. */
  router.post('/login', ...loginLimiters(limits), (req: Request, res: Response, next: NextFunction) => {
    const parsed = loginInput.safeParse(req.body);
    if (!parsed.success) return renderInvalid(res, 'accounts/login', parsed.error, loginLocals(req));
    req.body = { ...req.body, email: parsed.data.email };
    passport.authenticate('local', (err: unknown, caller: Caller | false) => {
      if (err) return next(err);
      if (!caller) {
        // One message for an unknown email and a wrong password: no account enumeration.
        res.status(401).render('accounts/login', {
          ...loginLocals(req),
          message: 'That email and password do not match an account.',
        });
        return;
      }
      logIn(req, caller).then(() => {
        flash(req, `Welcome back, ${caller.name}.`);
        res.redirect(safeNext(req.body.next));
      }, next);
    })(req, res, next);
  });

  /** POST /logout  Sign out and destroy the session. */
  router.post('/logout', (req, res, next) => {
    req.logout((err) => {
      if (err) return next(err);
      req.session.destroy((destroyErr) => {
        if (destroyErr) return next(destroyErr);
        res.clearCookie('lectern.sid');
        res.redirect('/login');
      });
    });
  });

  const registerLocals = (req: Request) => ({ title: 'Create an account', values: formValues(req.body ?? {}, ['password']), errors: {}, message: null });

  /** GET /register  The sign-up form. */
  router.get('/register', (req, res) => {
    if (req.user) return res.redirect('/');
    res.render('accounts/register', registerLocals(req));
  });

  /** POST /register  Create a student account and sign in. */
  router.post('/register', ...registerLimiters(limits), async (req, res) => {
    const ok = await runForm(res, 'accounts/register', registerLocals(req), registerInput, req.body, async (input) => {
      const caller = await registerUser(input);
      await logIn(req, caller);
      flash(req, `Welcome to Lectern, ${caller.name}.`);
    });
    if (ok) res.redirect('/');
  });

  const accountLocals = (req: Request, extra: Record<string, unknown> = {}) => ({
    title: 'Your account',
    values: formValues(req.body ?? {}, ['currentPassword', 'newPassword', 'confirmPassword', 'code']),
    inviteEnabled: Boolean(deps.config.instructorInviteCode),
    errors: {},
    message: null,
    ...extra,
  });

  /** GET /account  Name, password and role of the signed-in user. */
  router.get('/account', requireUser, (req, res) => {
    res.render('accounts/account', accountLocals(req, { values: { name: req.user!.name } }));
  });

  /** POST /account/name  Change your display name. */
  router.post('/account/name', requireUser, async (req, res) => {
    const ok = await runForm(res, 'accounts/account', accountLocals(req), changeNameInput, req.body, async ({ name }) => {
      await changeName(req.user!, name);
    });
    if (!ok) return;
    flash(req, 'Your name was changed.');
    res.redirect('/account');
  });

  /** POST /account/password  Change your password (the current one is required). */
  router.post('/account/password', requireUser, async (req, res) => {
    const ok = await runForm(res, 'accounts/account', accountLocals(req), changePasswordInput, req.body, async (input) => {
      await changePassword(req.user!, input.currentPassword, input.newPassword);
    });
    if (!ok) return;
    flash(req, 'Your password was changed.');
    res.redirect('/account');
  });

  /** POST /account/instructor  Become an instructor with the site's invite code. */
  router.post('/account/instructor', requireUser, async (req, res) => {
    const ok = await runForm(res, 'accounts/account', accountLocals(req), inviteCodeInput, req.body, async ({ code }) => {
      await redeemInstructorInvite(req.user!, code, deps.config.instructorInviteCode);
    });
    if (!ok) return;
    flash(req, 'You are now an instructor: you can create classes and banks.');
    res.redirect('/account');
  });

  /** GET /admin/users  Every user and their role (admins only). */
  router.get('/admin/users', requireRole('admin'), async (req, res) => {
    res.render('accounts/admin-users', { title: 'Users', users: await listUsers(req.user!) });
  });

  /** POST /admin/users/:id/role  Change a user's role (admins only). */
  router.post('/admin/users/:id/role', requireRole('admin'), async (req, res) => {
    const id = parseInput(objectIdParam, req.params.id);
    const { role } = parseInput(setRoleInput, req.body);
    const changed = await setRole(req.user!, id, role);
    flash(req, `${changed.name} is now ${role === 'admin' ? 'an admin' : `a ${role}`}.`);
    res.redirect('/admin/users');
  });

  return router;
}

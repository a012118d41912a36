import { Router, type Request, type Response, type NextFunction } from 'express';
import { fieldsOf } from '../http/body.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { requireUser, signedIn } from '../http/guards.ts';
import { formValues, renderInvalid, runForm } from '../http/forms.ts';
import { flash } from '../http/flash.ts';
import { guessLimiters, loginLimiters, registerLimiters } from '../http/rate-limits.ts';
import { changeClockInput, changeNameInput, changePasswordInput, loginInput, registerInput } from './schemas.ts';
import { adoptDetectedTimeZone, changeClock, changeName, changePassword, registerUser } from './service.ts';
import { createInviteRouter } from './invite-routes.ts';
import { createAdminUsersRouter } from './admin-routes.ts';
import { createResetRouter } from './reset-routes.ts';
import { endAllSessionsOf } from './session-store.ts';
import { DEFAULT_DAY_START_HOUR, type Caller } from './roles.ts';
import { DEFAULT_TIME_ZONE, timeZoneOptions } from '../formatting/index.ts';
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
    next: safeNext(req.query.next ?? fieldsOf(req.body).next),
    demo: deps.config.demo ? DEMO_ACCOUNTS : null,
    notice:
      req.query.signedOut === 'everywhere'
        ? 'You were signed out on every device and browser.'
        : req.query.reset === 'done'
          ? 'Your password was changed. Log in with the new one.'
          : null,
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
    deps.passport.authenticate('local', (err: unknown, caller: Caller | false, info?: { message?: string }) => {
      if (err) return next(err);
      if (!caller && info?.message === 'disabled') {
        res
          .status(403)
          .render('accounts/login', { ...loginLocals(req), message: 'This account is disabled. Ask an administrator if you think that is a mistake.' });
        return;
      }
      if (!caller) {
        // One message for an unknown email and a wrong password: no account enumeration.
        res.status(401).render('accounts/login', {
          ...loginLocals(req),
          message: 'That email and password do not match an account.',
        });
        return;
      }
      adoptDetectedTimeZone(caller, parsed.data.timeZone)
        .then((c) => logIn(req, c))
        .then(() => {
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
    // The saved zone and hour stay selected when another form on the page is re-rendered.
    values: {
      timeZone: req.user?.timeZone ?? DEFAULT_TIME_ZONE,
      dayStartHour: String(req.user?.dayStartHour ?? DEFAULT_DAY_START_HOUR),
      ...formValues(req.body ?? {}, ['currentPassword', 'newPassword', 'confirmPassword', 'code']),
    },
    timeZoneOptions,
    errors: {},
    message: null,
    ...extra,
  });

  /** GET /account  Name, password and role of the signed-in user. */
  router.get('/account', requireUser, (req, res) => {
    const me = signedIn(req);
    res.render('accounts/account', accountLocals(req, { values: { ...accountLocals(req).values, name: me.name } }));
  });

  /** POST /account/clock  Choose your time zone and the hour your study day starts. */
  router.post('/account/clock', requireUser, async (req, res) => {
    const ok = await runForm(res, 'accounts/account', accountLocals(req), changeClockInput, req.body, async ({ timeZone, dayStartHour }) => {
      await changeClock(signedIn(req), timeZone, dayStartHour);
    });
    if (!ok) return;
    flash(req, 'Your time zone and study day were saved.');
    res.redirect('/account');
  });

  /** POST /account/name  Change your display name. */
  router.post('/account/name', requireUser, async (req, res) => {
    const ok = await runForm(res, 'accounts/account', accountLocals(req), changeNameInput, req.body, async ({ name }) => {
      await changeName(signedIn(req), name, deps.memberRenamed);
    });
    if (!ok) return;
    flash(req, 'Your name was changed.');
    res.redirect('/account');
  });

  const passwordLimits = guessLimiters('password', limits, { countSuccesses: true });

  /**
   * POST /account/password  Change your password (the current one is required). Every other
   * session of the account ends, and this one continues under a new id.
   */
  router.post('/account/password', requireUser, ...passwordLimits, async (req, res) => {
    const caller = signedIn(req);
    const ok = await runForm(res, 'accounts/account', accountLocals(req), changePasswordInput, req.body, async (input) => {
      await changePassword(caller, input.currentPassword, input.newPassword);
    });
    if (!ok) return;
    await endAllSessionsOf(req, caller.id);
    await logIn(req, caller);
    flash(req, 'Your password was changed. You were signed out everywhere else.');
    res.redirect('/account');
  });

  /** POST /account/sessions/end  Sign out everywhere: every session of the account ends, this one too. */
  router.post('/account/sessions/end', requireUser, async (req, res, next) => {
    await endAllSessionsOf(req, signedIn(req).id);
    req.logout((err) => {
      if (err) return next(err);
      req.session.destroy((destroyErr) => {
        if (destroyErr) return next(destroyErr);
        res.clearCookie('lectern.sid');
        res.redirect(303, '/login?signedOut=everywhere');
      });
    });
  });

  router.use(createInviteRouter(deps));

  router.use(createAdminUsersRouter(deps));
  router.use(createResetRouter(deps));

  return router;
}

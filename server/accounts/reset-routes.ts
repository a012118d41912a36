import { Router, type Request } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { formValues, runForm } from '../http/forms.ts';
import { guessLimiters, registerLimiters } from '../http/rate-limits.ts';
import { forgotInput, resetPasswordInput } from './schemas.ts';
import { activeUserByEmail, issueResetLinks, redeemResetLink, resetPath, resetTarget } from './resets.ts';
import { endAllSessionsOf } from './session-store.ts';

const SENT = 'If an account has that email, we sent it a link to choose a new password. It may take a few minutes; check your spam folder too.';

/** Routes for password resets: "forgot password" by email (with SMTP_URL), and the reset link's form. */
export function createResetRouter(deps: RouteDeps): Router {
  const router = Router();
  const limits = { limit: deps.config.loginRateLimit, windowMs: deps.config.loginRateWindowMs };
  const mailer = deps.mailer;

  const forgotLocals = (req: Request, extra: Record<string, unknown> = {}) => ({
    title: 'Forgot password',
    canMail: Boolean(mailer),
    sent: null,
    values: formValues(req.body ?? {}),
    errors: {},
    message: null,
    ...extra,
  });

  /** GET /forgot  Ask for a reset link by email; without a mail server, who to ask instead. */
  router.get('/forgot', (req, res) => {
    res.render('accounts/forgot', forgotLocals(req));
  });

  /**
   * POST /forgot  Mail a reset link to the account with this email. The answer is the same
   * whether or not the account exists, and comes before the mail is sent (its time tells nothing);
   * every attempt counts against the limit, per email and per IP.
   */
  router.post('/forgot', ...registerLimiters(limits), async (req, res) => {
    if (!mailer) return res.status(404).render('accounts/forgot', forgotLocals(req));
    let email = '';
    const ok = await runForm(res, 'accounts/forgot', forgotLocals(req), forgotInput, req.body, async (input) => {
      email = input.email;
    });
    if (!ok) return;
    res.render('accounts/forgot', forgotLocals(req, { sent: SENT, values: {} }));
    const now = deps.clock();
    void (async () => {
      const user = await activeUserByEmail(email);
      if (!user) return;
      const [link] = await issueResetLinks([user.id], user.id, now, deps.config.resetLinkMs);
      await mailer.sendResetLink(user, deps.config.publicUrl + resetPath(link!.token), link!.expiresAt);
    })().catch((err: unknown) => req.log.error({ err }, 'sending a password reset email failed'));
  });

  const resetLocals = (req: Request, name: string) => ({
    title: 'Choose a new password',
    name,
    token: req.params.token,
    values: {},
    errors: {},
    message: null,
  });

  /** GET /reset/:token  The new-password form of a valid link; 404 for a used, expired or unknown one. */
  router.get('/reset/:token', async (req, res) => {
    const { name } = await resetTarget(String(req.params.token), deps.clock());
    res.render('accounts/reset', resetLocals(req, name));
  });

  /** POST /reset/:token  Set the new password; the link is used up and every session of the account ends. */
  router.post('/reset/:token', ...guessLimiters('reset', limits), async (req, res) => {
    const token = String(req.params.token);
    const { name } = await resetTarget(token, deps.clock());
    let userId = '';
    const ok = await runForm(res, 'accounts/reset', resetLocals(req, name), resetPasswordInput, req.body, async (input) => {
      userId = await redeemResetLink(token, input.newPassword, deps.clock());
    });
    if (!ok) return;
    await endAllSessionsOf(req, userId);
    res.redirect(303, '/login?reset=done');
  });

  return router;
}

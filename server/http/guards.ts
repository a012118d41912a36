import type { RequestHandler } from 'express';
import { ForbiddenError } from './errors.ts';
import type { Role } from '../accounts/roles.ts';

/** Sends a visitor who is not signed in to the login page (or answers 401 to JSON clients). */
export const requireUser: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  if (req.accepts(['html', 'json']) === 'json') {
    res.status(401).json({ error: 'Please sign in.' });
    return;
  }
  res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
};

/** Lets through signed-in users holding one of the roles; admins hold every role. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, res, next) => {
    requireUser(req, res, () => {
      const role = req.user!.role;
      if (role === 'admin' || roles.includes(role)) return next();
      next(new ForbiddenError());
    });
  };
}

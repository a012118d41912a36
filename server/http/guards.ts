import type { Request, RequestHandler } from 'express';
import { wantsJson } from './wants-json.ts';
import { ForbiddenError, UnauthorizedError } from './errors.ts';
// The signed-in user is Express.User, which accounts/roles.ts declares to be its Caller: the edge
// names it through that global and so imports nothing from a feature.
type Caller = Express.User;
type Role = Caller['role'];

/** Sends a visitor who is not signed in to the login page (or answers 401 to JSON clients). */
export const requireUser: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  if (wantsJson(req)) {
    res.status(401).json({ error: 'Please sign in.' });
    return;
  }
  res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
};

/** Lets through signed-in users holding one of the roles; admins hold every role. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, res, next) => {
    requireUser(req, res, () => {
      const role = signedIn(req).role;
      if (role === 'admin' || roles.includes(role)) return next();
      next(new ForbiddenError(roleRefusal(role, roles)));
    });
  };
}

const ROLE_NAMES: Record<Role, [string, string]> = {
  student: ['a student', 'students'],
  instructor: ['an instructor', 'instructors'],
  admin: ['an administrator', 'administrators'],
};

/**
 * What someone refused by a role guard is told. Roles are read fresh on every request, so the
 * usual way to get here with a form in hand is that an administrator changed the account's role
 * after the page was opened (in another tab, or by another administrator): say so, and that
 * nothing was done, rather than a bare "not allowed".
 */
export function roleRefusal(role: Role, allowed: readonly Role[]): string {
  const wanted = allowed.includes('instructor') ? 'instructors' : ROLE_NAMES[allowed[0] ?? 'admin'][1];
  return `This is only for ${wanted}, and your account is ${ROLE_NAMES[role][0]} account now, so nothing was changed. If you had this page open from before, an administrator has since changed your role; ask one if that is a mistake.`;
}

/**
 * The signed-in caller of a request, typed: what a handler behind requireUser or requireRole
 * reads instead of `signedIn(req)`. Without a user it throws (401) rather than pass `undefined` on.
 */
export function signedIn(req: Request): Caller {
  if (!req.user) throw new UnauthorizedError();
  return req.user;
}

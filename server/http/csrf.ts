import type { Request, RequestHandler } from 'express';
import { doubleCsrf } from 'csrf-csrf';

export interface Csrf {
  /** Refuses a state-changing request whose token is missing or wrong (403, "form expired"). */
  protect: RequestHandler;
  /** Puts a token in `res.locals.csrfToken` for the forms a page renders. */
  provideToken: RequestHandler;
}

/**
 * CSRF protection by the signed double-submit pattern (csrf-csrf). The token is bound to the
 * session of a signed-in user, so a token taken before login or from another session is refused.
 */
export function createCsrf(secret: string, secureCookies: boolean): Csrf {
  const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req: Request) => (req.user ? `user:${req.sessionID}` : 'anonymous'),
    cookieName: secureCookies ? '__Host-lectern.x-csrf' : 'lectern.x-csrf',
    cookieOptions: { sameSite: 'lax', secure: secureCookies, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req) => {
      const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
      if (typeof fromBody === 'string') return fromBody;
      const header = req.headers['x-csrf-token'];
      return typeof header === 'string' ? header : undefined;
    },
    errorConfig: { statusCode: 403, message: 'invalid csrf token', code: 'EBADCSRFTOKEN' },
  });
  return {
    protect: doubleCsrfProtection,
    provideToken: (req, res, next) => {
      // Made when a page first reads it: JSON answers and redirects never need one.
      let token: string | undefined;
      Object.defineProperty(res.locals, 'csrfToken', {
        enumerable: true,
        configurable: true,
        get: () => (token ??= generateCsrfToken(req, res)),
      });
      next();
    },
  };
}

/** True for the error csrf-csrf raises on a bad token. */
export function isCsrfError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'EBADCSRFTOKEN';
}

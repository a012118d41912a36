import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { fieldsOf } from './body.ts';
import { isRecord } from '../object-shape.ts';
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
 * Before login it is bound to a random value of this browser (its own cookie), not to a
 * constant: a token an attacker minted in their browser is refused in the victim's, so they
 * cannot post the login form there and sign the victim into the attacker's account.
 */
export function createCsrf(secret: string, secureCookies: boolean): Csrf {
  // __Host- when secure: a sibling subdomain cannot set (toss) it.
  const browserCookie = secureCookies ? '__Host-lectern.browser' : 'lectern.browser';
  const browserOf = (req: Request): string => {
    const cookies: unknown = req.cookies;
    const value = isRecord(cookies) ? cookies[browserCookie] : undefined;
    return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : '';
  };
  /** This browser's value, made (and set as a cookie) the first time a token is needed. */
  const ensureBrowser = (req: Request, res: Response): void => {
    if (browserOf(req)) return;
    const value = randomBytes(32).toString('base64url');
    res.cookie(browserCookie, value, { sameSite: 'lax', secure: secureCookies, httpOnly: true, path: '/' });
    // Read again in this request (the token is made from it) before the browser sends it back.
    const cookies: unknown = req.cookies;
    if (isRecord(cookies)) cookies[browserCookie] = value;
  };
  const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
    getSecret: () => secret,
    // No browser value (a request that never loaded a form): a token cannot match.
    getSessionIdentifier: (req: Request) => (req.user ? `user:${req.sessionID}` : `browser:${browserOf(req) || randomBytes(16).toString('hex')}`),
    cookieName: secureCookies ? '__Host-lectern.x-csrf' : 'lectern.x-csrf',
    cookieOptions: { sameSite: 'lax', secure: secureCookies, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req) => {
      const fromBody = fieldsOf(req.body)._csrf;
      if (typeof fromBody === 'string') return fromBody;
      // A multipart body (a file upload) is read after this check, by the route: its form puts the token in the query.
      if (req.is('multipart/form-data') && typeof req.query._csrf === 'string') return req.query._csrf;
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
        get: () => {
          if (token === undefined) {
            if (!req.user) ensureBrowser(req, res);
            token = generateCsrfToken(req, res);
          }
          return token;
        },
      });
      next();
    },
  };
}

/** True for the error csrf-csrf raises on a bad token. */
export function isCsrfError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 'EBADCSRFTOKEN';
}

import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { wantsJson } from './wants-json.ts';
import { NotFoundError, ValidationError, statusOf } from './errors.ts';
import { isCsrfError } from './csrf.ts';
import type { Logger } from '../logger.ts';
import { isDatabaseUnavailable } from '../mongo-errors.ts';

/** The 404 for any route no router answered. */
export const notFound: RequestHandler = (_req, _res, next) => next(new NotFoundError());

function describe(err: unknown, status: number, showDetails: boolean): { title: string; message: string } {
  if (isCsrfError(err)) {
    return {
      title: 'This form has expired',
      message: 'For your security, forms expire when you sign in or out, or after a while. Go back, reload the page and send it again.',
    };
  }
  if (status === 503) return { title: 'Try again in a moment', message: 'The database is busy or restarting. Please try again in a few seconds.' };
  if (status === 413) return { title: 'Too large', message: 'What you sent is too large. Please send less.' };
  if (status === 400 && !(err instanceof ValidationError)) {
    return { title: 'Bad request', message: 'We could not read what your browser sent. Please reload the page and try again.' };
  }
  if (status >= 500) {
    return {
      title: 'Something went wrong',
      message: showDetails ? String(err instanceof Error ? (err.stack ?? err) : err) : 'An unexpected error happened on our side. Please try again.',
    };
  }
  // Titles say what happened in words; a bare status ("Conflict") tells a person nothing.
  const titles: Record<number, string> = {
    400: 'Please check your input',
    401: 'Please sign in',
    403: 'Not available to your account',
    404: 'Not found',
    409: 'That could not be done',
  };
  return { title: titles[status] ?? 'Error', message: err instanceof Error ? err.message : String(err) };
}

/** The status an error from a body parser or other middleware carries itself (`status` or `statusCode`). */
function ownStatus(err: unknown): unknown {
  if (typeof err !== 'object' || err === null) return undefined;
  if ('status' in err && err.status !== undefined) return err.status;
  return 'statusCode' in err ? err.statusCode : undefined;
}

/** The page the user came from, when it is on this site: where "reload the form" leads. */
function sameOriginReferrer(req: Request): string | null {
  const referer = req.get('referer');
  if (!referer) return null;
  try {
    const url = new URL(referer);
    return url.host === req.get('host') ? url.pathname + url.search : null;
  } catch {
    return null;
  }
}

/**
 * The one error handler: maps domain and HTTP errors to a status and an EJS page, or JSON for
 * JSON clients. `showDetails`: a 500 shows its stack (NODE_ENV=development set explicitly).
 */
export function errorHandler(logger: Logger, showDetails: boolean): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    let status = isCsrfError(err) ? 403 : isDatabaseUnavailable(err) ? 503 : statusOf(err);
    // Errors from body parsers and other middleware carry their own 4xx status.
    const own = ownStatus(err);
    if (status === 500 && typeof own === 'number' && own >= 400 && own < 500) status = own;
    // req.log (pino-http) carries the request id; the app's logger serves when it is absent.
    if (status >= 500) (req.log ?? logger).error({ err, url: req.originalUrl }, 'request failed');
    const { title, message } = describe(err, status, showDetails);
    const fields = err instanceof ValidationError ? err.fields : undefined;
    res.status(status);
    if (status === 503) res.set('Retry-After', '5');
    if (wantsJson(req)) {
      res.json({ error: status >= 500 && !showDetails ? title : message, ...(fields ? { fields } : {}) });
      return;
    }
    res.render('errors/error', { title, message, status, csrfExpired: isCsrfError(err), backUrl: sameOriginReferrer(req) });
  };
}

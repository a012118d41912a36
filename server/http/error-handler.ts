import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { NotFoundError, ValidationError, statusOf } from './errors.ts';
import { isCsrfError } from './csrf.ts';
import type { Logger } from '../logger.ts';

/** The 404 for any route no router answered. */
export const notFound: RequestHandler = (_req, _res, next) => next(new NotFoundError());

function describe(err: unknown, status: number, production: boolean): { title: string; message: string } {
  if (isCsrfError(err)) {
    return {
      title: 'This form has expired',
      message: 'For your security, forms expire when you sign in or out, or after a while. Go back, reload the page and send it again.',
    };
  }
  if (status === 413) return { title: 'Too large', message: 'What you sent is too large. Please send less.' };
  if (status === 400 && !(err instanceof ValidationError)) {
    return { title: 'Bad request', message: 'We could not read what your browser sent. Please reload the page and try again.' };
  }
  if (status >= 500) {
    return { title: 'Something went wrong', message: production ? 'An unexpected error happened on our side. Please try again.' : String((err as Error)?.stack ?? err) };
  }
  const titles: Record<number, string> = { 400: 'Please check your input', 401: 'Please sign in', 403: 'Not allowed', 404: 'Not found', 409: 'Conflict' };
  return { title: titles[status] ?? 'Error', message: (err as Error).message };
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

/** The one error handler: maps domain and HTTP errors to a status and an EJS page, or JSON for JSON clients. */
export function errorHandler(logger: Logger, production: boolean): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    let status = isCsrfError(err) ? 403 : statusOf(err);
    // Errors from body parsers and other middleware carry their own 4xx status.
    const own = (err as { status?: unknown; statusCode?: unknown }).status ?? (err as { statusCode?: unknown }).statusCode;
    if (status === 500 && typeof own === 'number' && own >= 400 && own < 500) status = own;
    if (status >= 500) logger.error({ err, url: req.originalUrl }, 'request failed');
    const { title, message } = describe(err, status, production);
    const fields = err instanceof ValidationError ? err.fields : undefined;
    res.status(status);
    if (req.accepts(['html', 'json']) === 'json') {
      res.json({ error: status >= 500 && production ? title : message, ...(fields ? { fields } : {}) });
      return;
    }
    res.render('errors/error', { title, message, status, csrfExpired: isCsrfError(err), backUrl: sameOriginReferrer(req) });
  };
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger.ts';

/** An incoming X-Request-Id is kept when it looks like an id (a proxy's), never when it could forge a log line. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Static files and the health probe are not worth a log line each. */
const QUIET_PREFIXES = ['/css/', '/js/', '/img/', '/vendor/', '/healthz', '/favicon'];

/** A reset link's token is a password for a while: the log keeps its path without it. */
function withoutSecrets(url: string): string {
  return url.replace(/^\/reset\/[^/?#]+/, '/reset/[token]');
}

/**
 * One log line per request (method, path, status, time taken) with a request id that is also
 * sent back as X-Request-Id, so a user's report can be matched to its line. `req.log` is the
 * logger bound to that id: what a handler logs carries it too.
 */
export function requestLog(logger: Logger): RequestHandler {
  const middleware = pinoHttp({
    logger,
    genReqId(req: IncomingMessage, res: ServerResponse) {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    autoLogging: { ignore: (req) => QUIET_PREFIXES.some((p) => (req.url ?? '').startsWith(p)) },
    customLogLevel(_req, res, err) {
      if (err || res.statusCode >= 500) return 'error';
      return res.statusCode >= 400 ? 'warn' : 'info';
    },
    // Headers stay out of the log: they carry the session cookie and the CSRF token.
    serializers: {
      req: (req: { id: unknown; method: string; url: string; originalUrl?: string }) => ({
        id: req.id,
        method: req.method,
        url: withoutSecrets(req.originalUrl ?? req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    wrapSerializers: false,
  });
  return (req, res, next) => middleware(req, res, next);
}

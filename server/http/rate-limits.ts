import type { Request, RequestHandler } from 'express';
import { fieldsOf } from './body.ts';
import { wantsJson } from './wants-json.ts';
import { isRecord } from '../object-shape.ts';
import { rateLimit, ipKeyGenerator, type Options } from 'express-rate-limit';

interface LimitSettings {
  limit: number;
  windowMs: number;
}

function emailKey(req: Request): string {
  const email = fieldsOf(req.body).email;
  return typeof email === 'string' && email.trim() ? `account:${email.trim().toLowerCase().slice(0, 254)}` : `ip:${ipKeyGenerator(req.ip ?? '')}`;
}

const tooMany: Options['handler'] = (req, res) => {
  // express-rate-limit sets req.rateLimit without declaring it on Express's Request.
  const info = 'rateLimit' in req && isRecord(req.rateLimit) ? req.rateLimit : undefined;
  const retryAt = info?.resetTime instanceof Date ? info.resetTime : new Date(Date.now() + 60_000);
  const minutes = Math.max(1, Math.ceil((retryAt.getTime() - Date.now()) / 60_000));
  res.status(429);
  const message = `Too many attempts. For your security, please wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`;
  if (wantsJson(req)) {
    res.json({ error: message, retryAfterMinutes: minutes });
    return;
  }
  res.render('errors/error', { title: 'Too many attempts', message, status: 429, csrfExpired: false, backUrl: null });
};

// A whole class often shares one school IP, so an IP gets several accounts' worth of attempts.
const PER_IP_FACTOR = 5;

/**
 * Limits on login: failures counted per account and per IP (a success does not count), so a
 * guesser is slowed whichever of the two they vary.
 */
export function loginLimiters({ limit, windowMs }: LimitSettings): RequestHandler[] {
  const common = { windowMs, skipSuccessfulRequests: true, standardHeaders: 'draft-8', legacyHeaders: false, handler: tooMany } as const;
  return [
    rateLimit({ ...common, limit: limit * PER_IP_FACTOR, keyGenerator: (req) => ipKeyGenerator(req.ip ?? '') }),
    rateLimit({ ...common, limit, keyGenerator: emailKey }),
  ];
}

/** Limits on registration: every attempt counts, per email and per IP. */
export function registerLimiters({ limit, windowMs }: LimitSettings): RequestHandler[] {
  const common = { windowMs, standardHeaders: 'draft-8', legacyHeaders: false, handler: tooMany } as const;
  return [
    rateLimit({ ...common, limit: limit * PER_IP_FACTOR, keyGenerator: (req) => ipKeyGenerator(req.ip ?? '') }),
    rateLimit({ ...common, limit, keyGenerator: emailKey }),
  ];
}

/**
 * Limits on guessing a code (an instructor invite, a class join code) and on checking a
 * password while signed in: failures counted per account and per IP, so a signed-in guesser
 * is stopped whichever they vary; with `countSuccesses`, every attempt counts (a password change
 * costs two argon2 runs even when it succeeds). `what` keeps each form's count apart.
 */
export function guessLimiters(what: string, { limit, windowMs }: LimitSettings, { countSuccesses = false } = {}): RequestHandler[] {
  const common = { windowMs, skipSuccessfulRequests: !countSuccesses, standardHeaders: 'draft-8', legacyHeaders: false, handler: tooMany } as const;
  return [
    rateLimit({ ...common, limit: limit * PER_IP_FACTOR, keyGenerator: (req) => `${what}:ip:${ipKeyGenerator(req.ip ?? '')}` }),
    rateLimit({ ...common, limit, keyGenerator: (req) => (req.user ? `${what}:user:${req.user.id}` : `${what}:ip:${ipKeyGenerator(req.ip ?? '')}`) }),
  ];
}

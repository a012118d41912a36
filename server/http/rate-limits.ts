import type { Request, RequestHandler } from 'express';
import { rateLimit, ipKeyGenerator, type Options } from 'express-rate-limit';

interface LimitSettings {
  limit: number;
  windowMs: number;
}

function emailKey(req: Request): string {
  const email = (req.body as Record<string, unknown> | undefined)?.email;
  return typeof email === 'string' && email.trim() ? `account:${email.trim().toLowerCase().slice(0, 254)}` : `ip:${ipKeyGenerator(req.ip ?? '')}`;
}

const tooMany: Options['handler'] = (req, res) => {
  const info = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit;
  const retryAt = info?.resetTime ?? new Date(Date.now() + 60_000);
  const minutes = Math.max(1, Math.ceil((retryAt.getTime() - Date.now()) / 60_000));
  res.status(429);
  const message = `Too many attempts. For your security, please wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`;
  if (req.accepts(['html', 'json']) === 'json') {
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

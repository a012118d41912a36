import type { Request } from 'express';

/**
 * The one rule for "the client wants JSON": it sent JSON (the autosave and timer scripts, whose
 * fetch accepts anything), or it prefers JSON to HTML. Everything else gets a page.
 */
export function wantsJson(req: Request): boolean {
  return req.is('application/json') === 'application/json' || req.accepts(['html', 'json']) === 'json';
}

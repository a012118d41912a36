import type { Request, RequestHandler } from 'express';

declare module 'express-session' {
  interface SessionData {
    flash?: string[];
  }
}

/** Queues a one-time message for the next page the user sees (after a redirect). */
export function flash(req: Request, message: string): void {
  if (!req.session) return;
  (req.session.flash ??= []).push(message);
}

/** Moves queued messages into `res.locals.flash` for the layout, and clears them. */
export const exposeFlash: RequestHandler = (req, res, next) => {
  res.locals.flash = req.session?.flash ?? [];
  if (req.session?.flash) delete req.session.flash;
  next();
};

import type { RequestHandler } from 'express';

/**
 * What a signed-in user sees is theirs alone: no browser or shared cache may keep it (the back
 * button after signing out on a shared computer, or a proxy serving it to the next person).
 */
export const noStoreWhenSignedIn: RequestHandler = (req, res, next) => {
  if (req.user) res.set('Cache-Control', 'no-store');
  next();
};

import type { PassportInstance } from '../http/route-deps.ts';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Request } from 'express';
import { authenticate, findCaller } from './service.ts';
import { callerLoadedWithSession } from './session-store.ts';

/** Registers the email/password strategy and session (de)serialisation on the given Passport. */
export function configurePassport(passport: PassportInstance): void {
  passport.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) => {
      authenticate(email.trim().toLowerCase(), password).then(
        (caller) => (caller === 'disabled' ? done(null, false, { message: 'disabled' }) : done(null, caller ?? false)),
        (err: unknown) => done(err),
      );
    }),
  );
  passport.serializeUser((user, done) => done(null, user.id));
  passport.deserializeUser((req: Request, id: string, done: (err: unknown, user?: Express.User | false) => void) => {
    // A deleted account simply ends the session (false), rather than failing every request.
    const loaded = callerLoadedWithSession(req, id);
    if (loaded !== undefined) return done(null, loaded ?? false);
    findCaller(id).then(
      (caller) => done(null, caller ?? false),
      (err: unknown) => done(err),
    );
  });
}

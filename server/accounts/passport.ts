import type { PassportStatic } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { authenticate, findCaller } from './service.ts';

/** Registers the email/password strategy and session (de)serialisation on the given Passport. */
export function configurePassport(passport: PassportStatic): void {
  passport.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) => {
      authenticate(email.trim().toLowerCase(), password).then(
        (caller) => done(null, caller ?? false),
        (err: unknown) => done(err),
      );
    }),
  );
  passport.serializeUser((user, done) => done(null, user.id));
  passport.deserializeUser((id: string, done) => {
    // A deleted account simply ends the session (false), rather than failing every request.
    findCaller(id).then(
      (caller) => done(null, caller ?? false),
      (err: unknown) => done(err),
    );
  });
}

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import ejs from 'ejs';
import session from 'express-session';
import mongoose from 'mongoose';
import helmet from 'helmet';
import compression from 'compression';
import cookieParser from 'cookie-parser';
import expressLayouts from 'express-ejs-layouts';
import { Passport } from 'passport';
import type { Transport } from 'nodemailer';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { createCsrf } from './http/csrf.ts';
import { exposeFlash } from './http/flash.ts';
import { noStoreWhenSignedIn } from './http/no-store.ts';
import { requestLog } from './http/request-log.ts';
import { errorHandler, notFound } from './http/error-handler.ts';
import { configurePassport } from './accounts/passport.ts';
import { CallerSessionStore } from './accounts/session-store.ts';
import { createAccountsRouter } from './accounts/routes.ts';
import { createHomeRouter } from './home/routes.ts';
import { createSourcesRouter } from './sources/routes.ts';
import { createClassesRouter } from './classes/routes.ts';
import { createQuizzesRouter } from './quizzes/routes.ts';
import { createProgressRouter } from './progress/routes.ts';
import { createBanksRouter } from './banks/routes.ts';
import { createDraftsRouter } from './drafts/routes.ts';
import { listBanks } from './banks/index.ts';
import { createPracticeRouter } from './practice/routes.ts';
import { createStudyRouter } from './study/routes.ts';
import { anonymiseMember, classesTaughtBy, renameMember } from './classes/index.ts';
import { createMailer } from './accounts/mailer.ts';
import { DEFAULT_DAY_START_HOUR } from './accounts/roles.ts';
import { DEFAULT_TIME_ZONE, formatTime, inputDate, richTextHelpers } from './formatting/index.ts';
import { keyHidingQuizzes, quizzesForClass, selfStudyPausedBy, submitOpenAttemptsOfClass } from './quizzes/index.ts';
import type { RouteDeps } from './http/route-deps.ts';
import { AppScope, enterScope } from './app-scope.ts';

export type { RouteDeps } from './http/route-deps.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface AppDeps {
  config: Config;
  logger: Logger;
  /** Answers whether the database is reachable, for /healthz. */
  db: { ping(): Promise<boolean> };
  /** Session store; defaults to connect-mongo on Mongoose's connection (CallerSessionStore). */
  sessionStore?: session.Store;
  /** The current time; tests pass a controlled clock. */
  clock?: () => Date;
  /** Where mail goes instead of SMTP_URL's server (tests pass a transport that keeps each message). */
  mailTransport?: Transport<unknown>;
}

/** Builds the Express app: middleware in order, feature routers, 404, one error handler. No I/O. */
export function createApp(deps: AppDeps): Express {
  const { config, logger } = deps;
  const clock = deps.clock ?? (() => new Date());
  const secure = config.trustProxy;
  const app = express();
  // This app's caches and shared-read loaders (app-scope.ts): every request runs in its scope.
  const scope = new AppScope();
  app.locals.scope = scope;
  // Question text in views: a Markdown subset through the sanitiser (formatting/rich-text.ts), used with <%- %>.
  Object.assign(app.locals, richTextHelpers);
  app.use(enterScope(scope));
  app.use(requestLog(logger));

  app.set('views', path.join(root, 'views'));
  app.set('view engine', 'ejs');
  app.set('layout', 'layout');
  app.set('trust proxy', config.trustProxy ? 1 : false);
  app.disable('x-powered-by');
  // Templates are compiled once: like the server code, they change only with a restart.
  app.set('view cache', true);
  // Includes are written from the views root ('/partials/field'): EJS resolves those without
  // probing the file system, where a relative include costs an existsSync on every render.
  const viewsRoot = path.join(root, 'views');
  app.engine('ejs', (file, locals, done) => ejs.renderFile(file, locals, { root: viewsRoot, cache: true }, done));

  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Scripts and styles live in public/; nothing inline runs.
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'upgrade-insecure-requests': secure ? [] : null,
        },
      },
      strictTransportSecurity: secure,
    }),
  );
  // 64 KiB chunks: a large page (a gradebook) is compressed in a few thread-pool hops, not dozens.
  app.use(compression({ chunkSize: 64 * 1024 }));
  // Static files live under their own prefixes, so other requests never touch the file system.
  const staticOptions = { maxAge: config.env === 'production' ? '1d' : 0 };
  app.use('/css', express.static(path.join(root, 'public/css'), staticOptions));
  app.use('/js', express.static(path.join(root, 'public/js'), staticOptions));
  app.use('/img', express.static(path.join(root, 'public/img'), staticOptions));
  app.use('/vendor', express.static(path.join(root, 'node_modules/chart.js/dist'), { maxAge: '7d' }));

  app.get('/healthz', async (_req, res) => {
    const ok = await deps.db.ping();
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'database unavailable' });
  });

  // A pasted bank is the one large form; it gets its own limit, every other body stays small.
  app.post('/banks/:id/import', express.urlencoded({ extended: false, limit: '3mb', parameterLimit: 50 }));
  // Confirming a CSV enrolment posts the previewed file back (its size is checked by the route).
  app.post('/classes/:id/enrol', express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 10 }));
  app.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 2000 }));
  app.use(express.json({ limit: '200kb' }));
  app.use(cookieParser());
  app.use(
    session({
      name: 'lectern.sid',
      secret: config.sessionSecret,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      store:
        deps.sessionStore ??
        // touchAfter: a rolling session is rewritten at most hourly, not on every request.
        new CallerSessionStore({ client: mongoose.connection.getClient(), dbName: config.dbName, ttlSeconds: 14 * 24 * 3600, touchAfterSeconds: 3600 }),
      cookie: { httpOnly: true, sameSite: 'lax', secure, maxAge: 14 * 24 * 3600 * 1000 },
    }),
  );
  // Passport of this app alone: strategies are registered on it, never on the module's global.
  const passport = new Passport();
  configurePassport(passport);
  app.use(passport.initialize());
  app.use(passport.session());
  app.use(noStoreWhenSignedIn);
  app.use(exposeFlash);

  const csrf = createCsrf(config.sessionSecret, secure);
  app.use(csrf.protect);
  app.use(csrf.provideToken);
  app.use((req, res, next) => {
    res.locals.user = req.user ?? null;
    res.locals.title = 'Lectern';
    res.locals.path = req.path;
    // Every page shows and takes times in the viewer's zone (UTC when signed out or not chosen).
    const zone = req.user?.timeZone ?? DEFAULT_TIME_ZONE;
    res.locals.timeZone = zone;
    res.locals.dayStartHour = req.user?.dayStartHour ?? DEFAULT_DAY_START_HOUR;
    res.locals.formatWhen = (d: Date | null | undefined) => formatTime(d, zone);
    res.locals.inputDate = (d: Date | null | undefined) => inputDate(d, zone);
    next();
  });
  app.use(expressLayouts);

  const routeDeps: RouteDeps = {
    config,
    logger,
    clock,
    passport,
    quizzesForClass,
    classArchived: submitOpenAttemptsOfClass,
    keyHidingQuizzes,
    selfStudyPausedBy,
    memberRenamed: renameMember,
    memberDeleted: anonymiseMember,
    taughtClassCount: async (userId) => (await classesTaughtBy(userId)).length,
    mailer: createMailer(config, logger, deps.mailTransport),
    sourcesStudiedBy: async (caller) => (await listBanks(caller)).flatMap((b) => b.sourceIds),
  };
  app.use(createHomeRouter(routeDeps));
  app.use(createAccountsRouter(routeDeps));
  app.use(createSourcesRouter(routeDeps));
  app.use(createBanksRouter(routeDeps));
  app.use(createDraftsRouter(routeDeps));
  app.use(createPracticeRouter(routeDeps));
  app.use(createStudyRouter(routeDeps));
  app.use(createClassesRouter(routeDeps));
  app.use(createQuizzesRouter(routeDeps));
  app.use(createProgressRouter(routeDeps));

  app.use(notFound);
  app.use(errorHandler(logger, config.showErrorDetails));
  return app;
}

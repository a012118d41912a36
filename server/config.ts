import { z } from 'zod';

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,60}$/)
    .default('lectern'),
  MONGODB_POOL_SIZE: z.coerce.number().int().min(1).max(1000).optional(),
  LECTERN_DATA_DIR: z.string().min(1).default('./data'),
  LECTERN_DB_QUARANTINE: bool,
  LECTERN_DB_MEMORY_MB: z.coerce.number().int().min(64).max(65_536).default(1024),
  LECTERN_DB_MAX_TIME_MS: z.coerce.number().int().min(0).max(2_147_483_647).default(30_000),
  // Kept apart from `bool`: unset (undefined) and "0" mean different things here.
  LECTERN_DEMO: z.enum(['1', '0', 'true', 'false', 'yes', 'no']).optional(),
  LECTERN_ADMIN_EMAIL: z.string().trim().toLowerCase().pipe(z.email()).optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  INSTRUCTOR_INVITE_CODE: z.string().optional(),
  TRUST_PROXY: bool,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(10),
  LOGIN_RATE_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  CODE_GUESS_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(10),
  NEW_CARDS_PER_DAY: z.coerce.number().int().min(0).max(1000).default(20),
  PRACTICE_OPEN_SESSIONS: z.coerce.number().int().min(1).max(10_000).default(20),
  PRACTICE_SESSIONS_PER_DAY: z.coerce.number().int().min(1).max(100_000).default(200),
  PRACTICE_ANSWERS_PER_DAY: z.coerce.number().int().min(1).max(1_000_000).default(2000),
  SOURCE_MAX_MB: z.coerce.number().min(0.01).max(200).default(20),
  SOURCE_MAX_PAGES: z.coerce.number().int().min(1).max(5000).default(300),
  SOURCE_MAX_PASSAGES: z.coerce.number().int().min(1).max(100_000).default(5000),
  SOURCE_READ_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  DRAFT_RUN_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/./, 'must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().trim().min(3).max(200).optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// address' }).optional(),
  RESET_LINK_HOURS: z.coerce.number().int().min(1).max(720).default(72),
  BULK_ENROL_MAX_ROWS: z.coerce.number().int().min(1).max(5000).default(500),
});

export interface Config {
  readonly env: 'development' | 'test' | 'production';
  readonly port: number;
  readonly host: string;
  /** Set: use this MongoDB. Unset: start the embedded server. */
  readonly mongodbUri: string | undefined;
  readonly dbName: string;
  /** Driver connection pool size; unset: 20 on the embedded server, the driver's default on MongoDB. */
  readonly dbPoolSize: number | undefined;
  /** Where the embedded server keeps its data; `null` keeps it in memory (tests). */
  readonly dataDir: string | null;
  /** Start even if some stored documents cannot be read, moving them to the quarantine table. */
  readonly dbQuarantine: boolean;
  /** Heap limit of the embedded server's worker thread (MB): a command past it restarts the worker, not Lectern. */
  readonly dbMemoryLimitMb: number;
  /** Time budget of one embedded-database command without maxTimeMS (ms; 0: none). */
  readonly dbMaxTimeMs: number;
  /** Create the demo instructor and student at start-up (and let them sign in). */
  readonly demo: boolean;
  /** An account made admin at start-up (the first administrator), if it exists. */
  readonly adminEmail: string | undefined;
  /** 500 pages show the stack: only when NODE_ENV=development was set explicitly. */
  readonly showErrorDetails: boolean;
  readonly sessionSecret: string;
  readonly sessionSecretIsEphemeral: boolean;
  readonly trustProxy: boolean;
  readonly logLevel: string;
  readonly loginRateLimit: number;
  readonly loginRateWindowMs: number;
  /** Wrong invite codes and join codes allowed per account per login window (per IP: five times as many). */
  readonly codeGuessRateLimit: number;
  readonly newCardsPerDay: number;
  /** Per-learner practice quotas: unfinished sessions, sessions started and answers stored per day. */
  readonly practiceQuota: { openSessions: number; sessionsPerDay: number; answersPerDay: number };
  /** Limits on a document added as a source: upload size, PDF pages, passages. */
  readonly sourceLimits: { maxBytes: number; maxPages: number; maxPassages: number; timeoutMs: number };
  /** Limits on one drafting run (its worker thread is stopped at either). */
  readonly draftLimits: { timeoutMs: number; memoryMb: number };
  /** SMTP server for "forgot password" mails (unset: no email; an instructor or admin makes reset links). */
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** The address people reach Lectern at, for links in emails (never taken from a request's Host). */
  readonly publicUrl: string | undefined;
  /** How long a password reset link works. */
  readonly resetLinkMs: number;
  /** Most students one CSV enrolment may list. */
  readonly bulkEnrolMaxRows: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment once into a frozen Config; a bad value throws a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv, overrides: Partial<Config> = {}): Config {
  // An empty variable means unset (as `VAR= npm start` intends), not an invalid value.
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.INSTRUCTOR_INVITE_CODE !== undefined) {
    // One shared code made anyone who learnt it an instructor; refuse it rather than ignore it silently.
    throw new ConfigError('Invalid configuration:\n  INSTRUCTOR_INVITE_CODE: no longer supported; an admin makes single-use invites at /admin/invites');
  }
  if (e.NODE_ENV === 'production' && !e.SESSION_SECRET) {
    throw new ConfigError('Invalid configuration:\n  SESSION_SECRET: required in production (at least 32 characters)');
  }
  if (e.SMTP_URL && !e.PUBLIC_URL) {
    // A link built from the request's Host header could point a reset mail at an attacker's site.
    throw new ConfigError('Invalid configuration:\n  PUBLIC_URL: required with SMTP_URL (the address in reset emails, like https://lectern.example.edu)');
  }
  const publicUrl = e.PUBLIC_URL?.replace(/\/+$/, '');
  const config: Config = {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    mongodbUri: e.MONGODB_URI,
    dbName: e.MONGODB_DB,
    dbPoolSize: e.MONGODB_POOL_SIZE,
    dataDir: e.LECTERN_DATA_DIR === ':memory:' ? null : e.LECTERN_DATA_DIR,
    dbQuarantine: e.LECTERN_DB_QUARANTINE,
    dbMemoryLimitMb: e.LECTERN_DB_MEMORY_MB,
    dbMaxTimeMs: e.LECTERN_DB_MAX_TIME_MS,
    // Asked for or refused explicitly: that. Otherwise demo accounts come with the embedded
    // default in development, never in production or on a real MongoDB.
    demo: e.LECTERN_DEMO !== undefined ? ['1', 'true', 'yes'].includes(e.LECTERN_DEMO) : !e.MONGODB_URI && e.NODE_ENV !== 'production',
    adminEmail: e.LECTERN_ADMIN_EMAIL,
    // The default environment is development, but a default must not print stacks to strangers.
    showErrorDetails: given.NODE_ENV === 'development',
    // Without a configured secret, sessions last as long as the process: fine for a laptop.
    sessionSecret: e.SESSION_SECRET ?? randomSecret(),
    sessionSecretIsEphemeral: !e.SESSION_SECRET,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    loginRateWindowMs: e.LOGIN_RATE_WINDOW_MINUTES * 60_000,
    codeGuessRateLimit: e.CODE_GUESS_RATE_LIMIT,
    newCardsPerDay: e.NEW_CARDS_PER_DAY,
    practiceQuota: { openSessions: e.PRACTICE_OPEN_SESSIONS, sessionsPerDay: e.PRACTICE_SESSIONS_PER_DAY, answersPerDay: e.PRACTICE_ANSWERS_PER_DAY },
    sourceLimits: {
      maxBytes: Math.round(e.SOURCE_MAX_MB * 1024 * 1024),
      maxPages: e.SOURCE_MAX_PAGES,
      maxPassages: e.SOURCE_MAX_PASSAGES,
      timeoutMs: e.SOURCE_READ_SECONDS * 1000,
    },
    draftLimits: { timeoutMs: e.DRAFT_RUN_SECONDS * 1000, memoryMb: 1024 },
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM ?? `Lectern <no-reply@${publicUrl ? new URL(publicUrl).hostname : 'localhost'}>`,
    publicUrl,
    resetLinkMs: e.RESET_LINK_HOURS * 3_600_000,
    bulkEnrolMaxRows: e.BULK_ENROL_MAX_ROWS,
    ...overrides,
  };
  return Object.freeze(config);
}

function randomSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
}

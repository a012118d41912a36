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
  MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/).default('lectern'),
  MONGODB_POOL_SIZE: z.coerce.number().int().min(1).max(1000).optional(),
  LECTERN_DATA_DIR: z.string().min(1).default('./data'),
  LECTERN_DEMO: bool,
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  INSTRUCTOR_INVITE_CODE: z.string().min(8, 'must be at least 8 characters').optional(),
  TRUST_PROXY: bool,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(10),
  LOGIN_RATE_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  NEW_CARDS_PER_DAY: z.coerce.number().int().min(0).max(1000).default(20),
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
  /** Create the demo instructor and student at start-up. */
  readonly demo: boolean;
  readonly sessionSecret: string;
  readonly sessionSecretIsEphemeral: boolean;
  readonly instructorInviteCode: string | undefined;
  readonly trustProxy: boolean;
  readonly logLevel: string;
  readonly loginRateLimit: number;
  readonly loginRateWindowMs: number;
  readonly newCardsPerDay: number;
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
  if (e.NODE_ENV === 'production' && !e.SESSION_SECRET) {
    throw new ConfigError('Invalid configuration:\n  SESSION_SECRET: required in production (at least 32 characters)');
  }
  const config: Config = {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    mongodbUri: e.MONGODB_URI,
    dbName: e.MONGODB_DB,
    dbPoolSize: e.MONGODB_POOL_SIZE,
    dataDir: e.LECTERN_DATA_DIR === ':memory:' ? null : e.LECTERN_DATA_DIR,
    // Demo accounts come with the embedded default; on a real MongoDB only when asked for.
    demo: e.MONGODB_URI ? e.LECTERN_DEMO : true,
    // Without a configured secret, sessions last as long as the process: fine for a laptop.
    sessionSecret: e.SESSION_SECRET ?? randomSecret(),
    sessionSecretIsEphemeral: !e.SESSION_SECRET,
    instructorInviteCode: e.INSTRUCTOR_INVITE_CODE,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    loginRateWindowMs: e.LOGIN_RATE_WINDOW_MINUTES * 60_000,
    newCardsPerDay: e.NEW_CARDS_PER_DAY,
    ...overrides,
  };
  return Object.freeze(config);
}

function randomSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
}

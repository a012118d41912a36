import { loadOrCreateCredentials, randomCredentials } from './auth/credentials.ts';
import type { Engine } from './engine/engine.ts';
import type { ConnectionLimits } from './connection.ts';
import { listenWire, type Logger, type WireServer } from './server.ts';
import { socketPathFor, socketUri } from './socket-path.ts';
import { loadEngine } from './storage/load.ts';
import { DATABASE_FILE, openSqliteStore } from './storage/sqlite-store.ts';
import { createMemoryStore } from './storage/store.ts';

/** How to start the embedded server. */
export interface EmbeddedMongoOptions {
  /** Directory for the SQLite file; undefined keeps everything in memory, with no files. */
  dataDir?: string;
  /** TCP port; 0 picks a free one. */
  port?: number;
  /**
   * Unix domain socket to listen on as well. Default: `embedded-mongo.sock` in the data
   * directory (or a short owner-only directory when that path is too long), none in memory;
   * null: none.
   */
  socketPath?: string | null;
  /** Interface to listen on; 127.0.0.1 by default. */
  host?: string;
  logger?: Logger;
  /** How often TTL indexes are swept (MongoDB: 60 s). */
  ttlSweepMs?: number;
  /** How long a connection may sit on half a message before it is closed. */
  partialMessageTimeoutMs?: number;
  /** false: no shortcuts around mingo's general paths (tests run the suite both ways). */
  fastPaths?: boolean;
  /** Freeze stored documents, so code that edits one in place throws (for tests). */
  freezeDocuments?: boolean;
  /** Move documents whose BSON does not parse to the quarantine table and start without them (default: refuse to start, naming them). */
  quarantineUnreadable?: boolean;
  /** Backpressure and buffering limits (connection.ts); each defaults to DEFAULT_CONNECTION_LIMITS. */
  limits?: Partial<ConnectionLimits>;
  /**
   * Milliseconds a command without `maxTimeMS` may run before it fails with MaxTimeMSExpired
   * (50), so that no command holds the database thread for long; 0: no limit. Default 30 000.
   */
  defaultMaxTimeMs?: number;
}

export const DEFAULT_MAX_TIME_MS = 30_000;

/** A running embedded server. */
export interface EmbeddedMongo {
  /** `mongodb://user:password@host:port/?authSource=admin`: TCP, with the credentials, no database name. */
  uri: string;
  /** `uri` with the password masked, for logs. */
  redactedUri: string;
  /** The URI of the Unix socket (`mongodb://%2F...sock/`; no credentials needed), when there is one. */
  socketUri: string | undefined;
  socketPath: string | undefined;
  /** The TCP port (pass it back as `port`, with `socketPath`, to come back on the same addresses). */
  port: number;
  /** Buffered bytes and backpressure counters; only for a server in this thread. */
  stats?: WireServer['stats'];
  close(): Promise<void>;
}

export { startEmbeddedMongoInWorker, type WorkerHostOptions, type WorkerHostedMongo } from './worker-host.ts';

const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Starts the embedded MongoDB-compatible server in this thread. */
export async function startEmbeddedMongo(opts: EmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
  const logger = opts.logger ?? silentLogger;
  const host = opts.host ?? '127.0.0.1';
  const store = opts.dataDir ? openSqliteStore(opts.dataDir) : createMemoryStore();
  let engine: Engine | undefined;
  let wire;
  let credentials;
  try {
    const warn = (msg: string): void => logger.warn({}, msg);
    credentials = opts.dataDir ? loadOrCreateCredentials(opts.dataDir, warn) : randomCredentials();
    const where = opts.dataDir ? `${opts.dataDir}/${DATABASE_FILE}` : 'memory';
    const loadedEngine = loadEngine(store, {
      engineOptions: { fastPaths: opts.fastPaths, freezeDocuments: opts.freezeDocuments },
      quarantine: opts.quarantineUnreadable ?? false,
      where,
      warn: (o, msg) => logger.warn(o, msg),
    });
    engine = loadedEngine.engine;
    const loaded = loadedEngine.documents;
    const socketPath = chooseSocketPath(opts, warn);
    wire = await listenWire(engine, {
      host,
      port: opts.port ?? 0,
      socketPath,
      credentials,
      logger,
      defaultMaxTimeMs: opts.defaultMaxTimeMs ?? DEFAULT_MAX_TIME_MS,
      limits: { ...opts.limits, ...(opts.partialMessageTimeoutMs ? { partialMessageTimeoutMs: opts.partialMessageTimeoutMs } : {}) },
    });
    logger.info({ dataDir: opts.dataDir ?? null, documents: loaded, port: wire.port, socketPath: wire.socketPath ?? null }, 'embedded mongo loaded');
  } catch (err) {
    store.close();
    throw err;
  }
  const running = engine;
  const sweep = setInterval(() => {
    try {
      const removed = running.sweepExpired();
      if (removed > 0) logger.info({ removed }, 'expired documents removed');
    } catch (err) {
      logger.error({ err }, 'TTL sweep failed');
    }
  }, opts.ttlSweepMs ?? 60_000);
  sweep.unref();
  const address = `${host.includes(':') ? `[${host}]` : host}:${wire.port}`;
  const user = encodeURIComponent(credentials.username);
  let closing: Promise<void> | undefined;
  return {
    uri: `mongodb://${user}:${encodeURIComponent(credentials.password)}@${address}/?authSource=admin`,
    redactedUri: `mongodb://${user}:****@${address}/?authSource=admin`,
    socketUri: wire.socketPath ? socketUri(wire.socketPath) : undefined,
    socketPath: wire.socketPath,
    port: wire.port,
    stats: wire.stats,
    close() {
      closing ??= (async () => {
        clearInterval(sweep);
        await wire.close();
        running.close();
      })();
      return closing;
    },
  };
}

/** The socket to listen on: the one asked for, else the data directory's default, else none. */
function chooseSocketPath(opts: EmbeddedMongoOptions, warn: (msg: string) => void): string | undefined {
  if (opts.socketPath !== undefined) return opts.socketPath ?? undefined;
  if (!opts.dataDir) return undefined;
  const chosen = socketPathFor(opts.dataDir);
  if (chosen.reason) warn(`database socket at ${chosen.socketPath}: ${chosen.reason}`);
  return chosen.socketPath;
}

import mongoose from 'mongoose';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { startEmbeddedMongoInWorker, startEmbeddedMongo } from './embedded-mongo/index.ts';
import { registeredModels } from './models.ts';

/** Connections to the embedded server per app process (see connectDatabase). */
export const EMBEDDED_POOL_SIZE = 20;

export interface Database {
  /** The URI the app is connected to (the embedded server's when it runs one). */
  readonly uri: string;
  readonly embedded: boolean;
  /** Answers true when the database responds to a ping. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Connects Mongoose to MONGODB_URI, or starts the embedded MongoDB-compatible server
 * (on disk in the data directory, or in memory when it is null) and connects to that.
 */
export async function connectDatabase(
  config: Pick<Config, 'mongodbUri' | 'dbName' | 'dataDir'> & { dbPoolSize?: number; dbQuarantine?: boolean; dbMemoryLimitMb?: number; dbMaxTimeMs?: number },
  logger: Logger,
  options: { inWorker?: boolean } = {},
): Promise<Database> {
  let embedded: { uri: string; close(): Promise<void> } | undefined;
  let uri: string;
  if (config.mongodbUri) {
    uri = config.mongodbUri;
  } else {
    const serverOptions = {
      dataDir: config.dataDir ?? undefined,
      logger,
      quarantineUnreadable: config.dbQuarantine ?? false,
      defaultMaxTimeMs: config.dbMaxTimeMs,
    };
    // In a worker, under a heap limit: a command that exhausts it restarts the worker, not Lectern.
    const server = options.inWorker
      ? await startEmbeddedMongoInWorker({ ...serverOptions, memoryLimitMb: config.dbMemoryLimitMb })
      : await startEmbeddedMongo(serverOptions);
    embedded = server;
    // The owner-only Unix socket when there is one (no password to keep); else TCP with the credentials.
    uri = server.socketUri ?? server.uri;
    logger.info(
      { tcp: server.redactedUri, socket: server.socketPath ?? null, dataDir: config.dataDir ?? '(memory)' },
      'embedded MongoDB-compatible server started',
    );
  }
  // Fail fast at start-up rather than buffering every query for 10 s.
  mongoose.set('bufferCommands', false);
  mongoose.set('strictQuery', true);
  // The embedded server works through one connection at a time on one thread: a smaller pool
  // queues requests fairly in the driver (p99 under load halved in npm run bench), with the
  // same throughput. A real MongoDB keeps the driver's default unless configured.
  const maxPoolSize = config.dbPoolSize ?? (embedded ? EMBEDDED_POOL_SIZE : undefined);
  // No read retries on the embedded server: it has no other member to fail over to, and the one
  // retry after a worker died of a memory bomb runs the bomb again on the new worker (under load it
  // sat in garbage collection for minutes instead of failing).
  await mongoose.connect(uri, {
    dbName: config.dbName,
    serverSelectionTimeoutMS: 5000,
    ...(maxPoolSize ? { maxPoolSize } : {}),
    ...(embedded ? { retryReads: false } : {}),
  });
  // Create the indexes of every model (models.ts names them all) before serving (createIndexes
  // only adds: an index someone made by hand on a production database is left alone, unlike syncIndexes).
  await Promise.all(registeredModels().map((model) => model.createIndexes()));
  return {
    uri,
    embedded: Boolean(embedded),
    async ping() {
      try {
        const db = mongoose.connection.db;
        // The ping itself says: Mongoose's readyState can stay 'disconnected' after the driver
        // has reconnected on its own (a restarted embedded worker).
        if (!db) return false;
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<false>((resolve) => (timer = setTimeout(resolve, 2000, false)));
        const answered = db
          .admin()
          .ping({ timeoutMS: 2000 })
          .then(
            () => true,
            () => false,
          );
        const ok = await Promise.race([answered, timedOut]);
        clearTimeout(timer);
        return ok;
      } catch {
        return false;
      }
    },
    async close() {
      await mongoose.disconnect();
      await embedded?.close();
    },
  };
}

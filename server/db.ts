import mongoose from 'mongoose';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { startEmbeddedMongoInWorker, startEmbeddedMongo } from './embedded-mongo/index.ts';

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
  config: Pick<Config, 'mongodbUri' | 'dbName' | 'dataDir'> & { dbPoolSize?: number },
  logger: Logger,
  options: { inWorker?: boolean } = {},
): Promise<Database> {
  let embedded: { uri: string; close(): Promise<void> } | undefined;
  let uri: string;
  if (config.mongodbUri) {
    uri = config.mongodbUri;
  } else {
    const start = options.inWorker ? startEmbeddedMongoInWorker : startEmbeddedMongo;
    const server = await start({ dataDir: config.dataDir ?? undefined, logger });
    embedded = server;
    uri = server.uri;
    logger.info({ uri, dataDir: config.dataDir ?? '(memory)' }, 'embedded MongoDB-compatible server started');
  }
  // Fail fast at start-up rather than buffering every query for 10 s.
  mongoose.set('bufferCommands', false);
  mongoose.set('strictQuery', true);
  // The embedded server works through one connection at a time on one thread: a smaller pool
  // queues requests fairly in the driver (p99 under load halved in npm run bench), with the
  // same throughput. A real MongoDB keeps the driver's default unless configured.
  const maxPoolSize = config.dbPoolSize ?? (embedded ? EMBEDDED_POOL_SIZE : undefined);
  await mongoose.connect(uri, { dbName: config.dbName, serverSelectionTimeoutMS: 5000, ...(maxPoolSize ? { maxPoolSize } : {}) });
  // Create the models' indexes before serving (createIndexes only adds: an index someone made
  // by hand on a production database is left alone, unlike syncIndexes).
  await Promise.all(Object.values(mongoose.connection.models).map((model) => model.createIndexes()));
  return {
    uri,
    embedded: Boolean(embedded),
    async ping() {
      try {
        const db = mongoose.connection.db;
        if (!db || mongoose.connection.readyState !== 1) return false;
        await db.admin().ping({ timeoutMS: 2000 });
        return true;
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

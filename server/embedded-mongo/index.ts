import { Worker } from 'node:worker_threads';
import { Engine } from './engine/engine.ts';
import { listenWire, type Logger } from './server.ts';
import { openSqliteStore } from './storage/sqlite-store.ts';
import { createMemoryStore } from './storage/store.ts';

/** How to start the embedded server. */
export interface EmbeddedMongoOptions {
  /** Directory for the SQLite file; undefined keeps everything in memory, with no files. */
  dataDir?: string;
  /** TCP port; 0 picks a free one. */
  port?: number;
  /** Interface to listen on; 127.0.0.1 by default. */
  host?: string;
  logger?: Logger;
  /** How often TTL indexes are swept (MongoDB: 60 s). */
  ttlSweepMs?: number;
  /** How long a connection may sit on half a message before it is closed. */
  partialMessageTimeoutMs?: number;
}

/** A running embedded server. */
export interface EmbeddedMongo {
  /** `mongodb://host:port/`, without a database name. */
  uri: string;
  close(): Promise<void>;
}

const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Starts the embedded MongoDB-compatible server in this thread. */
export async function startEmbeddedMongo(opts: EmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
  const logger = opts.logger ?? silentLogger;
  const host = opts.host ?? '127.0.0.1';
  const store = opts.dataDir ? openSqliteStore(opts.dataDir) : createMemoryStore();
  const engine = new Engine(store);
  let wire;
  try {
    const loaded = engine.load();
    wire = await listenWire(engine, { host, port: opts.port ?? 0, logger, partialMessageTimeoutMs: opts.partialMessageTimeoutMs ?? 30_000 });
    logger.info({ dataDir: opts.dataDir ?? null, documents: loaded }, 'embedded mongo loaded');
  } catch (err) {
    engine.close();
    throw err;
  }
  const sweep = setInterval(() => {
    try {
      const removed = engine.sweepExpired();
      if (removed > 0) logger.info({ removed }, 'expired documents removed');
    } catch (err) {
      logger.error({ err }, 'TTL sweep failed');
    }
  }, opts.ttlSweepMs ?? 60_000);
  sweep.unref();
  const uri = `mongodb://${host.includes(':') ? `[${host}]` : host}:${wire.port}/`;
  let closing: Promise<void> | undefined;
  return {
    uri,
    close() {
      closing ??= (async () => {
        clearInterval(sweep);
        await wire.close();
        engine.close();
      })();
      return closing;
    },
  };
}

type WorkerMessage = { type: 'ready'; uri: string } | { type: 'error'; message: string } | { type: 'closed' } | { type: 'log'; level: keyof Logger; obj: object; msg?: string };

/**
 * Starts the embedded server in a worker thread so its work runs on another core. The worker
 * loads TypeScript through tsx, so this works when the parent runs under tsx.
 */
export function startEmbeddedMongoInWorker(opts: EmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
  const logger = opts.logger ?? silentLogger;
  const { logger: _logger, ...workerOpts } = opts;
  const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { ...workerOpts, log: Boolean(opts.logger) } });
  return new Promise((resolve, reject) => {
    let exited = false;
    let closing: Promise<void> | undefined;
    let onClosed: (() => void) | undefined;
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'log') logger[message.level](message.obj, message.msg);
      else if (message.type === 'error') reject(new Error(message.message));
      else if (message.type === 'closed') onClosed?.();
      else if (message.type === 'ready') {
        resolve({
          uri: message.uri,
          close() {
            // A worker that already died has nothing left to close.
            closing ??= exited
              ? Promise.resolve()
              : new Promise<void>((done) => {
                  onClosed = () => void worker.terminate().then(() => done());
                  worker.postMessage({ type: 'close' });
                });
            return closing;
          },
        });
      }
    });
    worker.on('error', (err) => {
      logger.error({ err }, 'embedded mongo worker failed');
      reject(err);
    });
    worker.on('exit', (code) => {
      exited = true;
      onClosed?.();
      reject(new Error(`embedded mongo worker exited with code ${code}`));
    });
  });
}

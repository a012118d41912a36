import { Worker } from 'node:worker_threads';
import type { EmbeddedMongo, EmbeddedMongoOptions } from './index.ts';
import type { Logger } from './server.ts';

/** Options of a server run in a worker thread, besides those of the server itself. */
export interface WorkerHostOptions extends EmbeddedMongoOptions {
  /**
   * The worker's heap limit in MB (V8's old generation, `resourceLimits.maxOldGenerationSizeMb`).
   * A command that needs more ends the worker, not the process; the host starts a new one.
   */
  memoryLimitMb?: number;
  /** How long close() waits for a busy worker to close cleanly before terminating it. */
  closeGraceMs?: number;
}

/** A server in a worker thread; `restarts` counts the workers started again after one died. */
export interface WorkerHostedMongo extends EmbeddedMongo {
  restarts(): number;
}

export const DEFAULT_WORKER_MEMORY_MB = 1024;
export const DEFAULT_CLOSE_GRACE_MS = 5_000;

type Addresses = Omit<EmbeddedMongo, 'close' | 'stats'>;
type WorkerMessage =
  | { type: 'ready'; addresses: Addresses }
  | { type: 'error'; message: string }
  | { type: 'closed' }
  | { type: 'log'; level: keyof Logger; obj: object; msg?: string };

interface RunningWorker {
  addresses: Addresses;
  /** Settles with the exit code when the thread ends, for whatever reason. */
  exited: Promise<number>;
  /** Asks the worker to close; terminates it past `graceMs` (a command that never yields). */
  close(graceMs: number): Promise<void>;
}

const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Starts one worker and resolves once it listens; rejects if it fails or dies first. */
function launch(opts: EmbeddedMongoOptions, memoryLimitMb: number, logger: Logger, log: boolean): Promise<RunningWorker> {
  const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
    workerData: { ...opts, log },
    resourceLimits: { maxOldGenerationSizeMb: memoryLimitMb },
  });
  let onClosed: (() => void) | undefined;
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  return new Promise((resolve, reject) => {
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'log') logger[message.level](message.obj, message.msg);
      else if (message.type === 'error') reject(new Error(message.message));
      else if (message.type === 'closed') onClosed?.();
      else if (message.type === 'ready') {
        let closing: Promise<void> | undefined;
        resolve({
          addresses: message.addresses,
          exited,
          close(graceMs) {
            closing ??= new Promise<void>((done) => {
              const timer = setTimeout(() => {
                logger.warn({ graceMs }, 'embedded mongo worker still busy: terminating it');
                void worker.terminate();
              }, graceMs);
              onClosed = () => void worker.terminate();
              void exited.then(() => {
                clearTimeout(timer);
                done();
              });
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
    void exited.then((code) => reject(new Error(`embedded mongo worker exited with code ${code}`)));
  });
}

/**
 * Starts the embedded server in a worker thread, so its work runs on another core, under a heap
 * limit. A worker that dies (a command that ran out of memory) is started again on the same
 * port and socket, from the same data directory (SQLite holds every acknowledged write):
 * clients see their connection closed, and the driver reconnects once it is back. An
 * in-memory server is not started again (its data died with it).
 * The worker loads TypeScript through tsx, so this works when the parent runs under tsx.
 */
export async function startEmbeddedMongoInWorker(opts: WorkerHostOptions = {}): Promise<WorkerHostedMongo> {
  const logger = opts.logger ?? silentLogger;
  const { logger: _logger, memoryLimitMb = DEFAULT_WORKER_MEMORY_MB, closeGraceMs = DEFAULT_CLOSE_GRACE_MS, ...serverOpts } = opts;
  const log = Boolean(opts.logger);
  let workerOpts: EmbeddedMongoOptions = serverOpts;
  let current: RunningWorker | undefined = await launch(workerOpts, memoryLimitMb, logger, log);
  const addresses = current.addresses;
  workerOpts = { ...workerOpts, port: addresses.port, socketPath: addresses.socketPath ?? null };
  let closing: Promise<void> | undefined;
  let restarting: Promise<void> | undefined;
  let restarts = 0;
  let wake: (() => void) | undefined;

  const restart = async (): Promise<void> => {
    for (let attempt = 0; !closing; attempt++) {
      try {
        const next = await launch(workerOpts, memoryLimitMb, logger, log);
        if (closing) return void (await next.close(closeGraceMs));
        current = next;
        restarts++;
        logger.warn({ restarts }, 'embedded mongo worker started again');
        supervise(next);
        return;
      } catch (err) {
        const delayMs = Math.min(30_000, 250 * 2 ** attempt);
        logger.error({ err, attempt, delayMs }, 'embedded mongo worker could not start again; retrying');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delayMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  };
  const supervise = (running: RunningWorker): void => {
    void running.exited.then((code) => {
      if (closing || current !== running) return;
      current = undefined;
      // A new in-memory server would answer, under the same URI, with none of the data: stay down.
      if (!workerOpts.dataDir) return logger.error({ code }, 'embedded mongo worker died (out of memory or a fault); in memory, so it is not started again');
      logger.error({ code }, 'embedded mongo worker died (out of memory or a fault); starting it again');
      restarting = restart().finally(() => (restarting = undefined));
    });
  };
  supervise(current);

  return {
    ...addresses,
    restarts: () => restarts,
    close() {
      closing ??= (async () => {
        wake?.();
        await restarting;
        await current?.close(closeGraceMs);
      })();
      return closing;
    },
  };
}

import { parentPort, workerData } from 'node:worker_threads';
import { startEmbeddedMongo, type EmbeddedMongoOptions } from './index.ts';
import type { Logger } from './server.ts';

/** The worker side of startEmbeddedMongoInWorker: start, report the URI, close on request. */
async function runInWorker(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const data = workerData as EmbeddedMongoOptions & { log: boolean };
  const forward = (level: keyof Logger) => (obj: object, msg?: string) => {
    // Errors do not survive structured cloning with their message; send plain fields.
    const plain = JSON.parse(JSON.stringify(obj, (_k, v: unknown) => (v instanceof Error ? { message: v.message, stack: v.stack } : v))) as object;
    port.postMessage({ type: 'log', level, obj: plain, msg });
  };
  const logger: Logger | undefined = data.log ? { info: forward('info'), warn: forward('warn'), error: forward('error') } : undefined;
  const { log: _log, ...opts } = data;
  try {
    const server = await startEmbeddedMongo({ ...opts, logger });
    port.on('message', (message: { type: string }) => {
      if (message.type !== 'close') return;
      void server.close().then(() => port.postMessage({ type: 'closed' }));
    });
    const { close: _close, stats: _stats, ...addresses } = server;
    port.postMessage({ type: 'ready', addresses });
  } catch (err) {
    port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
}

await runInWorker();

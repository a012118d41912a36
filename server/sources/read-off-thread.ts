import { Worker } from 'node:worker_threads';
import { SourceFileError, type ExtractInput, type ExtractLimits, type ProgressFn, type SplitDocument } from './extract/index.ts';
import { errorCode } from '../object-shape.ts';

type WorkerMessage =
  { type: 'progress'; done: number; total: number } | { type: 'done'; doc: SplitDocument } | { type: 'error'; refusal: boolean; message: string };

const MAX_AT_ONCE = 2;
let running = 0;
const waiting: Array<() => void> = [];

/**
 * Reads a document in a worker thread: the request thread stays free for other users, at most
 * two documents are read at once (the rest wait their turn), and a read past `timeoutMs` or its
 * memory limit is stopped with a clear refusal.
 */
export async function readOffThread(input: ExtractInput, limits: ExtractLimits, opts: { timeoutMs: number; progress?: ProgressFn }): Promise<SplitDocument> {
  if (running >= MAX_AT_ONCE) await new Promise<void>((go) => waiting.push(go));
  running += 1;
  try {
    return await runWorker(input, limits, opts);
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

function runWorker(input: ExtractInput, limits: ExtractLimits, opts: { timeoutMs: number; progress?: ProgressFn }): Promise<SplitDocument> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./extract-worker-entry.mjs', import.meta.url), {
      workerData: { input, limits },
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new SourceFileError(
              `Reading this document took longer than ${Math.round(opts.timeoutMs / 1000)} seconds, so we stopped. Upload a smaller part of it.`,
            ),
          ),
        ),
      opts.timeoutMs,
    );
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') opts.progress?.(m.done, m.total);
      else if (m.type === 'done') finish(() => resolve(m.doc));
      else finish(() => reject(m.refusal ? new SourceFileError(m.message) : new Error(m.message)));
    });
    worker.on('error', (err) =>
      finish(() =>
        reject(errorCode(err) === 'ERR_WORKER_OUT_OF_MEMORY' ? new SourceFileError('This document needs more memory to read than Lectern allows.') : err),
      ),
    );
    worker.on('exit', (code) => finish(() => reject(new Error(`The document reader stopped (exit ${code}).`))));
  });
}

import { SourceFileError, type ExtractInput, type ExtractLimits, type ProgressFn, type SplitDocument } from './extract/index.ts';
import { runWorkerJob } from '../worker-job.ts';

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
  return runWorkerJob<WorkerMessage, SplitDocument>(new URL('./extract-worker-entry.mjs', import.meta.url), {
    workerData: { input, limits },
    timeoutMs: opts.timeoutMs,
    memoryMb: 512,
    onMessage(m) {
      if (m.type === 'done') return { done: m.doc };
      if (m.type === 'error') return { failed: m.refusal ? new SourceFileError(m.message) : new Error(m.message) };
      opts.progress?.(m.done, m.total);
      return undefined;
    },
    tooSlow: () =>
      new SourceFileError(`Reading this document took longer than ${Math.round(opts.timeoutMs / 1000)} seconds, so we stopped. Upload a smaller part of it.`),
    tooBig: () => new SourceFileError('This document needs more memory to read than Lectern allows.'),
    exited: (code) => new Error(`The document reader stopped (exit ${code}).`),
  });
}

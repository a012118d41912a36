/**
 * Drafting a long document takes seconds of CPU; run in a worker thread it leaves the request
 * thread (and the other users) alone, and reports progress per passage as it goes. A run past its
 * time or memory limit is stopped (the worker terminated), with a message that says so.
 */
import { Worker } from 'node:worker_threads';
import type { QuestionDefinition } from '../questions/definition.ts';
import type { SourcePassage } from './draft.ts';
import type { RankedDraft } from './rank.ts';

/** What a drafting worker is given (structured-clonable: no functions, no sets). */
export interface DraftJob {
  passages: SourcePassage[];
  sections?: string[];
  existing?: QuestionDefinition[];
  rejected?: string[];
  limit?: number;
  seed?: number;
}

export interface DraftWorkerLimits {
  /** Wall-clock time one run may take. */
  timeoutMs: number;
  /** The worker's heap (V8's old generation). */
  memoryMb?: number;
}

/** A run stopped at one of its limits: its message is for the person who started it. */
export class DraftLimitError extends Error {
  override name = 'DraftLimitError';
}

type WorkerMessage = { type: 'progress'; done: number; of: number } | { type: 'done'; drafts: RankedDraft[] };

/** Drafts a document in a worker thread; `onProgress(done, of)` is called as passages are read. */
export function draftInWorker(job: DraftJob, onProgress: (done: number, of: number) => void, limits: DraftWorkerLimits): Promise<RankedDraft[]> {
  const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
    workerData: job,
    resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb ?? 1024 },
  });
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      fn();
    };
    const seconds = Math.max(1, Math.round(limits.timeoutMs / 1000));
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new DraftLimitError(`Drafting took longer than ${seconds} second${seconds === 1 ? '' : 's'}, so it was stopped; draft fewer sections at once.`),
          ),
        ),
      limits.timeoutMs,
    );
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress(m.done, m.of);
      else finish(() => resolve(m.drafts));
    });
    worker.once('error', (err: Error & { code?: string }) =>
      finish(() =>
        reject(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new DraftLimitError('Drafting needed more memory than Lectern allows, so it was stopped; draft fewer sections at once.')
            : err,
        ),
      ),
    );
    worker.once('exit', (code) => finish(() => reject(new Error(`the drafting worker stopped (exit code ${code}) before it finished`))));
  });
}

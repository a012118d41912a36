/**
 * Drafting a long document takes seconds of CPU; run in a worker thread it leaves the request
 * thread (and the other users) alone, and reports progress per passage as it goes. A run past its
 * time or memory limit is stopped (the worker terminated), with a message that says so.
 */
import { runWorkerJob } from '../worker-job.ts';
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
  const seconds = Math.max(1, Math.round(limits.timeoutMs / 1000));
  return runWorkerJob<WorkerMessage, RankedDraft[]>(new URL('./worker-entry.mjs', import.meta.url), {
    workerData: job,
    timeoutMs: limits.timeoutMs,
    memoryMb: limits.memoryMb ?? 1024,
    onMessage(m) {
      if (m.type === 'done') return { done: m.drafts };
      onProgress(m.done, m.of);
      return undefined;
    },
    tooSlow: () =>
      new DraftLimitError(`Drafting took longer than ${seconds} second${seconds === 1 ? '' : 's'}, so it was stopped; draft fewer sections at once.`),
    tooBig: () => new DraftLimitError('Drafting needed more memory than Lectern allows, so it was stopped; draft fewer sections at once.'),
    exited: (code) => new Error(`the drafting worker stopped (exit code ${code}) before it finished`),
  });
}

/**
 * Drafting a long document takes seconds of CPU; run in a worker thread it leaves the request
 * thread (and the other users) alone, and reports progress per passage as it goes.
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

type WorkerMessage = { type: 'progress'; done: number; of: number } | { type: 'done'; drafts: RankedDraft[] };

/** Drafts a document in a worker thread; `onProgress(done, of)` is called as passages are read. */
export function draftInWorker(job: DraftJob, onProgress: (done: number, of: number) => void = () => undefined): Promise<RankedDraft[]> {
  const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: job });
  return new Promise((resolve, reject) => {
    let result: RankedDraft[] | null = null;
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress(m.done, m.of);
      else result = m.drafts;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => (result ? resolve(result) : reject(new Error(`the drafting worker stopped (exit code ${code}) before it finished`))));
  });
}

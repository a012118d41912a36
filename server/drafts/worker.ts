/** The drafting worker: runs the pure pipeline off the request thread and posts progress. */
import { parentPort, workerData } from 'node:worker_threads';
import { draftDocument } from './draft-document.ts';
import type { DraftJob } from './run-in-worker.ts';

const job = workerData as DraftJob;
const drafts = draftDocument(job.passages, {
  sections: job.sections,
  existing: job.existing,
  rejected: new Set(job.rejected ?? []),
  limit: job.limit,
  seed: job.seed,
  onProgress: (done, of) => parentPort!.postMessage({ type: 'progress', done, of }),
});
parentPort!.postMessage({ type: 'done', drafts });

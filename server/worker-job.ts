import { Worker } from 'node:worker_threads';
import { errorCode } from './object-shape.ts';

/** What a message from the worker means: progress (undefined), the job's result, or its failure. */
export type WorkerOutcome<T> = { done: T } | { failed: Error } | undefined;

export interface WorkerJobOptions<M, T> {
  workerData: unknown;
  timeoutMs: number;
  /** The worker's heap (V8's old generation, MB). */
  memoryMb: number;
  onMessage(message: M): WorkerOutcome<T>;
  /** The errors for a job past its time and past its heap: messages for the person waiting. */
  tooSlow(): Error;
  tooBig(): Error;
  /** The error for a worker that exits before it answers. */
  exited(code: number): Error;
}

/**
 * Runs one job in a worker thread (long CPU work off the request thread: reading a document,
 * drafting questions) and settles once: with its result, or with its failure; past its time or
 * heap limit the worker is terminated, so a stopped job uses nothing after its refusal.
 */
export function runWorkerJob<M, T>(entry: URL, o: WorkerJobOptions<M, T>): Promise<T> {
  const worker = new Worker(entry, { workerData: o.workerData, resourceLimits: { maxOldGenerationSizeMb: o.memoryMb } });
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(() => finish(() => reject(o.tooSlow())), o.timeoutMs);
    worker.on('message', (m: M) => {
      const outcome = o.onMessage(m);
      if (outcome && 'done' in outcome) finish(() => resolve(outcome.done));
      else if (outcome) finish(() => reject(outcome.failed));
    });
    worker.on('error', (err) => finish(() => reject(errorCode(err) === 'ERR_WORKER_OUT_OF_MEMORY' ? o.tooBig() : err)));
    worker.on('exit', (code) => finish(() => reject(o.exited(code))));
  });
}

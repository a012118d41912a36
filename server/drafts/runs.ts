/**
 * Drafting runs in flight, per app (the router makes one): what the queue page's progress shows.
 * Drafting is seconds of CPU in a worker thread, so at most two run at once (the rest wait their
 * turn), one per source, and one person has at most three running or waiting.
 */
import { LRUCache } from 'lru-cache';
import { ConflictError, QuotaError } from '../http/errors.ts';
import { DraftLimitError } from './run-in-worker.ts';

export type RunState = 'waiting' | 'running' | 'done' | 'failed';

export interface RunStatus {
  state: RunState;
  /** Passages read so far, and of how many. */
  done: number;
  of: number;
  /** Drafts the run added to the queue (when done). */
  added: number;
  /** Why it failed (when failed). */
  message: string;
  startedBy: string;
}

const MAX_AT_ONCE = 2;
const MAX_PER_PERSON = 3;

export type DraftRuns = ReturnType<typeof createDraftRuns>;

/** The runs of one app: start one per source, read its status, bounded in number and age. */
export function createDraftRuns() {
  const runs = new LRUCache<string, RunStatus>({ max: 500, ttl: 60 * 60_000 });
  let running = 0;
  const waiting: Array<() => void> = [];
  const active = (r: RunStatus | undefined) => r !== undefined && (r.state === 'waiting' || r.state === 'running');

  return {
    /** The latest run of a source, if one is remembered. */
    status(sourceId: string): RunStatus | undefined {
      return runs.get(sourceId);
    },
    /**
     * Starts `work` for a source in the background: it gets a progress callback and resolves
     * with the number of drafts added. Refused while the source has a run in flight.
     */
    start(
      sourceId: string,
      userId: string,
      work: (progress: (done: number, of: number) => void) => Promise<number>,
      onError: (err: unknown) => void,
    ): RunStatus {
      if (active(runs.get(sourceId))) throw new ConflictError('This source is being drafted already: its progress is shown on the queue page.');
      let mine = 0;
      for (const r of runs.values()) if (active(r) && r.startedBy === userId) mine += 1;
      if (mine >= MAX_PER_PERSON) throw new QuotaError(`You have ${mine} drafting runs in progress; wait for one to finish.`);
      const status: RunStatus = { state: 'waiting', done: 0, of: 0, added: 0, message: '', startedBy: userId };
      runs.set(sourceId, status);
      void (async () => {
        if (running >= MAX_AT_ONCE) await new Promise<void>((go) => waiting.push(go));
        running += 1;
        status.state = 'running';
        try {
          status.added = await work((done, of) => {
            status.done = done;
            status.of = of;
          });
          status.state = 'done';
        } catch (err) {
          status.state = 'failed';
          // A limit is the caller's answer; anything else is ours to log.
          if (err instanceof DraftLimitError) status.message = err.message;
          else {
            status.message = 'Drafting stopped before it finished; try again, or draft fewer sections at once.';
            onError(err);
          }
        } finally {
          running -= 1;
          waiting.shift()?.();
        }
      })();
      return status;
    },
  };
}

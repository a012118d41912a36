import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { DraftLimitError, draftInWorker } from '../../server/drafts/run-in-worker.ts';
import { draftDocument } from '../../server/drafts/draft-document.ts';
import { createDraftRuns } from '../../server/drafts/runs.ts';
import { shippedPassages } from './sco-passages.ts';

const roomy = { timeoutMs: 120_000 };

test('drafting in a worker thread gives the pipeline’s drafts and reports progress passage by passage', async () => {
  const { passages } = shippedPassages()[0]!;
  const sections = ['Energy cooperation'];
  const progress: Array<[number, number]> = [];
  const drafts = await draftInWorker({ passages, sections }, (done, of) => progress.push([done, of]), roomy);
  assert.deepEqual(
    drafts.map((d) => d.key),
    draftDocument(passages, { sections }).map((d) => d.key),
  );
  const of = passages.filter((p) => p.sectionTitle === 'Energy cooperation').length;
  assert.deepEqual(
    progress,
    Array.from({ length: of }, (_, i) => [i + 1, of]),
  );
});

test('a run past its time limit is refused with a message that says so, and its worker is stopped', async () => {
  // The paper five times over: many seconds of drafting, so an unstopped worker would go on working.
  const { passages } = shippedPassages()[0]!;
  const long = Array.from({ length: 5 }, (_, copy) => passages.map((p) => ({ ...p, id: `${p.id}-${copy}` }))).flat();
  let reports = 0;
  await assert.rejects(
    draftInWorker({ passages: long }, () => (reports += 1), { timeoutMs: 800 }),
    (err: Error) => err instanceof DraftLimitError && /longer than 1 second, so it was stopped; draft fewer sections/.test(err.message),
  );
  const atRefusal = reports;
  // A worker left running would keep using CPU (process.cpuUsage counts every thread) and reporting.
  await sleep(300);
  const before = process.cpuUsage();
  await sleep(1500);
  const used = process.cpuUsage(before);
  assert.ok(used.user + used.system < 300_000, `the process used ${Math.round((used.user + used.system) / 1000)} ms of CPU in 1.5 s after the refusal`);
  assert.equal(reports, atRefusal, 'no progress after the refusal');
});

/** Starts `work` as a run and waits until it has settled. */
async function settle(work: () => Promise<number>) {
  const runs = createDraftRuns();
  const logged: unknown[] = [];
  const status = runs.start('source-1', 'user-1', work, (err) => logged.push(err));
  while (status.state === 'waiting' || status.state === 'running') await sleep(5);
  return { status, logged };
}

test('a run stopped at a limit shows that limit’s message; any other failure a general one, and it is logged', async () => {
  const limited = await settle(() =>
    Promise.reject(new DraftLimitError('Drafting took longer than 300 seconds, so it was stopped; draft fewer sections at once.')),
  );
  assert.equal(limited.status.state, 'failed');
  assert.equal(limited.status.message, 'Drafting took longer than 300 seconds, so it was stopped; draft fewer sections at once.');
  assert.deepEqual(limited.logged, [], 'a limit is not an error of ours');

  const broken = await settle(() => Promise.reject(new Error('boom')));
  assert.equal(broken.status.state, 'failed');
  assert.match(broken.status.message, /^Drafting stopped before it finished/);
  assert.equal(broken.logged.length, 1);
});

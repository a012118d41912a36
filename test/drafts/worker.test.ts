import { test } from 'node:test';
import assert from 'node:assert/strict';
import { draftInWorker } from '../../server/drafts/run-in-worker.ts';
import { draftDocument } from '../../server/drafts/draft-document.ts';
import { shippedPassages } from './sco-passages.ts';

test('drafting in a worker thread gives the pipeline’s drafts and reports progress passage by passage', async () => {
  const { passages } = shippedPassages()[0]!;
  const sections = ['Energy cooperation'];
  const progress: Array<[number, number]> = [];
  const drafts = await draftInWorker({ passages, sections }, (done, of) => progress.push([done, of]));
  assert.deepEqual(drafts.map((d) => d.key), draftDocument(passages, { sections }).map((d) => d.key));
  const of = passages.filter((p) => p.sectionTitle === 'Energy cooperation').length;
  assert.deepEqual(progress, Array.from({ length: of }, (_, i) => [i + 1, of]));
});

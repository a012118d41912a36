/**
 * npm run bench:drafts — drafting speed and yield on the shipped sources: time per 10,000
 * characters (cold: first run in the process, with compromise's warm-up; warm: a second run),
 * drafts per passage, and the share of passages with at least one draft; then what a person
 * waits for: a whole run as the app makes it, in a new worker thread that loads the NLP libraries
 * itself. Not a test: it prints.
 */
import { draftDocument } from '../../server/drafts/draft-document.ts';
import { draftInWorker } from '../../server/drafts/run-in-worker.ts';
import { isContentSection } from '../../server/drafts/build-index.ts';
import { shippedPassages } from '../drafts/sco-passages.ts';

const BUDGET_MS = 5000;

for (const source of shippedPassages()) {
  const content = source.passages.filter((p) => isContentSection(p.sectionTitle));
  const chars = content.reduce((n, p) => n + p.text.length, 0);
  const runs: number[] = [];
  const c0 = performance.now();
  let drafts = draftDocument(source.passages);
  const cold = performance.now() - c0;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    drafts = draftDocument(source.passages);
    runs.push(performance.now() - t);
  }
  const warm = Math.min(...runs);
  const cited = new Set(drafts.map((d) => d.passageId));
  const byKind = new Map<string, number>();
  for (const d of drafts) byKind.set(d.kind, (byKind.get(d.kind) ?? 0) + 1);
  console.log(`${source.id}: ${content.length} passages, ${chars} characters`);
  console.log(
    `  time per 10,000 characters: ${((warm / chars) * 10_000).toFixed(0)} ms (whole document ${warm.toFixed(0)} ms; cold first run ${cold.toFixed(0)} ms = ${(cold / BUDGET_MS).toFixed(2)} of the 5 s budget)`,
  );
  console.log(
    `  drafts per passage: ${(drafts.length / content.length).toFixed(2)} (${drafts.length} drafts: ${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')})`,
  );
  console.log(`  passages with at least one draft: ${((cited.size / content.length) * 100).toFixed(1)}% (${cited.size} of ${content.length})`);
}

for (const source of shippedPassages()) {
  const t = performance.now();
  await draftInWorker({ passages: source.passages }, () => undefined, { timeoutMs: 120_000 });
  const ms = performance.now() - t;
  console.log(
    `${source.id}: a whole run in a new worker thread (start, load, draft, return): ${ms.toFixed(0)} ms = ${(ms / BUDGET_MS).toFixed(2)} of the 5 s budget`,
  );
}

/**
 * How long a 30-page PDF takes to read into sections and passages (`npm run bench:sources`).
 * Makes the PDF with pdf-lib: a heading per page and about 40 lines of body text in paragraphs.
 */
import { performance } from 'node:perf_hooks';
import { makePdf, type PdfLine } from '../sources/extract/make-files.ts';
import { readSourceFile } from '../../server/sources/add-source.ts';

const words = 'the river basin authority sets quotas each spring and farmers trade the water they do not use across borders'.split(' ');
const line = (i: number) => Array.from({ length: 11 }, (_, k) => words[(i * 7 + k) % words.length]).join(' ');
const pages: PdfLine[][] = Array.from({ length: 30 }, (_, p) => [
  { text: `Chapter ${p + 1} on water`, size: 18 },
  ...Array.from({ length: 40 }, (_, i) => ({ text: line(p * 40 + i), gap: i % 8 === 0 ? 8 : 0 })),
]);
const pdf = await makePdf(pages, { header: 'Water Law Review', pageNumbers: true });
const limits = { maxBytes: 20 * 1048576, maxPages: 300, maxPassages: 5000 };
await readSourceFile({ format: 'pdf', bytes: pdf }, limits); // warm-up: loads pdf.js
const runs: number[] = [];
let passages = 0;
for (let i = 0; i < 5; i += 1) {
  const t0 = performance.now();
  const doc = await readSourceFile({ format: 'pdf', bytes: pdf }, limits);
  runs.push(performance.now() - t0);
  passages = doc.passages.length;
}
runs.sort((a, b) => a - b);
console.log(
  `30-page PDF (${(pdf.byteLength / 1024).toFixed(0)} KB, ${passages} passages): median ${runs[2]!.toFixed(0)} ms, min ${runs[0]!.toFixed(0)} ms, max ${runs[4]!.toFixed(0)} ms per read (${(runs[2]! / 30).toFixed(1)} ms per page)`,
);

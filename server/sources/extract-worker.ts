/** The worker thread that reads one document, so a long PDF never holds up other requests. */
import { parentPort, workerData } from 'node:worker_threads';
import { extractDocument, SourceFileError, type ExtractInput, type ExtractLimits } from './extract/index.ts';

const { input, limits } = workerData as { input: ExtractInput; limits: ExtractLimits };
try {
  const doc = await extractDocument(input, limits, (done, total) => parentPort!.postMessage({ type: 'progress', done, total }));
  parentPort!.postMessage({ type: 'done', doc });
} catch (err) {
  parentPort!.postMessage({ type: 'error', refusal: err instanceof SourceFileError, message: err instanceof SourceFileError ? err.message : String(err) });
}

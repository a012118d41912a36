/** Drafts: grounded questions drafted from any source, and the approval queue that turns them into bank questions. */
export { draftDocument, type DraftDocumentOptions } from './draft-document.ts';
export { draftInWorker, type DraftJob } from './run-in-worker.ts';
export { DRAFT_KINDS, type Draft, type DraftKind, type SourcePassage } from './draft.ts';
export type { RankedDraft } from './rank.ts';
export { draftFingerprint, mapTopics } from './fingerprint.ts';
export { mayDraft, draftCounts } from './queue-service.ts';
